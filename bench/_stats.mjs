/**
 * The statistics and the timer every benchmark shares (a top-level `_` file:
 * the driver runs only `bench/<group>/<name>.mjs`).
 */

/** The value at `p` percent of `xs` (nearest rank, from below). */
export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export const median = (xs) => percentile(xs, 50);

/** Wall-clock and CPU time of one call, in ms. CPU time leaves out waiting for a busy machine. */
export async function timed(fn) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await fn();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}
