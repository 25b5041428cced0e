/**
 * `${VAR}` in scalar values: from the environment, after parsing, never
 * changing the file's structure.
 */
import { describe, expect, it } from 'vitest';
import { substitute } from '../../../src/config/file/substitute.js';
import { onlyIssue, parse } from './helpers.js';

describe('substitute', () => {
  it.each([
    ['${A}', { A: 'x' }, 'x'],
    ['a-${A}-b', { A: 'x' }, 'a-x-b'],
    ['${A}${B}', { A: '1', B: '2' }, '12'],
    ['${A:-dflt}', {}, 'dflt'],
    ['${A:-dflt}', { A: '' }, 'dflt'],
    ['${A:-dflt}', { A: 'set' }, 'set'],
    ['${A:-}', {}, ''],
    ['${A}', { A: '' }, ''],
    ['$$', {}, '$'],
    ['$${A}', { A: 'x' }, '${A}'],
    ['price: $5', {}, 'price: $5'],
    ['$HOME', { HOME: '/root' }, '$HOME'],
    ['${A:-a:-b}', {}, 'a:-b'],
  ])('%s with %j is %s', (text, env, out) => {
    expect(substitute(text, env)).toEqual({ ok: true, value: out });
  });

  it.each([
    ['${A}', 'environment variable A is not set (use ${A:-default} for a default)'],
    ['x ${', 'unterminated "${" in "x ${" (write $$ for a literal $)'],
    ['${A:-x', 'unterminated "${" in "${A:-x" (write $$ for a literal $)'],
    ['${}', '"${}" is not a variable: a name is letters, digits and _, not starting with a digit (write $$ for a literal $)'],
    ['${1A}', '"${1A}" is not a variable: a name is letters, digits and _, not starting with a digit (write $$ for a literal $)'],
    ['${constructor}', 'environment variable constructor is not set (use ${constructor:-default} for a default)'],
  ])('%s is refused', (text, message) => {
    expect(substitute(text, {})).toEqual({ ok: false, message });
  });
});

describe('${VAR} in a file', () => {
  it('a missing variable names itself and the key', () => {
    expect(onlyIssue('admin:\n  port: 8081\n  token: "${ROLEKIT_ADMIN_TOKEN}"\n')).toEqual([
      3,
      3,
      'admin.token',
      'environment variable ROLEKIT_ADMIN_TOKEN is not set (use ${ROLEKIT_ADMIN_TOKEN:-default} for a default)',
    ]);
  });

  it('in lists, nested sections and block scalars', () => {
    const cf = parse('modules: ["${DIR}/a.js"]\nconfig:\n  db:\n    url: postgres://${USER}@h/db\n    motd: |\n      hello ${USER}\n', {
      env: { DIR: './roles', USER: 'ann' },
    });
    expect(cf.settings.modules).toEqual(['./roles/a.js']);
    expect(cf.document.config).toEqual({ db: { url: 'postgres://ann@h/db', motd: 'hello ann\n' } });
  });

  it('a value never changes structure or type: YAML in a variable stays a string', () => {
    const cf = parse('roles: ["${R}"]\nconfig:\n  a: { n: "${N}", obj: "${OBJ}" }\n', { env: { R: 'a, b]', N: '42', OBJ: '{x: 1}' } });
    expect(cf.document).toEqual({ roles: ['a, b]'], config: { a: { n: '42', obj: '{x: 1}' } } });
  });

  it('keys are not substituted', () => {
    expect(parse('config:\n  "${A}": { x: 1 }\n', { env: { A: 'a' } }).document.config).toEqual({ '${A}': { x: 1 } });
  });

  it('an alias shares its anchor\'s substituted value', () => {
    const cf = parse('config:\n  a: &u { url: "${U}" }\n  b: *u\n', { env: { U: 'x' } });
    expect(cf.document.config).toEqual({ a: { url: 'x' }, b: { url: 'x' } });
  });

  it('the environment is process.env when left out', () => {
    process.env.ROLEKIT_TEST_CONFIG_VAR = '7';
    try {
      expect(parseConfigFileWithoutEnv('config: { a: { n: "${ROLEKIT_TEST_CONFIG_VAR}" } }').document.config).toEqual({ a: { n: '7' } });
    } finally {
      delete process.env.ROLEKIT_TEST_CONFIG_VAR;
    }
  });
});

import { parseConfigFile } from '../../../src/index.js';
function parseConfigFileWithoutEnv(text: string) {
  return parseConfigFile(text, { file: 'f.yaml' });
}
