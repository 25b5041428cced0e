/**
 * Child of bench/admin/endpoints.mjs: opens `count` event streams to `url` and
 * reads them, discarding what comes, in a process of its own (so that the
 * clients' work never counts as the server's). Says "open" once every stream
 * sent its opening comment; reports the bytes read when told "bytes".
 */
const [url, count] = [process.argv[2], Number(process.argv[3])];
let bytes = 0;
let opened = 0;
for (let i = 0; i < count; i++) {
  const res = await fetch(url);
  const reader = res.body.getReader();
  const first = await reader.read();
  bytes += first.value?.length ?? 0;
  opened++;
  (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      bytes += value.length;
    }
  })();
}
if (opened === count) process.send('open');
process.on('message', (m) => {
  if (m === 'bytes') process.send({ bytes });
  if (m === 'exit') process.exit(0);
});
