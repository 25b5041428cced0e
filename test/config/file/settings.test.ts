/**
 * The runtime's settings in a file: types, defaults, unknown keys, ports and
 * the coercion of strings that `${VAR}` makes.
 */
import { describe, expect, it } from 'vitest';
import { issuesOf, onlyIssue, parse, refusal } from './helpers.js';

describe('settings: defaults and a full file', () => {
  it('an empty mapping has the defaults and an empty document', () => {
    const cf = parse('{}');
    expect(cf.settings).toEqual({ modules: [], reloadAllowed: false, watch: false });
    expect(cf.document).toEqual({});
  });

  it('reads every setting of API.md sections 3, 6 and 7', () => {
    const cf = parse(
      [
        'modules: [./roles/api.js, ./roles/cache.js]',
        'reloadAllowed: true',
        'watch: true',
        'loader: native',
        'timeouts: { validate: 1000, init: 2000, apply: 3000, stop: 4000, drain: .inf }',
        'requestHoldTimeout: 500',
        'http: { port: 8080 }',
        'admin: { host: 0.0.0.0, port: 8081, token: s3cret, bodyLimit: 2048 }',
        'log: { level: debug }',
      ].join('\n'),
    );
    expect(cf.settings).toEqual({
      modules: ['./roles/api.js', './roles/cache.js'],
      reloadAllowed: true,
      watch: true,
      loader: 'native',
      timeouts: { validate: 1000, init: 2000, apply: 3000, stop: 4000, drain: Infinity },
      requestHoldTimeout: 500,
      http: { host: '127.0.0.1', port: 8080 },
      admin: { host: '0.0.0.0', port: 8081, token: 's3cret', bodyLimit: 2048 },
      log: { level: 'debug' },
    });
  });

  it('reads cluster settings (shape only)', () => {
    const cf = parse('cluster:\n  etcd: [http://127.0.0.1:2379]\n  name: shop\n  instance: a1\n  lease: 10000\n  timeouts: { prepare: 10000, commit: 10000, abort: 1000 }\n');
    expect(cf.settings.cluster).toEqual({
      etcd: ['http://127.0.0.1:2379'],
      name: 'shop',
      instance: 'a1',
      lease: 10000,
      timeouts: { prepare: 10000, commit: 10000, abort: 1000 },
    });
  });
});

describe('settings: wrong types', () => {
  it('reports each wrong value at its own line and column', () => {
    const err = refusal('http: { port: eighty }\nmodules: 3\nwatch: "yes"\nreloadAllowed: yes\nloader: manged\n');
    expect(issuesOf(err)).toEqual([
      [1, 9, 'http.port', 'expected a port number (an integer from 0 to 65535), got "eighty"'],
      [2, 1, 'modules', 'expected a list of module paths, got 3'],
      [3, 1, 'watch', 'expected true or false, got "yes"'],
      [4, 1, 'reloadAllowed', 'expected true or false, got "yes"'],
      [5, 1, 'loader', 'expected one of "managed", "native", got "manged"'],
    ]);
    expect([err.file, err.line, err.column]).toEqual(['rolekit.yaml', 1, 9]);
  });

  it('a module that is not a string, at its item', () => {
    expect(onlyIssue('modules:\n  - ./a.js\n  - 42\n')).toEqual([3, 5, 'modules.1', 'expected a module path (a non-empty string), got 42']);
  });

  it('a setting that must be a mapping', () => {
    expect(onlyIssue('http: 8080\n')).toEqual([1, 1, 'http', 'expected a mapping, got 8080']);
  });

  it('a required key that is missing is reported at its parent', () => {
    expect(onlyIssue('admin:\n  host: 127.0.0.1\n')).toEqual([1, 1, 'admin.port', 'required: a port number (an integer from 0 to 65535)']);
  });

  it('time limits: .inf allowed, negatives and .nan refused (as createRuntime does)', () => {
    expect(parse('timeouts: { init: .inf }').settings.timeouts).toEqual({ init: Infinity });
    expect(onlyIssue('timeouts: { init: -1 }')).toEqual([1, 13, 'timeouts.init', 'expected a time limit in ms, 0 or more (.inf: no limit), got -1']);
    expect(onlyIssue('requestHoldTimeout: .nan')).toEqual([1, 1, 'requestHoldTimeout', 'expected a time limit in ms, 0 or more (.inf: no limit), got .nan']);
  });

  it('log.level is one of pino\'s levels', () => {
    expect(onlyIssue('log: { level: verbose }')[3]).toBe('expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "verbose"');
  });
});

describe('settings: ports', () => {
  it.each([
    ['65536', 'got 65536'],
    ['-1', 'got -1'],
    ['80.5', 'got 80.5'],
    ['1e9', 'got 1000000000'],
    ['"80a"', 'got "80a"'],
  ])('refuses port %s', (port, got) => {
    expect(onlyIssue(`http:\n  port: ${port}\n`)).toEqual([2, 3, 'http.port', `expected a port number (an integer from 0 to 65535), ${got}`]);
  });

  it('accepts 0 (any free port) and 65535', () => {
    expect(parse('http: { port: 0 }').settings.http).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parse('http: { port: 65535 }').settings.http?.port).toBe(65535);
  });

  it('a listen host is an address or a name, without a port', () => {
    expect(onlyIssue('http: { host: "127.0.0.1:80", port: 80 }')).toEqual([
      1,
      9,
      'http.host',
      'expected an IP address or a host name to listen on, without a port (e.g. 127.0.0.1, 0.0.0.0, ::1, localhost), got "127.0.0.1:80"',
    ]);
    expect(parse('http: { host: "::", port: 80 }').settings.http?.host).toBe('::');
  });
});

describe('settings: unknown keys', () => {
  it('a misspelt top-level key is refused with the close name', () => {
    expect(onlyIssue('reloadAlowed: true\n')).toEqual([1, 1, 'reloadAlowed', 'unknown key "reloadAlowed" (did you mean "reloadAllowed"?)']);
    expect(onlyIssue('Roles: [a]\n')[3]).toBe('unknown key "Roles" (did you mean "roles"?)');
  });

  it('an unknown key with no close name lists the known ones', () => {
    expect(onlyIssue('listen: 80\n')[3]).toBe(
      'unknown key "listen" (known keys: modules, reloadAllowed, watch, loader, timeouts, requestHoldTimeout, http, admin, log, cluster, roles, config, hosts)',
    );
  });

  it('nested settings refuse unknown keys too', () => {
    expect(onlyIssue('http:\n  prot: 80\n  port: 80\n')).toEqual([2, 3, 'http.prot', 'unknown key "prot" (did you mean "port"?)']);
    expect(onlyIssue('timeouts: { aply: 1 }')).toEqual([1, 13, 'timeouts.aply', 'unknown key "aply" (did you mean "apply"?)']);
  });
});

describe('settings: strings from ${VAR} are read as numbers and booleans', () => {
  it('port, booleans and time limits from the environment', () => {
    const cf = parse('http: { port: "${PORT}" }\nwatch: ${WATCH}\ntimeouts: { drain: "${DRAIN:-.inf}" }\n', { env: { PORT: '8080', WATCH: 'true' } });
    expect(cf.settings.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(cf.settings.watch).toBe(true);
    expect(cf.settings.timeouts).toEqual({ drain: Infinity });
  });

  it('a variable that does not spell a number is reported with its value', () => {
    expect(onlyIssue('http:\n  port: ${PORT}\n', { env: { PORT: 'http' } })).toEqual([
      2,
      3,
      'http.port',
      'expected a port number (an integer from 0 to 65535), got "http"',
    ]);
  });

  it('the document keeps strings as strings', () => {
    const cf = parse('config:\n  cache: { ttl: "${TTL}", on: "true" }\n', { env: { TTL: '30' } });
    expect(cf.document.config).toEqual({ cache: { ttl: '30', on: 'true' } });
  });
});

describe('settings across keys', () => {
  it('an admin API on a public address needs a token', () => {
    expect(onlyIssue('admin: { host: 0.0.0.0, port: 8081 }')).toEqual([
      1,
      10,
      'admin.host',
      'without admin.token the admin API listens on loopback only (127.0.0.1, ::1, localhost), not on 0.0.0.0: set a token',
    ]);
  });

  it('an empty token (an empty variable) is refused rather than meaning no token', () => {
    expect(onlyIssue('admin: { port: 8081, token: "${T:-}" }')).toEqual([1, 22, 'admin.token', 'expected a bearer token (a non-empty string), got ""']);
  });

  it('admin and http on the same address', () => {
    expect(onlyIssue('http: { port: 8080 }\nadmin: { port: 8080 }\n')).toEqual([2, 10, 'admin.port', 'admin and http can not both listen on 127.0.0.1:8080']);
  });

  it('cluster with a document is refused at each document key', () => {
    const err = refusal('cluster: { etcd: [http://e:2379], name: shop, instance: a1 }\nroles: [api]\nhosts: {}\n');
    expect(issuesOf(err)).toEqual([
      [2, 1, 'roles', 'with cluster, the document comes from etcd: a file with cluster holds no roles (apply it with rolekit apply --cluster)'],
      [3, 1, 'hosts', 'with cluster, the document comes from etcd: a file with cluster holds no hosts (apply it with rolekit apply --cluster)'],
    ]);
  });

  it('cluster shape: URLs, names, lease', () => {
    const err = refusal('cluster:\n  etcd: [ftp://e]\n  name: "a/b"\n  instance: a1\n  lease: 0\n');
    expect(issuesOf(err)).toEqual([
      [2, 10, 'cluster.etcd.0', 'expected an http:// or https:// URL of an etcd endpoint, got "ftp://e"'],
      [3, 3, 'cluster.name', 'expected a cluster name: letters, digits, ".", "_" and "-", at most 63 (it is part of etcd keys), got "a/b"'],
      [5, 3, 'cluster.lease', 'expected a whole number of ms, more than 0, got 0'],
    ]);
    expect(onlyIssue('cluster: { etcd: [], name: a, instance: b }')).toEqual([1, 12, 'cluster.etcd', 'expected at least one etcd URL']);
  });
});
