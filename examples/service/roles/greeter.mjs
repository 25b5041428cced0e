/**
 * `greeter`: greets people and counts their visits in `storage`. Because it
 * depends on storage, storage is enabled, initialised and applied first, and
 * stopped after it.
 */
import { z } from 'zod';
import { defineRole } from '../../../dist/index.js';

export default defineRole({
  name: 'greeter',
  dependencies: ['storage'],
  config: z.object({ greeting: z.string().min(1).default('Hello') }),
  init(ctx) {
    const storage = ctx.service('storage');
    return {
      greet(name) {
        const visits = (storage.get(`visits:${name}`) ?? 0) + 1;
        storage.set(`visits:${name}`, visits);
        // ctx.config is the section applied last: a new greeting takes effect at once.
        return { message: `${ctx.config.greeting}, ${name}!`, visits };
      },
    };
  },
});
