/**
 * The two examples of Prosody's mod_reload_components, exactly, with a real
 * `rolekit start` process: its file is edited on disk (example 1: watch mode;
 * example 2: SIGHUP, like `prosodyctl reload`), then each host's routes are
 * asked over HTTP. Example 2 goes beyond mod_reload_components: the new
 * VirtualHost starts as well as its component.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, fixtureDir, get, startRolekit, type LogLine, type RolekitProcess } from './rolekit-process.js';

function host(name: string, role: 'auth' | 'component', section: Record<string, string>): string {
  return `  ${name}:\n    roles: [${role}]\n    config:\n      ${role}: ${JSON.stringify(section)}\n`;
}
const virtualHost = (name: string) => host(name, 'auth', { authentication: 'internal_plain' });
const component = (name: string, secret: string) => host(name, 'component', { component_secret: secret });

function fileWith(watch: boolean, hosts: string[]): string {
  return ['modules: [./auth.mjs, ./component.mjs]', `watch: ${watch}`, 'reloadAllowed: true', 'http: { host: 127.0.0.1, port: 0 }', 'hosts:', ...hosts].join('\n');
}

const appliedOn = (lines: LogLine[], since: number, msg: string) =>
  lines.slice(since).filter((l) => l.msg === msg).map((l) => l.host).sort();

describe("Prosody's mod_reload_components examples, with rolekit start", () => {
  let dir: string;
  let rk: RolekitProcess | undefined;
  afterEach(() => cleanUp(rk, dir));

  function setUp(contents: string): string {
    dir = fixtureDir('prosody');
    const file = join(dir, 'rolekit.yaml');
    writeFileSync(file, contents);
    return file;
  }

  it('example 1: component c.example.com starts and b.example.com stops (watch mode)', async () => {
    const file = setUp(fileWith(true, [virtualHost('example.com'), component('a.example.com', 'a'), component('b.example.com', 'b')]));
    rk = startRolekit(file);
    const url = await rk.url;
    expect(await get(url, '/component', 'b.example.com')).toMatchObject({ status: 200 });
    expect(JSON.parse((await get(url, '/component', 'a.example.com')).body)).toEqual({ host: 'a.example.com', secret: 'a' });

    const since = rk.lines().length;
    writeFileSync(file, fileWith(true, [virtualHost('example.com'), component('a.example.com', 'a'), component('c.example.com', 'c')]));
    await rk.waitFor((l) => l.msg === 'configuration file applied', { since });

    expect(JSON.parse((await get(url, '/component', 'c.example.com')).body)).toEqual({ host: 'c.example.com', secret: 'c' });
    expect((await get(url, '/component', 'b.example.com')).status).toBe(404);
    expect(JSON.parse((await get(url, '/component', 'a.example.com')).body)).toEqual({ host: 'a.example.com', secret: 'a' });
    expect(JSON.parse((await get(url, '/auth', 'example.com')).body)).toEqual({ host: 'example.com', authentication: 'internal_plain' });
    // Only the hosts that changed were touched: a.example.com's component was left alone.
    expect(appliedOn(rk.lines(), since, 'component applied')).toEqual(['c.example.com']);
    expect(appliedOn(rk.lines(), since, 'component stopped')).toEqual(['b.example.com']);
  });

  it("example 2: newexample.com's VirtualHost and its component a.newexample.com both start (SIGHUP)", async () => {
    const file = setUp(fileWith(false, [virtualHost('example.com'), component('a.example.com', 'a')]));
    rk = startRolekit(file);
    const url = await rk.url;
    expect((await get(url, '/auth', 'newexample.com')).status).toBe(404);

    const since = rk.lines().length;
    writeFileSync(
      file,
      fileWith(false, [virtualHost('example.com'), component('a.example.com', 'a'), virtualHost('newexample.com'), component('a.newexample.com', 'a')]),
    );
    rk.kill('SIGHUP');
    await rk.waitFor((l) => l.msg === 'configuration file applied', { since });

    expect(JSON.parse((await get(url, '/auth', 'newexample.com')).body)).toEqual({ host: 'newexample.com', authentication: 'internal_plain' });
    expect(JSON.parse((await get(url, '/component', 'a.newexample.com')).body)).toEqual({ host: 'a.newexample.com', secret: 'a' });
    // Host matching is case-insensitive and ignores the port.
    expect((await get(url, '/auth', 'NewExample.COM:443')).status).toBe(200);
    expect((await get(url, '/component', 'a.example.com')).status).toBe(200);
    expect(appliedOn(rk.lines(), since, 'component applied')).toEqual(['a.newexample.com']);
    expect(appliedOn(rk.lines(), since, 'component stopped')).toEqual([]);

    rk.kill('SIGTERM');
    expect(await rk.exit).toBe(0);
  });
});
