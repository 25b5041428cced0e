/**
 * `storage`: an in-memory key/value store. Its service API (what `init`
 * returns) is what other roles get from `ctx.service('storage')`.
 *
 * Embedded (main.mjs) it is given to the runtime as an object, so it is never
 * reloaded. Under `rolekit start` it is a module like the others: when its
 * file changes, its `stop` hands the data to the next version's `init`
 * (`ctx.restored`), so nothing is lost across the reload.
 */
import { z } from 'zod';
import { defineRole } from '../../../dist/index.js';

/** Each instance's data, by its context: what its stop hands over. */
const stores = new WeakMap();

export default defineRole({
  name: 'storage',
  config: z.object({ maxKeys: z.number().int().positive().default(1000) }),
  init(ctx) {
    const data = ctx.restored instanceof Map ? ctx.restored : new Map();
    stores.set(ctx, data);
    return {
      get: (key) => data.get(key),
      set(key, value) {
        if (!data.has(key) && data.size >= ctx.config.maxKeys) throw new Error(`storage is full (${ctx.config.maxKeys} keys)`);
        data.set(key, value);
      },
      delete: (key) => data.delete(key),
      get size() {
        return data.size;
      },
    };
  },
  stop(ctx) {
    // The hand-off: only a reload passes it on (a plain stop drops it).
    return stores.get(ctx);
  },
  applyConfig(conf, ctx) {
    ctx.setStatus('ok', `at most ${conf.maxKeys} keys`);
  },
});
