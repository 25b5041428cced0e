import { describe, expect, it } from 'vitest';
import { createRuntime, defineRole, type Runtime } from '../../src/index.js';
import { silent } from '../helpers.js';

const text = async (res: Response) => [res.status, await res.text()] as const;

function req(rt: Runtime, url: string, init?: RequestInit): Promise<Response> {
  return rt.fetch(new Request(url, init));
}

describe('rt.fetch', () => {
  it('serves the routes of running roles with web-standard Request and Response, and route params', async () => {
    const items = new Map<string, unknown>();
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'api',
          init(ctx) {
            ctx.route('GET', '/items/:id', (_r, { params }) =>
              items.has(params.id) ? Response.json(items.get(params.id)) : new Response('no such item', { status: 404 }),
            );
            ctx.route('post', '/items/:id', async (request, { params }) => {
              items.set(params.id, await request.json());
              return new Response(null, { status: 201, headers: { location: `/items/${params.id}` } });
            });
            ctx.route('GET', '/users/:user/posts/:post', (r, { params }) =>
              Response.json({ ...params, q: new URL(r.url).searchParams.get('q'), method: r.method }),
            );
            ctx.route('GET', '/broken', () => {
              throw new Error('handler broke');
            });
            ctx.route('GET', '/no-response', () => ({ status: 200 }) as unknown as Response);
          },
        }),
      ],
      logger: silent,
    });
    // Before any role runs, nothing is served.
    expect((await req(rt, 'http://localhost/items/1')).status).toBe(404);
    await rt.applyConfig({ roles: ['api'] });

    const created = await req(rt, 'http://localhost/items/7', {
      method: 'POST',
      body: JSON.stringify({ name: 'seven' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/items/7');
    const got = await req(rt, 'http://localhost/items/7');
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ name: 'seven' });
    expect(await text(await req(rt, 'http://localhost/items/8'))).toEqual([404, 'no such item']);
    expect(await (await req(rt, 'http://localhost/users/ann/posts/42?q=x')).json()).toEqual({
      user: 'ann',
      post: '42',
      q: 'x',
      method: 'GET',
    });
    // No route for this method or path: 404.
    expect((await req(rt, 'http://localhost/items/7', { method: 'DELETE' })).status).toBe(404);
    expect((await req(rt, 'http://localhost/nothing')).status).toBe(404);
    // A handler that throws, or returns no Response, is a 500, and the runtime goes on serving.
    expect((await req(rt, 'http://localhost/broken')).status).toBe(500);
    expect((await req(rt, 'http://localhost/no-response')).status).toBe(500);
    expect((await req(rt, 'http://localhost/items/7')).status).toBe(200);

    await rt.applyConfig({ roles: [] });
    expect((await req(rt, 'http://localhost/items/7')).status).toBe(404);
    await rt.stop();
  });

  it('answers HEAD through the GET route with its status and headers and no body, unless a HEAD route is defined', async () => {
    let gets = 0;
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'api',
          init(ctx) {
            ctx.route('GET', '/health', () => (gets++, new Response('ok', { headers: { 'x-check': 'yes' } })));
            ctx.route('GET', '/own', () => new Response('from GET'));
            ctx.route('HEAD', '/own', () => new Response(null, { status: 204, headers: { 'x-head': 'own' } }));
            ctx.route('POST', '/only-post', () => new Response('posted'));
          },
        }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['api'] });
    const health = await req(rt, 'http://localhost/health', { method: 'HEAD' });
    expect([health.status, health.headers.get('x-check'), await health.text(), gets]).toEqual([200, 'yes', '', 1]);
    const own = await req(rt, 'http://localhost/own', { method: 'HEAD' });
    expect([own.status, own.headers.get('x-head')]).toEqual([204, 'own']);
    // Only GET stands in for HEAD.
    const post = await req(rt, 'http://localhost/only-post', { method: 'HEAD' });
    expect([post.status, await post.text()]).toEqual([404, '']);
    await rt.stop();
  });

  it('routes of a role whose init failed are not served', async () => {
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'half',
          init(ctx) {
            ctx.route('GET', '/half', () => new Response('half'));
            throw new Error('init failed after routing');
          },
        }),
      ],
      logger: silent,
    });
    await expect(rt.applyConfig({ roles: ['half'] })).rejects.toMatchObject({ name: 'ApplyConfigError' });
    expect((await req(rt, 'http://localhost/half')).status).toBe(404);
    await rt.stop();
  });

  describe('host-scoped routes', () => {
    async function hostedRuntime() {
      const rt = await createRuntime({
        roles: [
          defineRole({
            name: 'site',
            scope: 'host',
            init(ctx) {
              ctx.route('GET', '/hello', () => new Response(`site on ${ctx.host}`));
            },
          }),
          defineRole({
            name: 'muc',
            scope: 'shared',
            init(ctx) {
              ctx.route('GET', '/rooms', () => new Response('all rooms'));
            },
            addHost(hostCtx) {
              hostCtx.route('GET', '/room', () => new Response(`room on ${hostCtx.host}`));
            },
          }),
          defineRole({
            name: 'fallback',
            init(ctx) {
              ctx.route('GET', '/hello', () => new Response('global hello'));
            },
          }),
        ],
        logger: silent,
      });
      await rt.applyConfig({
        roles: ['fallback'],
        hosts: { 'a.example.com': { roles: ['site', 'muc'] }, 'b.example.com': { roles: ['site'] } },
      });
      expect(rt.state).toBe('RolesConfigured');
      return rt;
    }

    it('match only requests for their host, from the URL or the Host header (port ignored), before global routes', async () => {
      const rt = await hostedRuntime();
      expect(await text(await req(rt, 'http://a.example.com/hello'))).toEqual([200, 'site on a.example.com']);
      expect(await text(await req(rt, 'http://b.example.com:8080/hello'))).toEqual([200, 'site on b.example.com']);
      expect(await text(await req(rt, 'http://127.0.0.1/hello', { headers: { host: 'b.example.com' } }))).toEqual([
        200,
        'site on b.example.com',
      ]);
      expect(await text(await req(rt, 'http://A.Example.com/hello'))).toEqual([200, 'site on a.example.com']);
      expect(await text(await req(rt, 'http://127.0.0.1/hello', { headers: { host: 'A.EXAMPLE.COM:443' } }))).toEqual([
        200,
        'site on a.example.com',
      ]);
      // Other hosts get the global route.
      expect(await text(await req(rt, 'http://c.example.com/hello'))).toEqual([200, 'global hello']);
      expect(await text(await req(rt, 'http://localhost/hello'))).toEqual([200, 'global hello']);
      await rt.stop();
    });

    it('match host names case-insensitively, however the document spells them', async () => {
      const rt = await createRuntime({
        roles: [defineRole({ name: 'site', scope: 'host', init: (ctx) => ctx.route('GET', '/x', () => new Response(ctx.host)) })],
        logger: silent,
      });
      await rt.applyConfig({ hosts: { 'Example.COM': { roles: ['site'] } } });
      expect(await text(await req(rt, 'http://example.com/x'))).toEqual([200, 'Example.COM']);
      expect(await text(await req(rt, 'http://127.0.0.1/x', { headers: { host: 'EXAMPLE.com' } }))).toEqual([200, 'Example.COM']);
      expect((await req(rt, 'http://example.org/x')).status).toBe(404);
      await rt.stop();
    });

    it("a shared role's per-host routes answer only that host; its own routes answer every host", async () => {
      const rt = await hostedRuntime();
      expect(await text(await req(rt, 'http://a.example.com/room'))).toEqual([200, 'room on a.example.com']);
      expect((await req(rt, 'http://b.example.com/room')).status).toBe(404);
      expect((await req(rt, 'http://localhost/room')).status).toBe(404);
      expect(await text(await req(rt, 'http://b.example.com/rooms'))).toEqual([200, 'all rooms']);
      await rt.stop();
    });

    it('a host that drops a shared role loses that per-host part only; its onDispose handlers run', async () => {
      const disposed: string[] = [];
      const rt = await createRuntime({
        roles: [
          defineRole({
            name: 'muc',
            scope: 'shared',
            addHost(hostCtx) {
              hostCtx.route('GET', '/room', () => new Response(`room on ${hostCtx.host}`));
              hostCtx.onDispose(() => void disposed.push(hostCtx.host!));
            },
          }),
        ],
        logger: silent,
      });
      const both = { hosts: { 'a.example.com': { roles: ['muc'] }, 'b.example.com': { roles: ['muc'] } } };
      await rt.applyConfig(both);
      expect((await req(rt, 'http://a.example.com/room')).status).toBe(200);
      await rt.applyConfig({ hosts: { 'b.example.com': { roles: ['muc'] } } });
      expect(disposed).toEqual(['a.example.com']);
      expect((await req(rt, 'http://a.example.com/room')).status).toBe(404);
      expect(await text(await req(rt, 'http://b.example.com/room'))).toEqual([200, 'room on b.example.com']);
      // Adding the host back gives it a fresh part.
      await rt.applyConfig(both);
      expect(await text(await req(rt, 'http://a.example.com/room'))).toEqual([200, 'room on a.example.com']);
      await rt.stop();
      expect(disposed.sort()).toEqual(['a.example.com', 'a.example.com', 'b.example.com']);
    });

    it("a host that is dropped loses its routes; the other hosts keep theirs", async () => {
      const rt = await hostedRuntime();
      await rt.applyConfig({ roles: ['fallback'], hosts: { 'b.example.com': { roles: ['site'] } } });
      expect(rt.state).toBe('RolesConfigured');
      expect(await text(await req(rt, 'http://a.example.com/hello'))).toEqual([200, 'global hello']);
      expect((await req(rt, 'http://a.example.com/room')).status).toBe(404);
      expect((await req(rt, 'http://a.example.com/rooms')).status).toBe(404);
      expect(await text(await req(rt, 'http://b.example.com/hello'))).toEqual([200, 'site on b.example.com']);
      await rt.stop();
      expect((await req(rt, 'http://b.example.com/hello')).status).toBe(404);
    });
  });
});
