/** A load client in its own process: `node _load-client.mjs <url> <ms> <concurrency>`; prints latencies. */
const [url, ms, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const latencies = [];
let failed = 0;
const until = performance.now() + ms;
async function loop() {
  while (performance.now() < until) {
    const t0 = performance.now();
    try {
      const res = await fetch(url);
      await res.text();
      if (res.status === 200) latencies.push(performance.now() - t0);
      else failed++;
    } catch {
      failed++;
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, loop));
process.stdout.write(`RESULT ${JSON.stringify({ latencies, failed })}\n`);
