/**
 * The admin client commands against a real `rolekit start` (its admin
 * listener, with a token), as a script would run them: what they print and
 * the exit codes scripts rely on (0 ok, 1 the admin API refused, 2 usage,
 * 3 unreachable).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, cli, fixtureDir, startRolekit, type RolekitProcess } from './rolekit-process.js';

const TOKEN = 'client-test-token';
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [cli, ...args], { env: { ...process.env, ROLEKIT_ADMIN_TOKEN: '', ROLEKIT_ADMIN_URL: '' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );

describe('rolekit status | reload | update-list | update | forbid-reload | allow-reload | apply', () => {
  let dir: string;
  let rk: RolekitProcess;
  let admin: string;
  const as = (...args: string[]) => run(...args, '--admin', admin, '--token', TOKEN);
  const hosts = (secret: string) => `hosts:\n  a.example.com:\n    roles: [component]\n    config:\n      component: { component_secret: ${secret} }\n`;

  beforeAll(async () => {
    dir = fixtureDir('prosody');
    writeFileSync(join(dir, 'rolekit.yaml'), `modules: [./auth.mjs, ./component.mjs]\nreloadAllowed: true\nadmin: { port: 0, token: ${TOKEN} }\n${hosts('a')}`);
    rk = startRolekit(join(dir, 'rolekit.yaml'));
    admin = (await rk.waitFor((l) => typeof l.admin === 'string')).admin as string;
  });
  afterAll(() => cleanUp(rk, dir));

  it('status prints a table; --json the answer; without the token it is refused (1), unreachable is 3', async () => {
    const table = await as('status');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^state: RolesConfigured {3}generation: 0$/m);
    expect(table.stdout).toMatch(/^HOST +ROLE +STATUS +RUNNING +MESSAGE$/m);
    expect(table.stdout).toMatch(/^a\.example\.com +component +ok +yes$/m);
    const json = await as('status', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ state: 'RolesConfigured', hosts: { 'a.example.com': { component: { type: 'ok' } } } });

    const noToken = await run('status', '--admin', admin);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/Unauthorized/);
    expect((await run('status', '--admin', 'http://127.0.0.1:1')).code).toBe(3);
    expect((await run('status', '--nosuchoption')).code).toBe(2);
  });

  it('reload, forbid-reload (then reload is refused: 1), allow-reload', async () => {
    expect(await as('reload', 'component')).toMatchObject({ code: 0, stdout: 'reloaded component (generation 1)\n' });
    expect(await as('forbid-reload')).toMatchObject({ code: 0, stdout: 'reloads forbidden\n' });
    const refused = await as('reload');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HotReloadError: Reloading roles forbidden');
    expect(await as('allow-reload')).toMatchObject({ code: 0, stdout: 'reloads allowed\n' });
    expect((await as('reload', 'nosuch')).code).toBe(1);
  });

  it('update-list names a changed role file, update reloads it', async () => {
    expect(await as('update-list')).toMatchObject({ code: 0, stdout: 'no role file changed on disk\n' });
    const file = join(dir, 'component.mjs');
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// edited\n`);
    const listed = await as('update-list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(`roles: component\n  ${file}\n`);
    expect(await as('update')).toMatchObject({ code: 0, stdout: 'reloaded component\n' });
    expect(await as('update')).toMatchObject({ code: 0, stdout: 'nothing to update: no role file changed\n' });
  });

  it("apply sends a file's document; a refused one prints each issue at its place in that file", async () => {
    const good = join(dir, 'next.yaml');
    writeFileSync(good, hosts('b'));
    expect(await as('apply', good)).toMatchObject({ code: 0, stdout: `${good} applied\n` });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, hosts('7'));
    const refused = await as('apply', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`${bad}:5:7 hosts.a.example.com.config.component: component_secret must be a string\n`);
    const status = JSON.parse((await as('status', '--json')).stdout) as { roles: { name: string; host?: string }[] };
    expect(status.roles.some((r) => r.name === 'component' && r.host === 'a.example.com')).toBe(true);
  });
});
