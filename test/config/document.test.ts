import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeDocument, type NormalizedDocument } from '../../src/config/document.js';
import { allTrapsThrow, revokedProxy } from '../hostile.js';

function accepted(input: unknown): NormalizedDocument {
  const result = normalizeDocument(input);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.issues)}`);
  return result.doc;
}

function refused(input: unknown): { path: string; message: string }[] {
  const result = normalizeDocument(input);
  if (result.ok) throw new Error('accepted');
  return result.issues;
}

describe('normalizeDocument: what is a document', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'roles: [a]'],
    ['a number', 1],
    ['a boolean', true],
    ['a Symbol', Symbol('doc')],
    ['an array', [{ roles: ['a'] }]],
    ['a function', () => ({})],
    ['a Map', new Map([['roles', ['a']]])],
    ['a Date', new Date()],
  ])('refuses %s, at the top-level path', (_kind, input) => {
    expect(refused(input)).toEqual([{ path: '', message: expect.any(String) }]);
  });

  it('accepts an empty object, a null-prototype object and a frozen one', () => {
    expect(accepted({}).roles).toEqual([]);
    expect(accepted(Object.assign(Object.create(null), { roles: ['a'] })).roles).toEqual(['a']);
    expect(accepted(Object.freeze({ roles: Object.freeze(['a']) })).roles).toEqual(['a']);
  });

  it('reports a wrong shape with the path of the key as written', () => {
    expect(refused({ roles: 'ab' })[0]?.path).toBe('roles');
    expect(refused({ roles: ['a', 7] })).toEqual([{ path: 'roles.1', message: expect.any(String) }]);
    expect(refused({ roles: { a: 'yes' } })).toEqual([{ path: 'roles.a', message: expect.any(String) }]);
    expect(refused({ config: ['x'] })[0]?.path).toBe('config');
    expect(refused({ hosts: { 'example.com': { roles: ['auth', null] } } })[0]?.path).toBe('hosts.example.com.roles.1');
    expect(refused({ hosts: { 'example.com': 'auth' } })[0]?.path).toBe('hosts.example.com');
    expect(refused({ hosts: { 'example.com': { config: new Map() } } })[0]?.path).toBe('hosts.example.com.config');
  });
});

describe('normalizeDocument: hostile documents', () => {
  const throwingGetter = (key: string) =>
    Object.defineProperty({}, key, {
      enumerable: true,
      get() {
        throw new Error(`${key} getter broke`);
      },
    });

  it.each([
    ['a revoked Proxy', () => revokedProxy(), ''],
    ['a Proxy whose every trap throws', () => allTrapsThrow(), ''],
    ['a Proxy of a valid document whose every trap throws', () => allTrapsThrow({ roles: ['a'] }), ''],
    ['a throwing roles getter', () => throwingGetter('roles'), 'roles'],
    ['roles a revoked Proxy', () => ({ roles: revokedProxy() }), 'roles'],
    ['config a Proxy whose traps throw', () => ({ config: allTrapsThrow() }), 'config'],
    ['a host that is a revoked Proxy', () => ({ hosts: { 'x.com': revokedProxy() } }), 'hosts.x.com'],
    ['a throwing host config getter', () => ({ hosts: { 'x.com': throwingGetter('config') } }), 'hosts.x.com.config'],
  ])('refuses %s without throwing, naming where reading failed', (_kind, make, path) => {
    const issues = refused(make());
    expect(issues).toEqual([{ path, message: expect.any(String) }]);
  });

  it('never throws, whatever it is given', () => {
    const docLike = fc.record(
      {
        roles: fc.oneof(fc.array(fc.string()), fc.dictionary(fc.string(), fc.boolean()), fc.anything()),
        config: fc.oneof(fc.dictionary(fc.string(), fc.anything()), fc.anything()),
        hosts: fc.oneof(fc.dictionary(fc.string(), fc.record({ roles: fc.array(fc.string()), config: fc.anything() }, { requiredKeys: [] })), fc.anything()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(docLike, fc.anything({ withNullPrototype: true, withMap: true, withDate: true })), (input) => {
        const result = normalizeDocument(input);
        return result.ok ? result.doc.roles.every((r) => typeof r === 'string') : result.issues.length > 0;
      }),
    );
  });
});

describe('normalizeDocument: own properties only', () => {
  afterEach(() => {
    for (const key of ['roles', 'config', 'hosts']) delete (Object.prototype as Record<string, unknown>)[key];
  });

  it('does not see Object.prototype members as sections', () => {
    const doc = accepted({ config: {} });
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(doc.config.get(name)).toBeUndefined();
    }
  });

  it('does not see a polluted Object.prototype.roles, config or hosts', () => {
    Object.assign(Object.prototype, { roles: ['evil'], config: { evil: 1 }, hosts: { 'evil.com': { roles: ['evil'] } } });
    const doc = accepted({});
    expect(doc.roles).toEqual([]);
    expect([...doc.config.keys()]).toEqual([]);
    expect([...doc.hosts.keys()]).toEqual([]);
    expect(accepted({ hosts: { 'x.com': {} } }).hosts.get('x.com')?.roles).toEqual([]);
  });

  it('takes __proto__ as a key like any other, as JSON.parse writes it', () => {
    const doc = accepted(
      JSON.parse('{"roles":{"__proto__":true},"config":{"__proto__":{"n":1}},"hosts":{"__proto__":{"roles":["site"]},"b.com":{}}}'),
    );
    expect(doc.roles).toEqual(['__proto__']);
    expect(doc.config.get('__proto__')).toEqual({ n: 1 });
    expect([...doc.hosts.keys()]).toEqual(['__proto__', 'b.com']);
    expect(doc.hosts.get('__proto__')?.roles).toEqual(['site']);
    // The copy handed to onApplyConfig keeps it as an own key too.
    expect(Object.keys(doc.source.hosts!)).toEqual(['__proto__', 'b.com']);
    expect(Object.getPrototypeOf(doc.source.hosts)).toBe(Object.prototype);
  });

  it('checks a __proto__ host like any other (zod would skip it)', () => {
    expect(refused(JSON.parse('{"hosts":{"__proto__":{"roles":"site"}}}'))[0]?.path).toBe('hosts.__proto__.roles');
  });

  it('keeps a copy of the structure: changing the caller\'s object later changes nothing', () => {
    const input = { roles: ['a'], config: { a: { n: 1 } }, hosts: { 'x.com': { roles: ['s'] } }, extra: 1 };
    const doc = accepted(input);
    input.roles.push('b');
    (input.config as Record<string, unknown>).b = {};
    input.hosts['x.com'].roles.push('t');
    expect(doc.source).toEqual({ roles: ['a'], config: { a: { n: 1 } }, hosts: { 'x.com': { roles: ['s'] } }, extra: 1 });
    expect(accepted(doc.source).roles).toEqual(['a']);
  });
});
