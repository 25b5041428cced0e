/**
 * `rolekit start` around the service: why it can not start (exit 1, the
 * reason on stderr), a graceful stop's order, a second signal.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanUp, fixtureDir, get, startRolekit, type RolekitProcess } from './rolekit-process.js';

describe('rolekit start', () => {
  let dir: string;
  let rk: RolekitProcess | undefined;
  beforeEach(() => {
    dir = fixtureDir('prosody');
  });
  afterEach(() => cleanUp(rk, dir));

  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('exits 1 with file:line:col and the key on stderr when the document is invalid', async () => {
    const file = write('bad.yaml', 'modules: [./component.mjs]\nhosts:\n  a.example.com:\n    roles: [component]\n    config:\n      component: { secret: 1 }\n');
    rk = startRolekit(file);
    expect(await rk.exit).toBe(1);
    expect(rk.stderr()).toMatch(/bad\.yaml:6:\d+ hosts\.a\.example\.com\.config\.component: component_secret must be a string/);
  });

  it('exits 1 when the file does not exist, or its listener can not bind', async () => {
    rk = startRolekit(join(dir, 'missing.yaml'));
    expect(await rk.exit).toBe(1);
    expect(rk.stderr()).toContain('missing.yaml');

    const first = startRolekit(write('a.yaml', 'modules: [./auth.mjs]\nhttp: { port: 0 }\n'));
    const port = new URL(await first.url).port;
    rk = startRolekit(write('b.yaml', `modules: [./auth.mjs]\nhttp: { port: ${port} }\n`));
    expect(await rk.exit).toBe(1);
    expect(rk.stderr()).toContain('EADDRINUSE');
    first.kill('SIGKILL');
    await first.exit;
  });

  it('a second SIGTERM during a graceful stop exits 1 at once, without waiting for the request in flight', async () => {
    write('slow.mjs', `export default { name: 'slow', scope: 'host', init(ctx) {
      ctx.route('GET', '/slow', async () => { await new Promise((r) => ctx.setTimeout(r, 5000)); return new Response('late'); });
    } };\n`);
    const file = write('rolekit.yaml', 'modules: [./auth.mjs, ./slow.mjs]\nhttp: { port: 0 }\nhosts:\n  x.example.com: { roles: [auth, slow] }\n');
    rk = startRolekit(file);
    const url = await rk.url;
    expect((await get(url, '/auth', 'x.example.com')).status).toBe(200);
    const slow = get(url, '/slow', 'x.example.com').catch((err: Error) => ({ status: 0, body: err.message }));
    await new Promise((r) => setTimeout(r, 100));
    rk.kill('SIGTERM');
    await rk.waitFor((l) => l.msg.startsWith('SIGTERM'));
    rk.kill('SIGTERM');
    expect(await rk.exit).toBe(1);
    expect(rk.lines().some((l) => l.msg === 'SIGTERM again: exiting without waiting')).toBe(true);
    expect((await slow).status).not.toBe(200);
  });

  it('a changed modules list (SIGHUP) loads the added module and applies the document with it, in one reload', async () => {
    const file = write('rolekit.yaml', 'modules: [./auth.mjs]\nreloadAllowed: true\nhttp: { port: 0 }\nhosts:\n  x.example.com: { roles: [auth] }\n');
    rk = startRolekit(file);
    const url = await rk.url;
    expect((await get(url, '/component', 'c.example.com')).status).toBe(404);
    const since = rk.lines().length;
    write(
      'rolekit.yaml',
      'modules: [./auth.mjs, ./component.mjs]\nreloadAllowed: true\nhttp: { port: 0 }\nhosts:\n  x.example.com: { roles: [auth] }\n' +
        '  c.example.com:\n    roles: [component]\n    config:\n      component: { component_secret: c }\n',
    );
    rk.kill('SIGHUP');
    await rk.waitFor((l) => l.msg.startsWith('configuration file applied'), { since });
    expect(JSON.parse((await get(url, '/component', 'c.example.com')).body)).toEqual({ host: 'c.example.com', secret: 'c' });
    expect((await get(url, '/auth', 'x.example.com')).status).toBe(200);
    rk.kill('SIGTERM');
    expect(await rk.exit).toBe(0);
  });
});
