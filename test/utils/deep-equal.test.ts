import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, UNCOMPARABLE, deepEqual, plainCopy } from '../../src/utils/deep-equal.js';
import { allTrapsThrow, revokedProxy } from '../hostile.js';

/** JSON-like values, as a YAML or JSON parser gives them (with NaN and -0, which YAML can write). */
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** The same structure built again: new objects, keys in reverse order. */
function rebuilt(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebuilt);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(out, key, { value: rebuilt((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

describe('deepEqual', () => {
  it('finds a value equal to a rebuilt copy of it (key order irrelevant), and to its plainCopy', () => {
    fc.assert(
      fc.property(plain, (v) => deepEqual(v, rebuilt(v)) && deepEqual(rebuilt(v), v) && deepEqual(plainCopy(v), v) && deepEqual(v, plainCopy(v))),
      { numRuns: 300 },
    );
  });

  it('agrees with a comparison of canonical JSON on JSON values', () => {
    const canonical = (v: unknown): string =>
      JSON.stringify(v, (_k, x: unknown) =>
        x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
      );
    const json = fc.json().map((s) => JSON.parse(s) as unknown);
    fc.assert(fc.property(json, json, (a, b) => deepEqual(a, b) === (canonical(a) === canonical(b))), { numRuns: 300 });
  });

  it('treats NaN as equal to NaN and -0 as equal to 0; and tells apart what JSON would', () => {
    expect(deepEqual({ a: [NaN] }, { a: [NaN] })).toBe(true);
    expect(deepEqual(-0, 0)).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(deepEqual('1', 1)).toBe(false);
    expect(deepEqual(null, undefined)).toBe(false);
    expect(deepEqual({}, [])).toBe(false);
    expect(deepEqual([[1]], [[2]])).toBe(false);
    expect(deepEqual(Object.create(null), {})).toBe(true);
  });

  it('reads own keys only: an inherited key is no key, __proto__ is a key like any other', () => {
    const inherits = Object.create({ a: 1 }) as object;
    expect(deepEqual(inherits, {})).toBe(false); // not a plain object at all
    const own = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    expect(deepEqual(own, {})).toBe(false);
    expect(deepEqual(own, JSON.parse('{"__proto__": {"x": 1}}'))).toBe(true);
    expect(deepEqual(own, JSON.parse('{"__proto__": {"x": 2}}'))).toBe(false);
    expect(deepEqual(plainCopy(own), own)).toBe(true);
  });

  it('counts anything but plain objects, arrays and primitives as changed, unless it is the very same value', () => {
    const date = new Date(0);
    expect(deepEqual(new Date(0), new Date(0))).toBe(false);
    expect(deepEqual(date, date)).toBe(true);
    expect(deepEqual(new Map(), new Map())).toBe(false);
    expect(deepEqual({ f: () => 1 }, { f: () => 1 })).toBe(false);
    class Section {
      a = 1;
    }
    expect(deepEqual(new Section(), { a: 1 })).toBe(false);
  });

  it('never throws: an unreadable or hostile value is changed', () => {
    const hostile = [
      allTrapsThrow(),
      revokedProxy(),
      Object.defineProperty({}, 'a', { enumerable: true, get: () => { throw new Error('getter'); } }),
      allTrapsThrow([]),
    ];
    for (const h of hostile) {
      expect(deepEqual(h, {})).toBe(false);
      expect(deepEqual({ a: h }, { a: {} })).toBe(false);
      expect(plainCopy(h)).toBe(UNCOMPARABLE);
      expect(plainCopy({ a: [h] })).toBe(UNCOMPARABLE);
    }
  });

  it('ends a cyclic or too deep value as changed, never with a stack overflow', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    const b: Record<string, unknown> = {};
    b.self = b;
    expect(deepEqual(a, b)).toBe(false);
    expect(plainCopy(a)).toBe(UNCOMPARABLE);
    let deep: unknown = 1;
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = [deep];
    expect(deepEqual(deep, plainCopy(deep))).toBe(false);
  });

  it('UNCOMPARABLE equals nothing, itself included', () => {
    expect(deepEqual(UNCOMPARABLE, UNCOMPARABLE)).toBe(false);
    expect(deepEqual(plainCopy(new Map()), plainCopy(new Map()))).toBe(false);
  });

  it('keeps a copy that changes to the original can not reach', () => {
    const section = { list: [1, { x: 2 }] };
    const kept = plainCopy(section);
    (section.list[1] as { x: number }).x = 3;
    expect(deepEqual(kept, section)).toBe(false);
    expect(deepEqual(kept, { list: [1, { x: 2 }] })).toBe(true);
  });
});
