/**
 * The service of the save-to-live benchmark, in a process of its own:
 * `node _watch-service.mjs <entry> <loader>` runs the graph's role in watch
 * mode behind a real listener and prints `PORT <n>`. `GET /value` is the
 * role's; `GET /reloads` answers `{ generation, reload }` from the runtime, so
 * the benchmark can count reloads per save.
 */
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createRuntime } from '../../dist/index.js';

const [entry, loader] = process.argv.slice(2);
const rt = await createRuntime({ roles: [entry], loader, watch: true, reloadAllowed: true, logger: pino({ level: 'silent' }) });
await rt.applyConfig({ roles: ['bench'] });
const fetch = (request) =>
  new URL(request.url).pathname === '/reloads' ? Response.json({ generation: rt.generation, reload: rt.status().reload }) : rt.fetch(request);
const server = serve({ fetch, hostname: '127.0.0.1', port: 0 });
server.once('listening', () => process.stdout.write(`PORT ${server.address().port}\n`));
process.once('SIGTERM', async () => {
  await rt.stop();
  server.close();
});
