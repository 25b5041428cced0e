/**
 * Whatever the bytes, parseConfigFile returns a ConfigFile or throws a
 * ConfigFileError whose every issue has a line and column; it never throws
 * anything else, and locate never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, formatConfigFileError, parseConfigFile } from '../../../src/index.js';

const TOKENS = [
  ' ', '  ', '\n', '\r\n', '\t', ':', ': ', '- ', ',', '[', ']', '{', '}', '"', "'", '#', '---', '...', '? ', '|', '>', '&a ', '*a',
  '!!binary ', '!x ', '${A}', '${B:-1}', '$$', '${', '%YAML 1.2\n', '\uFEFF', '\u0000', '\uFFFD',
  'a', 'b.c', '1', '-1', '.inf', 'true', 'null', '~', '__proto__', 'constructor',
  'roles', 'config', 'hosts', 'modules', 'http', 'port', 'admin', 'token', 'cluster', 'etcd', 'watch', 'reloadAllowed', 'example.com',
];

const yamlish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((parts) => parts.join(''));
const files = fc.constantFrom('rolekit.yaml', 'rolekit.json');

function check(input: string | Uint8Array, file: string, paths: string[]): void {
  try {
    const cf = parseConfigFile(input, { file, env: { A: 'x' } });
    for (const path of paths) {
      const at = cf.locate(path);
      if (at) expect(at.line >= 1 && at.column >= 1).toBe(true);
    }
    expect(Object.getPrototypeOf(cf.document)).toBe(Object.prototype);
  } catch (err) {
    if (!(err instanceof ConfigFileError)) throw err;
    expect(err.issues.length).toBeGreaterThan(0);
    for (const issue of err.issues) {
      expect(Number.isInteger(issue.line) && issue.line! >= 1).toBe(true);
      expect(Number.isInteger(issue.column) && issue.column! >= 1).toBe(true);
      expect(typeof issue.path).toBe('string');
    }
    expect(formatConfigFileError(err)).toHaveLength(err.issues.length);
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

const paths = fc.array(fc.array(fc.constantFrom('roles', 'config', 'hosts', 'a', 'b.c', '0', '1', 'example.com', '__proto__', ''), { maxLength: 5 }).map((p) => p.join('.')), {
  maxLength: 5,
});

describe('parseConfigFile never throws anything but ConfigFileError', () => {
  it('on YAML-ish text', () => {
    fc.assert(fc.property(yamlish, files, paths, (text, file, ps) => check(text, file, ps)), { numRuns: 2000 });
  });

  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), files, paths, (text, file, ps) => check(text, file, ps)), { numRuns: 1000 });
  });

  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), files, (bytes, file) => check(bytes, file, ['', 'roles.0'])), { numRuns: 1000 });
  });

  it('on YAML-ish text as UTF-8 bytes', () => {
    fc.assert(fc.property(yamlish, (text) => check(new TextEncoder().encode(text), 'rolekit.yaml', ['config.a'])), { numRuns: 500 });
  });
});
