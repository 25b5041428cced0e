/**
 * `api`: the HTTP face of the service, served through `ctx.route` and
 * `rt.fetch`. It is given to the runtime as a module file, so it is the unit
 * of hot reload: edit this file while the service runs and the change is live
 * (main.mjs runs in watch mode), or send the process SIGHUP to reload it.
 *
 * A role module's default export is checked when it is registered; it can be
 * a plain object like this one (no import of rolekit needed), or made with
 * `defineRole` for typed callbacks.
 */
import { z } from 'zod';

const json = (body, status = 200) =>
  new Response(JSON.stringify(body) + '\n', { status, headers: { 'content-type': 'application/json' } });

export default {
  name: 'api',
  dependencies: ['greeter'],
  config: z.object({ exclaim: z.boolean().default(false) }),
  init(ctx) {
    const greeter = ctx.service('greeter');
    const storage = ctx.service('storage');
    // Routes live as long as the role: they are removed when it stops or is reloaded.
    ctx.route('GET', '/hello/:name', (_req, { params }) => {
      const { message, visits } = greeter.greet(params.name);
      return json({ message: ctx.config.exclaim ? message.toUpperCase() : message, visits });
    });
    ctx.route('GET', '/kv/:key', (_req, { params }) => {
      const value = storage.get(`kv:${params.key}`);
      return value === undefined ? json({ error: 'not found' }, 404) : json({ key: params.key, value });
    });
    // A slow request (at most 10 s), to watch a graceful stop or a reload wait for it.
    ctx.route('GET', '/wait/:ms{[0-9]+}', async (_req, { params }) => {
      const ms = Math.min(Number(params.ms), 10_000);
      await new Promise((resolve) => ctx.setTimeout(resolve, ms));
      return json({ waited: ms });
    });
    ctx.route('PUT', '/kv/:key', async (req, { params }) => {
      storage.set(`kv:${params.key}`, await req.text());
      return json({ key: params.key, stored: true });
    });
  },
};
