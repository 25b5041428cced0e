/**
 * `storage`: an in-memory key/value store. Its service API (what `init`
 * returns) is what other roles get from `ctx.service('storage')`.
 *
 * Given to the runtime as an object (imported by main.mjs), so it is never
 * reloaded: its data lives as long as the process.
 */
import { z } from 'zod';
import { defineRole } from '../../../dist/index.js';

export default defineRole({
  name: 'storage',
  config: z.object({ maxKeys: z.number().int().positive().default(1000) }),
  init(ctx) {
    const data = new Map();
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
  applyConfig(conf, ctx) {
    ctx.setStatus('ok', `at most ${conf.maxKeys} keys`);
  },
});
