/**
 * Deep equality of configuration sections, and the copy the engine keeps of
 * what it applied. Both see sections as a document gives them: plain objects
 * (prototype `Object.prototype` or null), arrays and primitives. Own
 * enumerable string keys only, in any order; numbers compare as
 * SameValueZero (`NaN` equals `NaN`, `-0` equals `0`: no comparison a role
 * makes with `===` or `<` tells them apart, and JSON writes both as `0`).
 *
 * Anything else counts as changed: a Map, a Date, a function or a class
 * instance equals only itself, a value that can not be read (a throwing
 * getter, a Proxy trap) or nests deeper than {@link MAX_DEPTH} (a cycle)
 * equals nothing. Neither function ever throws: "changed" is always the safe
 * answer, it only costs a re-apply.
 * @module
 */

/** What `plainCopy` gives for a value it can not copy: equal to nothing, itself included. */
export const UNCOMPARABLE: unique symbol = Symbol('rolekit.uncomparable');

/** Deeper than this is treated as changed (also what ends a cyclic value). */
export const MAX_DEPTH = 200;

/** Whether `a` and `b` are the same section. Never throws. */
export function deepEqual(a: unknown, b: unknown): boolean {
  try {
    return equal(a, b, 0);
  } catch {
    return false;
  }
}

function equal(a: unknown, b: unknown, depth: number): boolean {
  if (a === UNCOMPARABLE || b === UNCOMPARABLE) return false;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN is the one primitive `===` finds unequal to itself (-0 === 0 already holds).
    return typeof a === 'number' && typeof b === 'number' && a !== a && b !== b;
  }
  if (depth >= MAX_DEPTH) return false;
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) return arraysEqual(a as unknown[], b as unknown[], depth);
  if (!isPlain(a) || !isPlain(b)) return false;
  // Counted, not listed: thousands of small sections per apply, and no key array for each.
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    count++;
    if (!Object.hasOwn(b, key)) return false;
    if (!equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1)) return false;
  }
  for (const key in b) if (Object.hasOwn(b, key) && --count < 0) return false;
  return count === 0;
}

function arraysEqual(a: unknown[], b: unknown[], depth: number): boolean {
  if (Object.getPrototypeOf(a) !== Array.prototype || Object.getPrototypeOf(b) !== Array.prototype) return false;
  const length = a.length;
  if (length !== b.length) return false;
  // Extra own keys on an array (`arr.x = 1`) are not in any document; holes read as undefined on both sides.
  for (let i = 0; i < length; i++) if (!equal(a[i], b[i], depth + 1)) return false;
  return true;
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` that later changes to the caller's object can not reach,
 * for comparing the next apply's section with: plain objects (as
 * null-prototype objects, so that `__proto__` stays an ordinary key), arrays
 * and primitives. `UNCOMPARABLE` when any part of it is something else or can
 * not be read. Never throws.
 */
export function plainCopy(value: unknown): unknown {
  try {
    return copy(value, 0);
  } catch {
    return UNCOMPARABLE;
  }
}

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return typeof value === 'function' ? UNCOMPARABLE : value;
  if (depth >= MAX_DEPTH) throw new RangeError('too deep');
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return UNCOMPARABLE;
    const length = value.length;
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      const item = copy(value[i], depth + 1);
      if (item === UNCOMPARABLE) return UNCOMPARABLE;
      out[i] = item;
    }
    return out;
  }
  if (!isPlain(value)) return UNCOMPARABLE;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key], depth + 1);
    if (item === UNCOMPARABLE) return UNCOMPARABLE;
    out[key] = item;
  }
  return out;
}
