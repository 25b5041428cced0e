import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRuntime, defineRole, type Runtime } from '../../src/index.js';
import { makeApp } from '../reload/harness.js';
import { silent, sleep } from '../helpers.js';
import { call, closeAll, listen } from './helpers.js';

const app = makeApp({
  'roles/web.mjs': "export default { name: 'web', dependencies: ['store'], init() { return { v: 1 }; } };\n",
  'roles/store.mjs': "export default { name: 'store', init() { return { v: 1 }; } };\n",
});
afterAll(() => app.cleanup());

const runtimes: Runtime[] = [];
afterEach(async () => {
  await closeAll();
  for (const rt of runtimes.splice(0)) await rt.stop();
});

async function moduleRuntime(): Promise<Runtime> {
  const auth = defineRole({ name: 'auth', scope: 'host', config: z.object({ backend: z.string() }).optional() });
  const rt = await createRuntime({ roles: ['./roles/store.mjs', './roles/web.mjs', auth], baseDir: app.dir, reloadAllowed: true, logger: silent });
  runtimes.push(rt);
  await rt.applyConfig({ roles: ['web'], hosts: { 'example.com': { roles: ['auth'] } } });
  return rt;
}

describe('GET /status', () => {
  it("is rt.status() plus the roles by host ('*' for global ones), the last reloads newest first, and the stream's last id", async () => {
    const rt = await moduleRuntime();
    const server = await listen(rt);
    await rt.reload({ roles: ['web'] });
    await rt.reload();
    const { status, body } = await call(server, 'GET', '/status');
    expect(status).toBe(200);
    expect(body).toMatchObject({ ...JSON.parse(JSON.stringify(rt.status())) });
    expect(Object.keys(body.hosts)).toEqual(['*', 'example.com']);
    expect(Object.keys(body.hosts['*'])).toEqual(['store', 'web']);
    expect(body.hosts['example.com'].auth).toMatchObject({ type: 'ok' });
    expect(body.reloads.map((r: { roles: string[]; generation: number }) => [r.roles, r.generation])).toEqual([
      [['store', 'web'], 2],
      [['web'], 1],
    ]);
    expect(body.lastEventId).toMatch(/^\d+(\.\d+)?$/);
  });

  it('names file, line and column of a reload that failed on a syntax error', async () => {
    const rt = await moduleRuntime();
    const server = await listen(rt);
    app.write('roles/web.mjs', "export default { name: 'web', dependencies: ['store'] };\nconst x = (1 + ;\n");
    try {
      const res = await call(server, 'POST', '/reload', { body: { roles: ['web'] } });
      expect(res.status).toBe(409);
      expect(res.body.error.name).toBe('HotReloadError');
      const { body } = await call(server, 'GET', '/status');
      expect(body.reloads[0]).toMatchObject({ result: 'failed', previousCodeServing: true, error: { name: 'HotReloadError' } });
      expect(body.reloads[0].error.at).toEqual({ file: `${app.dir}/roles/web.mjs`, line: 2, column: expect.any(Number) });
    } finally {
      app.write('roles/web.mjs', "export default { name: 'web', dependencies: ['store'], init() { return { v: 1 }; } };\n");
    }
  });
});

describe('GET /updates and POST /update', () => {
  it('list changed files and the roles they affect, then reload exactly those', async () => {
    const rt = await moduleRuntime();
    const server = await listen(rt);
    expect((await call(server, 'GET', '/updates')).body).toEqual({ files: [], roles: [] });
    app.write('roles/web.mjs', "export default { name: 'web', dependencies: ['store'], init() { return { v: 2 }; } };\n");
    const list = await call(server, 'GET', '/updates');
    expect(list.body).toEqual({ files: [`${app.dir}/roles/web.mjs`], roles: ['web'] });
    const update = await call(server, 'POST', '/update', { body: {} });
    expect(update).toMatchObject({ status: 200, body: { roles: ['web'] } });
    expect(rt.service<{ v: number }>('web').v).toBe(2);
    expect(rt.generation).toBe(1);
    expect((await call(server, 'POST', '/update', { body: { roles: ['./roles/web.mjs'] } })).status).toBe(400);
    app.write('roles/web.mjs', "export default { name: 'web', dependencies: ['store'], init() { return { v: 1 }; } };\n");
  });
});

describe('POST /reload, /reload/forbid, /reload/allow', () => {
  it('reloads the roles named, refuses while forbidden (409), and takes role names only (400 for a path or an unknown name)', async () => {
    const rt = await moduleRuntime();
    const server = await listen(rt);
    expect(await call(server, 'POST', '/reload', { body: { roles: ['store'] } })).toMatchObject({ status: 200, body: { state: 'RolesConfigured', generation: 1 } });
    expect(await call(server, 'POST', '/reload')).toMatchObject({ status: 200, body: { generation: 2 } });

    expect(await call(server, 'POST', '/reload/forbid')).toMatchObject({ status: 200, body: { reloadForbidden: true } });
    const refused = await call(server, 'POST', '/reload', { body: { roles: ['web'] } });
    expect(refused).toMatchObject({ status: 409, body: { error: { name: 'HotReloadError', message: 'Reloading roles forbidden' } } });
    expect(await call(server, 'POST', '/reload/allow')).toMatchObject({ status: 200, body: { reloadForbidden: false } });

    for (const roles of [['./roles/web.mjs'], [`${app.dir}/roles/web.mjs`], ['nope'], ['__proto__'], ['toString']]) {
      const res = await call(server, 'POST', '/reload', { body: { roles } });
      expect(res.status, roles[0]).toBe(400);
      expect(res.body.error).toMatchObject({ name: 'BadRequest', issues: [{ path: 'roles.0', message: `unknown role ${JSON.stringify(roles[0])}` }] });
    }
    for (const body of ['{"roles": "web"}', '{"roles": [1]}', '{"roles": [], "extra": 1}', '[', '"web"']) {
      const res = await call(server, 'POST', '/reload', { body, headers: { 'content-type': 'application/json' } });
      expect(res.status, body).toBe(400);
      expect(res.body.error.name, body).toBe('BadRequest');
    }
    expect(rt.generation).toBe(2);
  });

  it('answers 409 BusyError for a reload while an apply is in progress', async () => {
    let release!: () => void;
    const slow = defineRole({ name: 'slow', applyConfig: () => new Promise<void>((r) => (release = r)) });
    const rt = await createRuntime({ roles: [slow], reloadAllowed: true, logger: silent });
    runtimes.push(rt);
    const server = await listen(rt);
    const applying = call(server, 'POST', '/config', { body: { roles: ['slow'] } });
    while (!release) await sleep(5);
    const busy = await call(server, 'POST', '/reload');
    expect(busy).toMatchObject({ status: 409, body: { error: { name: 'BusyError' } } });
    release();
    expect(await applying).toMatchObject({ status: 200, body: { state: 'RolesConfigured' } });
  });
});

describe('POST /config', () => {
  const cache = defineRole({ name: 'cache', config: z.object({ ttl: z.number().int().positive() }) });

  it('applies a document; 422 with issues for a bad one, 400 for a malformed or empty body, 413 over the limit', async () => {
    const rt = await createRuntime({ roles: [cache], logger: silent });
    runtimes.push(rt);
    const server = await listen(rt, { bodyLimit: 10_000 });
    expect(await call(server, 'POST', '/config', { body: { roles: ['cache'], config: { cache: { ttl: 5 } } } })).toMatchObject({
      status: 200,
      body: { state: 'RolesConfigured' },
    });
    const unknown = await call(server, 'POST', '/config', { body: { roles: ['cache', 'ghost'] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ name: 'ValidateConfigError', issues: [{ path: 'roles.1', message: 'can not enable unknown role "ghost"' }] });
    const bad = await call(server, 'POST', '/config', { body: { roles: ['cache'], config: { cache: { ttl: -1 } } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ name: 'ValidateConfigError', issues: [{ path: 'config.cache.ttl', message: expect.any(String) }] });
    expect(await call(server, 'POST', '/config', { body: '{"roles": [' })).toMatchObject({ status: 400, body: { error: { name: 'BadRequest' } } });
    expect((await call(server, 'POST', '/config')).status).toBe(400);
    // Over the limit: with a Content-Length, and streamed without one.
    const big = JSON.stringify({ roles: ['cache'], config: { cache: { ttl: 5, pad: 'x'.repeat(20_000) } } });
    const over = await call(server, 'POST', '/config', { body: big });
    expect(over).toMatchObject({ status: 413, body: { error: { name: 'PayloadTooLarge' } } });
    const chunked = await fetch(`${server.url}/config`, {
      method: 'POST',
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(rt.status().roles.map((r) => r.name)).toEqual(['cache']);
  });

  it('answers 500 with the error for an apply that failed, and describes whatever a role threw (422 from validateConfig)', async () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } });
    const thrown: unknown[] = ['a string', null, Object.create(null), hostile, new Error('plain')];
    let which = 0;
    const picky = defineRole({
      name: 'picky',
      validateConfig: (conf: unknown) => {
        if ((conf as { fail?: boolean } | undefined)?.fail) throw thrown[which];
      },
      init: () => {
        if (which === -1) throw new Error('init broke');
      },
    });
    const rt = await createRuntime({ roles: [picky], logger: silent });
    runtimes.push(rt);
    const server = await listen(rt);
    for (which = 0; which < thrown.length; which++) {
      const res = await call(server, 'POST', '/config', { body: { roles: ['picky'], config: { picky: { fail: true } } } });
      expect(res.status, String(which)).toBe(422);
      expect(res.body.error.name).toBe('ValidateConfigError');
      expect(typeof res.body.error.message).toBe('string');
      expect(res.body.error.issues).toHaveLength(1);
    }
    which = -1;
    const failed = await call(server, 'POST', '/config', { body: { roles: ['picky'] } });
    expect(failed.status).toBe(500);
    expect(failed.body.error).toMatchObject({ name: 'ApplyConfigError', message: expect.stringContaining('init broke') });
  });
});

describe('unknown endpoints', () => {
  it('answer 404 in the same JSON shape; GET / with page: false says the page is not installed', async () => {
    const rt = await createRuntime({ roles: [], logger: silent });
    runtimes.push(rt);
    const server = await listen(rt, { page: false });
    expect(await call(server, 'GET', '/nope')).toMatchObject({ status: 404, body: { error: { name: 'NotFound' } } });
    expect(await call(server, 'GET', '/')).toMatchObject({ status: 404, body: { error: { message: 'The inspector page is not installed' } } });
  });

  it('serve the inspector page at GET / by default', async () => {
    const rt = await createRuntime({ roles: [], logger: silent });
    runtimes.push(rt);
    const server = await listen(rt);
    const page = await call(server, 'GET', '/');
    expect(page.status).toBe(200);
    expect(String(page.body)).toMatch(/^<!doctype html>/i);
    expect(String(page.body)).toContain('RolesConfigured');
  });

  it('serve the page given as an option at GET /', async () => {
    const rt = await createRuntime({ roles: [], logger: silent });
    runtimes.push(rt);
    const server = await listen(rt, { page: (c, session) => c.html(`<p>${session.authorized}</p>`) });
    expect(await call(server, 'GET', '/')).toMatchObject({ status: 200, body: '<p>true</p>' });
  });
});
