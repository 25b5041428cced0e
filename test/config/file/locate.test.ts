/**
 * locate(path): the line and column of a document path in the file, keys
 * with dots included, and ValidateConfigError issues placed in the file.
 */
import { describe, expect, it } from 'vitest';
import { ValidateConfigError, createRuntime, defineRole, formatConfigFileError, locateIssues } from '../../../src/index.js';
import { silent } from '../../helpers.js';
import { issuesOf, onlyIssue, parse } from './helpers.js';

const FILE = [
  'roles: [api, cache]', //                      1
  'config:', //                                  2
  '  cache: { ttl: 30 }', //                     3
  'hosts:', //                                   4
  '  example.com:', //                           5
  '    roles: [auth]', //                        6
  '    config:', //                              7
  '      auth: { backend: internal_plain }', //  8
  '      x: 1', //                               9
  '  a.example.com:', //                         10
  '    roles:', //                               11
  '      - component', //                        12
  '    config:', //                              13
  '      x: { y: 2 }', //                        14
  '  a.example:', //                             15
  '    config: { com: 1 }', //                   16
].join('\n');

describe('locate', () => {
  const cf = parse(FILE);

  it.each([
    ['', 1, 1],
    ['roles', 1, 1],
    ['roles.0', 1, 9],
    ['roles.1', 1, 14],
    ['config.cache.ttl', 3, 12],
    ['hosts.example.com', 5, 3],
    ['hosts.example.com.roles.0', 6, 13],
    ['hosts.example.com.config.auth.backend', 8, 15],
    ['hosts.example.com.config.x', 9, 7],
    ['hosts.a.example.com.roles.0', 12, 9],
    ['hosts.a.example.com.config.x.y', 14, 12],
    // `hosts.a.example.com` could be host `a.example` with key `com`: the keys present decide.
    ['hosts.a.example.config.com', 16, 15],
  ])('%s is at %i:%i', (path, line, column) => {
    expect(cf.locate(path)).toEqual({ line, column });
  });

  it('a missing key is reported at its nearest existing ancestor', () => {
    expect(cf.locate('config.cache.size')).toEqual({ line: 3, column: 3 });
    expect(cf.locate('hosts.example.com.config.auth.backend.deeper')).toEqual({ line: 8, column: 15 });
    expect(cf.locate('roles.7')).toEqual({ line: 1, column: 1 });
    expect(cf.locate('hosts.b.example.com')).toEqual({ line: 4, column: 1 });
  });

  it('undefined when nothing matches', () => {
    expect(cf.locate('nope.x')).toBeUndefined();
    expect(cf.locate('rolesx')).toBeUndefined();
  });

  it('a {name: bool} map of roles', () => {
    const m = parse('roles:\n  api: true\n  cache: false\n');
    expect(m.locate('roles.cache')).toEqual({ line: 3, column: 3 });
  });

  it('backtracks when the longest key is a dead end', () => {
    const m = parse('hosts:\n  a.b: { config: { z: 1 } }\n  a: {}\nconfig:\n  a.b: { c: 1 }\n  a: { b: { c: { d: 1 } } }\n');
    expect(m.locate('config.a.b.c.d')).toEqual({ line: 6, column: 18 });
    expect(m.locate('config.a.b.c')).toEqual({ line: 5, column: 10 });
  });

  it('paths through an alias point into its anchor', () => {
    const m = parse('config:\n  a: &base { ttl: 1 }\n  b: *base\n');
    expect(m.locate('config.b.ttl')).toEqual({ line: 2, column: 14 });
  });

  it('is polynomial on keys that are prefixes of each other', () => {
    const keys = Array.from({ length: 12 }, (_, i) => Array(i + 1).fill('a').join('.'));
    const level = (depth: number): string => (depth === 0 ? '1' : `{ ${keys.map((k) => `"${k}": ${level(depth - 1)}`).join(', ')} }`);
    const m = parse(`config: { s: ${level(2)} }`);
    const started = performance.now();
    expect(m.locate(`config.s.${Array(30).fill('a').join('.')}.x`)).toBeDefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('document shape errors at their lines', () => {
  it.each([
    ['config: 3\n', [1, 1, 'config', 'expected an object of sections keyed by role name, got number']],
    ['hosts: [a]\n', [1, 1, 'hosts', 'expected an object of hosts, got an array']],
    ['hosts:\n  a.com: 3\n', [2, 3, 'hosts.a.com', 'expected an object with roles and config, got number']],
    ['roles: [a, 3]\n', [1, 12, 'roles.1', 'expected a role name, got number']],
    ['roles: { a: yes }\n', [1, 10, 'roles.a', 'expected true or false, got string']],
    ['hosts:\n  a.com:\n    roles: 3\n', [3, 5, 'hosts.a.com.roles', 'expected a list of role names or a { name: boolean } map, got number']],
  ])('%j', (text, issue) => {
    expect(onlyIssue(text)).toEqual(issue);
  });

  it('a role section that is a scalar is the role\'s business; locate finds it', () => {
    const cf = parse('roles: [cache]\nconfig:\n  cache: 30\n');
    expect(cf.document.config).toEqual({ cache: 30 });
    expect(cf.locate('config.cache')).toEqual({ line: 3, column: 3 });
  });
});

describe('locateIssues', () => {
  it('places every ValidateConfigError issue of rt.validateConfig at its line', async () => {
    const rt = await createRuntime({
      roles: [defineRole({ name: 'cache', validateConfig: (s: unknown) => void ((s as { ttl: number }).ttl > 0 || fail('config.cache.ttl')) }), defineRole({ name: 'auth', scope: 'host' })],
      logger: silent,
    });
    const cf = parse('roles: [cache, nope]\nconfig:\n  cache: { ttl: 0 }\nhosts:\n  example.com:\n    roles: [auth, cache2]\n');
    const err = (await rt.validateConfig(cf.document).catch((e: unknown) => e)) as ValidateConfigError;
    expect(err).toBeInstanceOf(ValidateConfigError);
    const located = locateIssues(cf, err);
    expect(located.cause).toBe(err);
    expect(issuesOf(located).map(([line, column, path]) => [line, column, path])).toEqual(
      err.issues.map((i) => [cf.locate(i.path)?.line ?? 1, cf.locate(i.path)?.column ?? 1, i.path]),
    );
    expect(located.issues.map((i) => i.path)).toContain('roles.1');
    expect(located.issues.find((i) => i.path === 'roles.1')).toMatchObject({ line: 1, column: 16 });
    expect(located.issues.find((i) => i.path === 'hosts.example.com.roles.1')).toMatchObject({ line: 6, column: 19 });
    await rt.stop();
  });

  it('keeps extra fields of an issue, and places an unknown path at the root', () => {
    const cf = parse('\n\nroles: [a]\n');
    const err = new ValidateConfigError([
      { path: 'roles.0', message: 'no', instance: 'a1' } as never,
      { path: 'elsewhere', message: 'somewhere' },
    ]);
    expect(locateIssues(cf, err).issues).toEqual([
      { path: 'roles.0', message: 'no', instance: 'a1', line: 3, column: 9 },
      { path: 'elsewhere', message: 'somewhere', line: 3, column: 1 },
    ]);
  });
});

describe('formatConfigFileError', () => {
  it('one line per issue: <file>:<line>:<col> <key>: <message>', () => {
    const cf = parse('roles: [a]\n', { file: 'etc/rolekit.yaml' });
    const err = locateIssues(cf, new ValidateConfigError([{ path: 'roles.0', message: 'can not enable unknown role "a"' }, { path: '', message: 'whole' }]));
    expect(formatConfigFileError(err)).toEqual(['etc/rolekit.yaml:1:9 roles.0: can not enable unknown role "a"', 'etc/rolekit.yaml:1:1 whole']);
  });
});

function fail(path: string): never {
  throw new Error(`${path} must be more than 0`);
}

describe('large files', () => {
  it('3000 hosts with an issue each: every issue located, in linear time per issue', () => {
    const text = 'hosts:\n' + Array.from({ length: 3000 }, (_, i) => `  h${i}.example.com: { roles: [site], config: { site: { n: ${i} } } }\n`).join('');
    const cf = parse(text);
    const err = new ValidateConfigError(Array.from({ length: 3000 }, (_, i) => ({ path: `hosts.h${i}.example.com.config.site.n`, message: 'bad' })));
    const started = performance.now();
    const located = locateIssues(cf, err);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(located.issues[2999]).toMatchObject({ line: 3001, column: 57 });
  });
});
