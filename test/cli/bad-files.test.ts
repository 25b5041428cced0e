/**
 * Bad input on a running service: a `rolekit start` process serves a good
 * file; then, one after another, twenty-odd kinds of bad file are written
 * over it and SIGHUP asks for a re-read. Each is refused with a message
 * naming the file, line, column and key, and the roles keep serving what was
 * applied before. Finally the good file applies again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, fixtureDir, get, startRolekit, type RolekitProcess } from './rolekit-process.js';

const GOOD = [
  'modules: [./auth.mjs, ./component.mjs]',
  'http: { host: 127.0.0.1, port: 0 }',
  'hosts:',
  '  example.com:',
  '    roles: [auth]',
  '    config:',
  '      auth: { authentication: internal_plain }',
  '  a.example.com:',
  '    roles: [component]',
  '    config:',
  '      component: { component_secret: a }',
  '',
].join('\n');
/** The good file with its last `hosts` entries replaced. */
const withHosts = (...lines: string[]) => GOOD.split('\n').slice(0, 7).concat(lines, '').join('\n');

/** [what, file contents, the key it must name ('' for none: a problem of the whole file), a pattern for the message, the line] */
const BAD: [string, string | Buffer, string | RegExp, RegExp, number?][] = [
  ['a wrong type', GOOD.replace('port: 0', 'port: eighty'), 'http.port', /number|integer/i, 2],
  ['an unknown role', withHosts('  a.example.com:', '    roles: [nosuch]'), 'hosts.a.example.com.roles.0', /unknown role "nosuch"/, 9],
  ['a role at the wrong level', `roles: [auth]\n${GOOD}`, 'roles.0', /host-scoped/, 1],
  ['a role refusing its section', GOOD.replace('component_secret: a', 'component_secret: 7'), 'hosts.a.example.com.config.component', /component_secret must be a string/, 11],
  ['duplicate keys', `${GOOD}hosts: {}\n`, 'hosts', /duplicate|unique/i],
  ['a missing variable', GOOD.replace('auth: { authentication: internal_plain }', 'auth:\n        authentication: ${ROLEKIT_TEST_UNSET_VARIABLE}'), 'hosts.example.com.config.auth.authentication', /ROLEKIT_TEST_UNSET_VARIABLE/, 8],
  ['a YAML syntax error', GOOD.replace('roles: [auth]', 'roles: [auth'), 'hosts.example.com.config', /flow sequence/, 6],
  ['tabs for indentation', GOOD.replace('  example.com:', '\texample.com:'), 'hosts', /tab/i, 4],
  ['a root that is not a mapping', '- just\n- a list\n', '', /mapping|object/i, 1],
  ['an empty file', '', '', /empty/i, 1],
  ['a 50 MB file', `# ${'x'.repeat(50 * 1024 * 1024)}\n${GOOD}`, '', /too (big|large)|limit|MiB|MB/i, 1],
  ['a document nested 10 000 levels', `${GOOD}config: { deep: ${'['.repeat(10_000)}${']'.repeat(10_000)} }\n`, /^config\.deep(\.0)+$/, /nested more than \d+ levels/, 12],
  [
    'billion laughs',
    `${GOOD}config:\n  lol:\n    a: &a [x, x, x, x, x, x, x, x, x, x]\n` +
      'bcdefghi'.split('').map((c, i) => `    ${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]\n`).join(''),
    /^config\.lol/,
    /alias/i,
  ],
  ['a __proto__ host', withHosts('  __proto__:', '    roles: [component]'), 'hosts.__proto__', /host name/i, 8],
  ['a role named constructor', withHosts('  a.example.com:', '    roles: [constructor]'), 'hosts.a.example.com.roles.0', /unknown role "constructor"/, 9],
  ['a host name that is not one', withHosts('  "exa mple.com":', '    roles: [component]'), 'hosts.exa mple.com', /host name/i, 8],
  ['a port out of range', GOOD.replace('port: 0', 'port: 70000'), 'http.port', /65535|too big|less than/i, 2],
  ['a module that does not exist', GOOD.replace('./component.mjs', './nosuch.mjs'), 'modules.1', /nosuch\.mjs/, 1],
  ['binary garbage', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0xfe, 0x00, 0x00, 0x9c, 0x80]), '', /not UTF-8 text.*binary/, 1],
  ['two documents in one file', `${GOOD}---\n${GOOD}`, '', /document/i],
  ['a misspelt setting', `reloadAlowed: true\n${GOOD}`, 'reloadAlowed', /reloadAllowed/, 1],
  ['sections that are not an object', `${GOOD}config: 5\n`, 'config', /expected an object/, 12],
  ['hosts that are a list', `${GOOD.split('hosts:')[0]}hosts: [example.com]\n`, 'hosts', /object|mapping/i, 3],
];

describe('bad files on a running service', () => {
  let dir: string;
  let file: string;
  let rk: RolekitProcess;
  let url: string;
  beforeAll(async () => {
    dir = fixtureDir('prosody');
    file = join(dir, 'rolekit.yaml');
    writeFileSync(file, GOOD);
    rk = startRolekit(file);
    url = await rk.url;
  });
  afterAll(() => cleanUp(rk, dir));

  it.each(BAD)('%s: refused with file, line, column and key; the roles keep serving', async (_what, contents, key, message, line) => {
    writeFileSync(file, contents);
    const since = rk.lines().length;
    rk.kill('SIGHUP');
    const refused = await rk.waitFor((l) => l.level >= 50 && l.msg.startsWith(`${file}:`), { since });
    // `<file>:<line>:<col> <key>: <message>`, or without a key for a problem of the whole file.
    const m = /^(.*?):(\d+):(\d+) (.*) \(the running configuration stays\)$/.exec(refused.msg);
    expect(m, refused.msg).not.toBeNull();
    const [, at, l, c, rest] = m!;
    expect(at).toBe(file);
    expect(Number(c)).toBeGreaterThanOrEqual(1);
    if (line !== undefined) expect(Number(l)).toBe(line);
    if (key === '') {
      expect(rest).toMatch(message);
    } else {
      const colon = typeof key === 'string' ? key.length : (rest!.match(/^\S+?: /)?.[0].length ?? 2) - 2;
      const [k, text] = [rest!.slice(0, colon), rest!.slice(colon + 2)];
      expect(k).toMatch(typeof key === 'string' ? new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : key);
      expect(text).toMatch(message);
    }
    expect(JSON.parse((await get(url, '/component', 'a.example.com')).body)).toEqual({ host: 'a.example.com', secret: 'a' });
    expect((await get(url, '/auth', 'example.com')).status).toBe(200);
  });

  it('applies the good file again afterwards', async () => {
    writeFileSync(file, GOOD.replace('component_secret: a', 'component_secret: again'));
    const since = rk.lines().length;
    rk.kill('SIGHUP');
    await rk.waitFor((l) => l.msg === 'configuration file applied', { since });
    expect(JSON.parse((await get(url, '/component', 'a.example.com')).body)).toEqual({ host: 'a.example.com', secret: 'again' });
  });
});
