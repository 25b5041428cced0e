/** `rolekit validate`, as built (dist/cli/main.js): exit codes and what it prints. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, cli, fixtureDir } from './rolekit-process.js';

const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [cli, ...args], { env: { ...process.env, ROLEKIT_LOG_LEVEL: '' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );

const hostsOf = (entries: [string, string, string][]) =>
  entries.map(([host, role, section]) => `  ${host}:\n    roles: [${role}]\n    config:\n      ${role}: ${section}\n`).join('');

describe('rolekit validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir('prosody');
  });
  afterAll(() => cleanUp(undefined, dir));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const old = () =>
    write(
      'old.yaml',
      'modules: [./auth.mjs, ./component.mjs]\nhosts:\n' +
        hostsOf([
          ['example.com', 'auth', '{ authentication: internal_plain }'],
          ['a.example.com', 'component', '{ component_secret: a }'],
          ['b.example.com', 'component', '{ component_secret: b }'],
        ]),
    );

  it('prints the roles and hosts of a valid file and exits 0', async () => {
    const result = await run('validate', old());
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${join(dir, 'old.yaml')}: valid\nroles: (none)\nhosts:\n  example.com: auth\n  a.example.com: component\n  b.example.com: component\n`,
    );
  });

  it('prints every problem as file:line:col key: message and exits 1', async () => {
    const file = write(
      'bad.yaml',
      'modules: [./auth.mjs, ./component.mjs]\nhosts:\n' +
        hostsOf([
          ['a.example.com', 'component', '{ component_secret: 7 }'],
          ['b.example.com', 'nosuch', '{}'],
        ]),
    );
    const result = await run('validate', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${file}:8:13 hosts\\.b\\.example\\.com\\.roles\\.0: can not enable unknown role "nosuch"$`)),
    ]);
  });

  it('prints the plan from --against <old> to the file: what starts, stops, is applied again or left alone', async () => {
    const next = write(
      'new.yaml',
      'modules: [./auth.mjs, ./component.mjs]\nhosts:\n' +
        hostsOf([
          ['example.com', 'auth', '{ authentication: internal_plain }'],
          ['a.example.com', 'component', '{ component_secret: a }'],
          ['c.example.com', 'component', '{ component_secret: c }'],
        ]),
    );
    const result = await run('validate', next, '--against', old());
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `plan ${join(dir, 'old.yaml')} -> ${next}:\n` +
        '  start component on c.example.com\n' +
        '  stop  component on b.example.com\n' +
        '  unchanged: auth on example.com, component on a.example.com\n',
    );
  });

  it('exits 2 on a usage error', async () => {
    expect((await run('validate')).code).toBe(2);
    expect((await run('nosuchcommand')).code).toBe(2);
  });
});
