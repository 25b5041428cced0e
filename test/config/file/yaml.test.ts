/**
 * Files that are not a configuration: syntax, tabs, duplicates, roots that
 * are not mappings, empty files, several documents, keys that are not
 * strings, tags, CRLF, a BOM and JSON.
 */
import { describe, expect, it } from 'vitest';
import { issuesOf, onlyIssue, parse, refusal } from './helpers.js';

describe('YAML syntax', () => {
  it('a syntax error is at its line and column, with the key it belongs to', () => {
    expect(onlyIssue('config:\n  a: [1, 2\n  b: 3\n')).toEqual([
      3,
      3,
      'config.b',
      'flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('a syntax error outside any key has the key ""', () => {
    expect(onlyIssue('"unterminated\n')).toEqual([2, 1, '', 'missing closing "quote']);
  });

  it('tabs used as indentation, with the key above them', () => {
    expect(onlyIssue('http:\n\tport: 80\n')).toEqual([2, 1, 'http', 'tabs are not allowed as indentation in YAML: indent with spaces']);
  });

  it('a duplicate key says where the first one is', () => {
    expect(onlyIssue('watch: true\nroles: []\nwatch: false\n')).toEqual([3, 1, 'watch', 'duplicate key (first at line 1)']);
    expect(onlyIssue('hosts:\n  a.com: {}\n  a.com: {}\n')).toEqual([3, 3, 'hosts.a.com', 'duplicate key (first at line 2)']);
  });

  it('two documents in one file are refused at the second', () => {
    expect(onlyIssue('roles: [a]\n---\nroles: [b]\n')).toEqual([2, 1, '', 'the file holds 2 YAML documents (separated by ---); a configuration file holds one']);
  });

  it('one document with its --- and ... markers is fine', () => {
    expect(parse('---\nroles: [a]\n...\n').document).toEqual({ roles: ['a'] });
  });
});

describe('the root', () => {
  it.each([
    ['a list', '- a\n- b\n', 'a list'],
    ['a string', 'hello\n', 'the string "hello"'],
    ['a number', '42\n', 'the value "42"'],
    ['null', '~\n', 'null'],
  ])('%s is not a configuration', (_kind, text, got) => {
    expect(onlyIssue(text)).toEqual([1, 1, '', `the file must hold a mapping of keys (modules, http, roles, …), got ${got}`]);
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# rolekit\n# nothing yet\n'],
    ['only blank lines', '\n\n   \n'],
    ['only a document marker', '---\n'],
  ])('%s is refused (an empty configuration is written {})', (_kind, text) => {
    expect(onlyIssue(text)).toEqual([1, 1, '', 'the file is empty (only comments or blank lines): an empty configuration is written {}']);
  });
});

describe('keys', () => {
  it('a list or mapping as a key is refused', () => {
    expect(onlyIssue('? [a, b]\n: 1\n')).toEqual([1, 3, '', 'a key must be a string, not a list or a mapping']);
  });

  it('a number at the top level is an unknown key; elsewhere a key is its text', () => {
    expect(onlyIssue('1: x\n')).toEqual([1, 1, '1', 'unknown key "1" (known keys: modules, reloadAllowed, watch, loader, timeouts, requestHoldTimeout, http, admin, log, cluster, roles, config, hosts)']);
    expect(parse('config:\n  web: { 404: notfound, true: yes }\n').document.config).toEqual({ web: { '404': 'notfound', true: 'yes' } });
  });

  it('an empty key', () => {
    expect(onlyIssue('config:\n  : x\n')).toEqual([2, 3, 'config', 'a key is missing before ":"']);
  });
});

describe('tags', () => {
  it('a tag beyond plain values is refused', () => {
    expect(onlyIssue('config:\n  a: !!binary aGk=\n')).toEqual([
      2,
      3,
      'config.a',
      'the tag !!binary is not allowed: a configuration holds strings, numbers, booleans, null, lists and mappings',
    ]);
    expect(onlyIssue('config:\n  a: !secret x\n')).toEqual([2, 6, 'config.a', 'unresolved tag: !secret: a configuration holds plain YAML values only']);
  });

  it('YAML\'s own tags are fine', () => {
    expect(parse('config:\n  a: !!str 42\n  b: !!int "7"\n').document.config).toEqual({ a: '42', b: 7 });
  });
});

describe('line ends, BOM, JSON', () => {
  it('CRLF line ends: same lines and columns as LF', () => {
    const lf = 'roles: [a]\nhttp:\n  port: x\n';
    expect(issuesOf(refusal(lf.replaceAll('\n', '\r\n')))).toEqual(issuesOf(refusal(lf)));
    expect(issuesOf(refusal(lf))).toEqual([[3, 3, 'http.port', 'expected a port number (an integer from 0 to 65535), got "x"']]);
    expect(parse('roles: [a]\r\nconfig:\r\n  a: { x: 1 }\r\n').document).toEqual({ roles: ['a'], config: { a: { x: 1 } } });
  });

  it('a byte-order mark is accepted, and not counted as a column', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('http: { port: x }\n')]);
    expect(onlyIssue(bytes)[1]).toBe(9);
    expect(onlyIssue('\uFEFFhttp: { port: x }\n')[1]).toBe(9);
    expect(parse(Buffer.from('\uFEFFroles: [a]\n')).document).toEqual({ roles: ['a'] });
  });

  it('a .json file is read as JSON (the JSON schema: no .inf, no plain strings)', () => {
    const cf = parse('{\n  "modules": ["./a.js"],\n  "http": { "port": 8080 },\n  "roles": ["api"]\n}\n', { file: 'rolekit.json' });
    expect(cf.settings.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(cf.document).toEqual({ roles: ['api'] });
    expect(onlyIssue('{\n  "roles": [api]\n}\n', { file: 'rolekit.json' })).toEqual([2, 13, 'roles.0', 'unresolved plain scalar "api"']);
  });

  it('JSON syntax errors have a line and column', () => {
    const err = refusal('{\n  "roles": ["a"\n  "http": {}\n}\n', { file: 'x.json' });
    expect(err.file).toBe('x.json');
    expect([err.line, err.column]).toEqual([3, 3]);
  });
});
