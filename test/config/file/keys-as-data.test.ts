/**
 * `__proto__`, `constructor` and friends are keys like any other: own keys of
 * plain objects, never a prototype, never polluting Object.prototype.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeDocument } from '../../../src/config/document.js';
import { onlyIssue, parse } from './helpers.js';

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('prototype keys', () => {
  it('__proto__ under config and in a section stays an own key', () => {
    const cf = parse('config:\n  __proto__: { polluted: 1 }\n  a: { __proto__: { polluted: 2 }, constructor: 3 }\n');
    const config = cf.document.config as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
    expect(Object.keys(config)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(config, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(Object.getPrototypeOf(config.a)).toBe(Object.prototype);
    expect(Object.keys(config.a)).toEqual(['__proto__', 'constructor']);
    expect(config.a.constructor).toBe(3);
  });

  it('hosts: { __proto__: … } is a host key (refused as a host name), not a prototype', () => {
    expect(onlyIssue('hosts:\n  __proto__: { roles: [a] }\n')).toEqual([
      2,
      3,
      'hosts.__proto__',
      '"__proto__" is not a host name: labels of lowercase letters, digits and hyphens (not at either end), separated by dots',
    ]);
  });

  it('the document reader sees __proto__ and constructor as role names', () => {
    const cf = parse('roles: { constructor: true, __proto__: true }\nconfig: { constructor: { x: 1 } }\n');
    const normalized = normalizeDocument(cf.document);
    expect(normalized.ok && normalized.doc.roles).toEqual(['constructor', '__proto__']);
    expect(normalized.ok && normalized.doc.config.get('constructor')).toEqual({ x: 1 });
  });

  it('__proto__ at the top level is an unknown key', () => {
    expect(onlyIssue('__proto__: { watch: true }\n')[2]).toBe('__proto__');
  });

  it('__proto__ inside a setting is an unknown key of that setting', () => {
    expect(onlyIssue('http: { port: 80, __proto__: { host: 0.0.0.0 } }\n')).toEqual([1, 19, 'http.__proto__', 'unknown key "__proto__" (known keys: host, port)']);
  });
});
