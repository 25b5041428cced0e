/**
 * The `err` serializer of the loggers rolekit builds. Anything can be thrown,
 * and a serializer that throws takes the log line (or the process) with it, so
 * every read is guarded: a getter that throws, a revoked Proxy, an object
 * without a prototype or whose `toString` throws all give a line.
 *
 * Unlike pino's standard serializer, `message` is the error's own message:
 * rolekit's errors already name their cause in their message ("Role "a" stop
 * failed: boom"), so appending each cause's message printed "boom: boom". The
 * cause chain is kept as nested `cause` objects instead.
 * @module
 */
import { isSwcDiagnostic, rebuildStack, summarizeSwcMessage } from '../utils/swc-diagnostic.js';

export interface SerializedError {
  /** The error's `name` (its class), else the kind of value thrown: `string`, `null`, `Object`… */
  type: string;
  /** The error's own message; for a non-error, the value as text. */
  message: string;
  stack?: string;
  cause?: SerializedError;
  /** An AggregateError's errors. */
  errors?: SerializedError[];
  /** Other enumerable properties of the error (`code`, `issues`…), made JSON-safe. */
  [key: string]: unknown;
}

const MAX_CAUSES = 8;
const MAX_ITEMS = 20;
const MAX_PLAIN_DEPTH = 3;
const MAX_TEXT = 2_000;
/** Keys an error's own properties never overwrite (an `err.type` of its own included, as pino does). */
const RESERVED = new Set(['type', 'name', 'message', 'stack', 'cause', 'errors', '__proto__']);

/** Serialize any thrown value for a log line; never throws. */
export function serializeError(value: unknown): SerializedError {
  try {
    return serialize(value, new Set(), 0);
  } catch (err) {
    return { type: kindOf(value), message: `[unreadable value: ${reasonOf(err)}]` };
  }
}

function serialize(value: unknown, seen: Set<object>, depth: number): SerializedError {
  if (!isObject(value)) return { type: kindOf(value), message: textOf(value) };
  if (seen.has(value)) return { type: typeOf(value), message: '[circular cause]' };
  seen.add(value);
  const message = read(value, 'message');
  if (typeof message !== 'string') return { type: typeOf(value), message: describeObject(value) };

  const type = typeOf(value);
  const stack = read(value, 'stack');
  const out: SerializedError = { type, message };
  if (isSwcDiagnostic(message)) {
    out.message = summarizeSwcMessage(message);
    if (typeof stack === 'string') out.stack = rebuildStack(type, out.message, stack, message);
  } else if (typeof stack === 'string') {
    out.stack = stack;
  }
  for (const key of ownKeys(value)) {
    if (!RESERVED.has(key)) out[key] = plain(read(value, key), 0);
  }
  const cause = read(value, 'cause');
  if (cause !== undefined) {
    out.cause = depth < MAX_CAUSES ? serialize(cause, seen, depth + 1) : { type: isObject(cause) ? typeOf(cause) : kindOf(cause), message: '[more causes left out]' };
  }
  const errors = read(value, 'errors');
  if (isArray(errors)) out.errors = errors.slice(0, MAX_ITEMS).map((e) => serialize(e, seen, depth + 1));
  return out;
}

/** A JSON-safe copy of an extra property: bounded in depth and size, errors reduced to type and message. */
function plain(value: unknown, depth: number): unknown {
  if (typeof value === 'bigint' || typeof value === 'symbol') return textOf(value);
  if (typeof value === 'function') return describeObject(value);
  if (!isObject(value)) return value;
  const message = read(value, 'message');
  if (typeof message === 'string') return { type: typeOf(value), message: isSwcDiagnostic(message) ? summarizeSwcMessage(message) : message };
  if (depth >= MAX_PLAIN_DEPTH) return describeObject(value);
  if (isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => plain(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of ownKeys(value)) if (key !== '__proto__') out[key] = plain(read(value, key), depth + 1);
  return out;
}

/** `Array.isArray`, which throws for a revoked Proxy. */
function isArray(value: unknown): value is unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** `typeof`, with `null` told apart; `typeof` never throws, not even for a revoked Proxy. */
function kindOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** An error's name, else its constructor's, else its kind. */
function typeOf(value: object): string {
  const name = read(value, 'name');
  if (typeof name === 'string' && name.length > 0) return name;
  const ctor = read(value, 'constructor');
  const ctorName = typeof ctor === 'function' ? read(ctor, 'name') : undefined;
  return typeof ctorName === 'string' && ctorName.length > 0 ? ctorName : kindOf(value);
}

/** A property, or undefined when reading it throws (a getter, a revoked Proxy). */
function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function ownKeys(value: object): string[] {
  try {
    return Object.keys(value).slice(0, MAX_ITEMS);
  } catch {
    return [];
  }
}

/** A primitive as text (`String` handles symbols, which template literals do not). */
function textOf(value: unknown): string {
  try {
    return String(value);
  } catch (err) {
    return `[unprintable ${kindOf(value)}: ${reasonOf(err)}]`;
  }
}

/** A thrown non-error object as text: its own toString, else its JSON, else its tag. */
function describeObject(value: object): string {
  if (typeof value === 'function') {
    const name = read(value, 'name');
    return `[function ${typeof name === 'string' && name ? name : 'anonymous'}]`;
  }
  let text: string | undefined;
  try {
    text = String(value);
  } catch {
    // No toString (Object.create(null)), or one that throws: try the next.
  }
  if (text === undefined || /^\[object \w+\]$/.test(text)) {
    try {
      text = JSON.stringify(value) ?? text;
    } catch {
      // Circular, or a toJSON / getter that throws.
    }
  }
  if (text === undefined) {
    try {
      text = Object.prototype.toString.call(value);
    } catch (err) {
      text = `[unreadable object: ${reasonOf(err)}]`;
    }
  }
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function reasonOf(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err);
  } catch {
    return 'unknown';
  }
}
