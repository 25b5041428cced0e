/**
 * `site`: a host-scoped role, one instance per virtual host that enables it
 * (rolekit.yaml enables it on `localhost` and `shop.localhost`). Its routes
 * answer only requests whose Host is its host, and each instance has its own
 * section: the host's own `config.site`, else the top-level one.
 *
 *   curl http://localhost:8080/        # the top-level title
 *   curl http://shop.localhost:8080/   # the shop's own
 */
import { z } from 'zod';

export default {
  name: 'site',
  scope: 'host',
  config: z.object({ title: z.string().min(1) }),
  init(ctx) {
    ctx.route('GET', '/', () =>
      new Response(JSON.stringify({ host: ctx.host, title: ctx.config.title }) + '\n', {
        headers: { 'content-type': 'application/json' },
      }),
    );
  },
};
