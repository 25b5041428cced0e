/**
 * Reading values the admin API did not make (a thrown value, an xstate
 * inspection event) without ever throwing: a getter or a Proxy trap that
 * throws reads as `undefined`, an `instanceof` that throws as `false`.
 * @module
 */

/** `value[key]`, or undefined when `value` is no object or reading it throws. */
export function read(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `value instanceof ctor`, false when the check throws (a Proxy's getPrototypeOf trap). */
export function isA(value: unknown, ctor: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof ctor;
  } catch {
    return false;
  }
}
