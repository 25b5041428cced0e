/**
 * `rt.fetch` behind @hono/node-server, which replaces `globalThis.Response`
 * with a subclass of its own while it serves: a handler's `new Response()`,
 * `Response.json()` and `Response.redirect()` (which still make the base
 * class's instances) are all served, over a real listener.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, defineRole, type Runtime } from '../../src/index.js';
import { silent } from '../helpers.js';

describe('rt.fetch served by @hono/node-server', () => {
  let rt: Runtime;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const web = defineRole({
      name: 'web',
      init(ctx) {
        ctx.route('GET', '/new', () => new Response('made with new'));
        ctx.route('GET', '/json', () => Response.json({ made: 'with Response.json' }));
        ctx.route('GET', '/redirect', () => Response.redirect('http://example.com/', 302));
        ctx.route('GET', '/object', () => ({ not: 'a response' }) as unknown as Response);
      },
    });
    rt = await createRuntime({ roles: [web], logger: silent });
    await rt.applyConfig({ roles: ['web'] });
    server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: rt.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await rt.stop();
  });

  it('serves new Response(), Response.json() and Response.redirect(); anything else is a 500', async () => {
    expect(await (await fetch(`${url}/new`)).text()).toBe('made with new');
    expect(await (await fetch(`${url}/json`)).json()).toEqual({ made: 'with Response.json' });
    const redirect = await fetch(`${url}/redirect`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, 'http://example.com/']);
    expect((await fetch(`${url}/object`)).status).toBe(500);
  });
});
