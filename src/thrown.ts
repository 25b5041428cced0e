/**
 * Describing anything that was thrown, without ever throwing.
 *
 * Role code may throw any value: an Error, a string, `null`, `undefined`, a
 * Symbol, an object without a prototype, an object whose `toString` or
 * `message` getter throws, a revoked Proxy, a Proxy whose every trap throws.
 * `err instanceof Error`, `err.message` and `String(err)` each throw for some
 * of those, and an error path that throws while describing a failure skips
 * the clean-up after it (resources, the request hold, the other roles). So
 * every error path describes what it caught through these functions only.
 * @module
 */
import { types } from 'node:util';

export interface ErrorSummary {
  name: string;
  message: string;
}

/** How much of a non-error value's rendering a description keeps. */
const VALUE_LIMIT = 200;

/** `obj[key]`, or undefined when reading it throws (a getter, a Proxy trap). */
export function readSafely(obj: unknown, key: PropertyKey): unknown {
  if ((typeof obj !== 'object' && typeof obj !== 'function') || obj === null) return undefined;
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `value instanceof ctor`, false when asking throws (a Proxy's getPrototypeOf trap, a revoked Proxy). */
export function isInstance<T>(value: unknown, ctor: abstract new (...args: never[]) => T): value is T {
  try {
    return value instanceof ctor;
  } catch {
    return false;
  }
}

/** A short `{ name, message }` view of anything thrown, for messages, status() and logs. Never throws. */
export function errorSummary(err: unknown): ErrorSummary {
  const message = readSafely(err, 'message');
  // A plain object with a string message ({ code, message }) reads as an error too.
  const errorLike = typeof message === 'string' || types.isNativeError(err) || isInstance(err, Error);
  const name = errorLike ? readSafely(err, 'name') : undefined;
  return {
    name: typeof name === 'string' && name !== '' ? name : 'Error',
    message: typeof message === 'string' ? message : describeValue(message !== undefined ? message : err),
  };
}

/** The message of anything thrown (an error's `message`, else a rendering of the value). Never throws. */
export function messageOf(err: unknown): string {
  return errorSummary(err).message;
}

/** An error's `stack` when it is a string, else ''. Never throws. */
export function stackOf(err: unknown): string {
  const stack = readSafely(err, 'stack');
  return typeof stack === 'string' ? stack : '';
}

/**
 * A rendering of a thrown value that is not error-like. Primitives convert
 * without running user code; for objects `String()` runs their `toString`,
 * which may throw, so there are fallbacks down to a fixed text.
 */
function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'undefined':
      return 'undefined';
    case 'symbol':
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'function': {
      const name = readSafely(value, 'name');
      return typeof name === 'string' && name !== '' ? `[function ${name}]` : '[function]';
    }
    default:
      return value === null ? 'null' : describeObject(value as object);
  }
}

function describeObject(value: object): string {
  const text = attempt(() => String(value));
  if (text !== undefined && !/^\[object \w+\]$/.test(text)) return clip(text);
  // `[object Object]` says nothing: JSON shows the data of a plain object ({ code: 42 }).
  const json = attempt(() => JSON.stringify(value));
  if (json !== undefined && json !== '{}') return clip(json);
  if (text !== undefined) return text;
  // String() threw: no prototype, a throwing toString, a hostile Proxy (asking it anything may throw).
  return types.isProxy(value) ? 'a Proxy that can not be described' : 'an object that can not be converted to a string';
}

function attempt(fn: () => unknown): string | undefined {
  try {
    const result = fn();
    return typeof result === 'string' ? result : undefined;
  } catch {
    return undefined;
  }
}

function clip(text: string): string {
  return text.length > VALUE_LIMIT ? `${text.slice(0, VALUE_LIMIT)}…` : text;
}
