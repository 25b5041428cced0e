/**
 * The example service: three roles served over HTTP.
 *
 *   npm run build && npm start        # or: PORT=9000 npm start (PORT=0: any free port)
 *   curl http://127.0.0.1:8080/hello/world
 *
 * `storage` and `greeter` are role objects; `api` is a module file
 * (roles/api.mjs), the unit of hot reload: edit it while the service runs and
 * the change is live (watch mode; ROLEKIT_WATCH=0 turns it off), or send
 * SIGHUP to reload by hand. SIGINT / SIGTERM stop gracefully: the listener
 * takes no new connections, requests in flight finish, the roles stop
 * (dependents first); a second signal forces the exit.
 */
import { serve } from '@hono/node-server';
import { createRuntime } from '../../dist/index.js';
import storage from './roles/storage.mjs';
import greeter from './roles/greeter.mjs';

const hostname = '127.0.0.1';
const port = Number(process.env.PORT ?? 8080);

// Enabling `api` enables greeter and storage too: they are its dependencies.
const config = {
  roles: ['api'],
  config: {
    storage: { maxKeys: 10_000 },
    greeter: { greeting: 'Hello' },
    api: { exclaim: false },
  },
};

const rt = await createRuntime({
  roles: [storage, greeter, new URL('./roles/api.mjs', import.meta.url)],
  reloadAllowed: true,
  watch: process.env.ROLEKIT_WATCH !== '0',
});
await rt.applyConfig(config);

const server = await new Promise((resolve, reject) => {
  const s = serve({ fetch: rt.fetch, hostname, port }, () => resolve(s));
  s.once('error', reject);
});
const url = `http://${hostname}:${server.address().port}`;
console.log(`rolekit example listening on ${url}`);
console.log(`try: curl ${url}/hello/world`);
console.log(`hot reload: edit examples/service/roles/api.mjs, or kill -HUP ${process.pid}`);

// SIGHUP reloads role code by hand, like `prosodyctl reload`. A failed reload keeps
// (or rolls back to) the previous code, so the service keeps answering either way.
process.on('SIGHUP', () => {
  rt.reload().then(
    () => console.log(`reloaded role code (generation ${rt.generation})`),
    (err) => console.error(`reload failed, previous code serving: ${err.message}`),
  );
});

// Graceful stop: refuse new connections, let the requests in flight finish (rt.stop drains
// each role before stopping it, at most timeouts.drain), stop the roles dependents first,
// then close what is left. A second signal does not wait: it forces the exit.
let stopping = false;
async function shutdown(signal) {
  console.log(`${signal}: stopping (send it again to force)`);
  server.close();
  server.closeIdleConnections();
  await rt.stop();
  server.closeAllConnections();
  console.log('stopped');
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    shutdown(signal).catch((err) => {
      console.error(err);
      process.exit(1);
    });
  });
}
