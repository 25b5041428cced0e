/**
 * `createRuntime({ logger: console })`. The console has no `child()` and no
 * `fatal`, and its `trace` prints a stack, so it is not a pino-compatible
 * logger; it is common enough to pass that it gets a small adapter instead of
 * a refusal: one readable line per call, filtered by level,
 *
 *   rolekit error: Role "a" init failed role="a" callback="init" err="Error: boom"
 *
 * fatal and error go to console.error, warn to console.warn, info to
 * console.info, debug and trace to console.debug.
 * @module
 */
import { format } from 'node:util';
import { pino, type Bindings, type LevelWithSilent } from 'pino';
import { LEVEL_METHODS, type LevelMethod, type Logger } from './logger.js';
import { serializeError, type SerializedError } from './serialize-error.js';

const OUTPUT: Record<LevelMethod, 'error' | 'warn' | 'info' | 'debug'> = {
  fatal: 'error',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'debug',
};

export function consoleLogger(target: Console, level: LevelWithSilent): Logger {
  const threshold = level === 'silent' ? Infinity : pino.levels.values[level]!;
  const enabled = (name: string) => (pino.levels.values[name] ?? -Infinity) >= threshold;
  const make = (bindings: Bindings): Logger => {
    const logger = { child: (more: Bindings) => make({ ...bindings, ...more }), isLevelEnabled: enabled } as Logger;
    for (const name of LEVEL_METHODS) {
      const write = target[OUTPUT[name]].bind(target);
      logger[name] = enabled(name) ? (...args: unknown[]) => write(safeLine(name, bindings, args)) : () => {};
    }
    return logger;
  };
  return make({});
}

/** A logger must not throw at its caller, whatever it was given to log. */
function safeLine(level: LevelMethod, bindings: Bindings, args: unknown[]): string {
  try {
    return line(level, bindings, args);
  } catch {
    return `rolekit ${level}: [a line that could not be printed]`;
  }
}

/** pino's call forms: `(msg, ...args)`, `(fields, msg?, ...args)`, `(err, msg?)`. */
function line(level: LevelMethod, bindings: Bindings, args: unknown[]): string {
  const [first, ...rest] = args;
  let fields: Record<string, unknown> = {};
  let msg: string;
  if (typeof first === 'string') {
    msg = format(first, ...rest);
  } else if (first instanceof Error) {
    fields = { err: first };
    msg = rest.length > 0 ? format(...rest) : first.message;
  } else if (typeof first === 'object' && first !== null) {
    fields = first as Record<string, unknown>;
    msg = rest.length > 0 ? format(...rest) : '';
  } else {
    msg = format(first, ...rest);
  }
  const pairs = Object.entries({ ...bindings, ...fields })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${key === 'err' ? JSON.stringify(errorText(serializeError(value))) : valueText(value)}`);
  return [`rolekit ${level}:`, msg, ...pairs].filter((part) => part.length > 0).join(' ');
}

/**
 * An error and its causes on one line: `HotReloadError: … <- Error: …`. A
 * cause whose message its error already quotes ("Role "a" stop failed: boom"
 * caused by "boom") is left out, so that a message is said once.
 */
function errorText(err: SerializedError): string {
  const parts = [`${err.type}: ${err.message}`];
  let said = err.message;
  for (let e = err.cause; e; e = e.cause) {
    if (said.includes(e.message)) continue;
    parts.push(`${e.type}: ${e.message}`);
    said = e.message;
  }
  return parts.join(' <- ');
}

function valueText(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
