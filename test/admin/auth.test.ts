import { afterEach, describe, expect, it } from 'vitest';
import { checkAdminListener, createAdmin, isLoopback, serveAdmin } from '../../src/admin/index.js';
import { createRuntime, type Runtime } from '../../src/index.js';
import { silent } from '../helpers.js';
import { SseClient, call, closeAll, listen } from './helpers.js';

const TOKEN = 's3cret-token';
const runtimes: Runtime[] = [];
afterEach(async () => {
  await closeAll();
  for (const rt of runtimes.splice(0)) await rt.stop();
});

async function runtime(): Promise<Runtime> {
  const rt = await createRuntime({ roles: [], reloadAllowed: true, logger: silent });
  runtimes.push(rt);
  return rt;
}

const ENDPOINTS: [string, string][] = [
  ['GET', '/status'],
  ['GET', '/metrics'],
  ['GET', '/updates'],
  ['POST', '/update'],
  ['POST', '/reload'],
  ['POST', '/reload/forbid'],
  ['POST', '/reload/allow'],
  ['POST', '/config'],
  ['GET', '/events'],
];

describe('the token', () => {
  it('is required by every endpoint: 401 without it or with a wrong one, in the JSON error shape', async () => {
    const rt = await runtime();
    const server = await listen(rt, { token: TOKEN });
    for (const [method, path] of ENDPOINTS) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }, { cookie: `rolekit_admin=${TOKEN}` }] as Record<string, string>[]) {
        const res = await call(server, method, path, { headers });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.body.error.name).toBe('Unauthorized');
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="rolekit"');
      }
    }
    expect(rt.isReloadForbidden()).toBe(false);
  });

  it('lets a bearer header in', async () => {
    const rt = await runtime();
    const server = await listen(rt, { token: TOKEN });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await call(server, 'GET', '/status', { headers: auth })).status).toBe(200);
    expect((await call(server, 'POST', '/reload/forbid', { headers: auth })).body).toEqual({ reloadForbidden: true });
    expect(rt.isReloadForbidden()).toBe(true);
  });

  it('must be a non-empty string', async () => {
    const rt = await runtime();
    for (const token of ['', 42, null]) expect(() => createAdmin(rt, { token: token as string })).toThrow(/token must be a non-empty string/);
  });
});

describe('the browser cookie', () => {
  it('is set by GET /?token= (HttpOnly, SameSite=Strict, the token off the address bar) and then works on every endpoint, the event stream too', async () => {
    const rt = await runtime();
    const server = await listen(rt, { token: TOKEN });
    expect((await call(server, 'GET', '/?token=wrong')).status).toBe(401);
    const login = await call(server, 'GET', `/?token=${TOKEN}`);
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');
    const setCookie = login.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^rolekit_admin=[^;]+; /);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    // The cookie holds a value derived from the token, not the token.
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;
    await rt.applyConfig({ roles: [] });
    for (const [method, path] of ENDPOINTS.filter(([, p]) => p !== '/events' && p !== '/config')) {
      expect((await call(server, method, path, { headers: { cookie } })).status, `${method} ${path}`).toBe(200);
    }
    const sse = new SseClient(`${server.url}/events`, { cookie });
    await sse.opened;
    await rt.applyConfig({ roles: [] });
    await sse.waitFor(1);
    sse.close();
    expect((await call(server, 'GET', '/status', { headers: { cookie: 'rolekit_admin=forged' } })).status).toBe(401);
  });

  it('is set by POST /login from a form, as the page would post it', async () => {
    const rt = await runtime();
    const server = await listen(rt, { token: TOKEN });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await call(server, 'POST', '/login', { body: 'token=nope', headers: form })).status).toBe(401);
    expect((await call(server, 'POST', '/login', { body: 'user=x', headers: form })).status).toBe(400);
    const login = await call(server, 'POST', '/login', { body: `token=${encodeURIComponent(TOKEN)}`, headers: form });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await call(server, 'GET', '/status', { headers: { cookie } })).status).toBe(200);
  });
});

describe('the listener rule', () => {
  it('refuses a non-loopback address without a token, naming the reason, before binding anything', async () => {
    const rt = await runtime();
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'example.com', '']) {
      await expect(serveAdmin(rt, { host, port: 0 }), host).rejects.toThrow(/without a token: with no token it binds to loopback only/);
    }
    // With a token any address may be bound (checked without binding one).
    expect(() => checkAdminListener('0.0.0.0', TOKEN)).not.toThrow();
  });

  it('takes the loopback range, ::1 and localhost as loopback', async () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '::2']) expect(isLoopback(host), host).toBe(false);
    const rt = await runtime();
    const server = await listen(rt, { host: '127.0.0.2' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    expect((await call(server, 'GET', '/status')).status).toBe(200);
  });
});
