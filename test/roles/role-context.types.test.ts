/**
 * The context's types (checked by `npm run typecheck`, which `npm test` runs
 * first): services are `unknown` until the caller names their type, route
 * methods are HTTP methods, and route params are read off the path pattern.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { defineRole, type RoleContext, type RouteParams } from '../../src/index.js';

const ok = () => new Response('ok');

/** Run `check` with a role context, as a role's init would. */
function withContext(check: (ctx: RoleContext) => void): void {
  defineRole({ name: 'typed', init: check });
}

describe('RoleContext types', () => {
  it('ctx.service is unknown unless typed, like rt.service', () => {
    withContext((ctx) => {
      expectTypeOf(ctx.service('storage')).toBeUnknown();
      expectTypeOf(ctx.service<{ get(k: string): string }>('storage').get('k')).toBeString();
      // @ts-expect-error an unknown service has no members until its type is named
      ctx.service('storage').get('k');
    });
  });

  it('ctx.route takes HTTP methods, in either case, and ALL', () => {
    withContext((ctx) => {
      ctx.route('GET', '/a', ok);
      ctx.route('post', '/a', ok);
      ctx.route('ALL', '/any', ok);
      // @ts-expect-error not an HTTP method
      ctx.route('FETCH', '/a', ok);
      const method: string = 'GET';
      // @ts-expect-error any string is not a method
      ctx.route(method, '/a', ok);
    });
  });

  it('route params are typed from the path pattern', () => {
    withContext((ctx) => {
      ctx.route('GET', '/users/:id', (_req, { params }) => {
        expectTypeOf(params).toEqualTypeOf<{ id: string }>();
        // @ts-expect-error not a param of this path
        void params.name;
        return ok();
      });
      ctx.route('GET', '/users/:user/posts/:post', (_req, { params }) => {
        expectTypeOf(params).toEqualTypeOf<{ user: string; post: string }>();
        return ok();
      });
      ctx.route('GET', '/files/:name?', (_req, { params }) => {
        expectTypeOf(params).toEqualTypeOf<{ name: string | undefined }>();
        return ok();
      });
      ctx.route('GET', '/posts/:id{[0-9]+}', (_req, { params }) => {
        expectTypeOf(params).toEqualTypeOf<{ id: string }>();
        return ok();
      });
      ctx.route('GET', '/static/*', (_req, { params }) => {
        expectTypeOf(params).toEqualTypeOf<Record<never, never>>();
        return ok();
      });
    });
  });

  it('a path that is not a literal gives Record<string, string>', () => {
    expectTypeOf<RouteParams<string>>().toEqualTypeOf<Record<string, string>>();
    withContext((ctx) => {
      const path: string = '/x/:y';
      ctx.route('GET', path, (_req, { params }) => {
        expectTypeOf(params).toEqualTypeOf<Record<string, string>>();
        return ok();
      });
    });
  });
});
