/**
 * `createRuntime({ logger })` resolved into the logger rolekit uses, the way
 * fastify does it (README, Logging):
 *
 * | `logger`                      | logs                                                   |
 * |-------------------------------|--------------------------------------------------------|
 * | left out                      | warn and above, pino JSON lines on **stderr**          |
 * | `false`                       | nothing                                                |
 * | `true`                        | info and above, pino JSON lines on stdout              |
 * | pino options                  | pino built with them (default level info, on stdout)   |
 * | a pino(-compatible) logger    | that logger, used as given (its level, its serializers)|
 * | `console`                     | readable lines through the console, info and above     |
 *
 * Left out, the embedding application's stdout stays its own. The loggers
 * rolekit builds write synchronously to one destination each: an asynchronous
 * destination (pino's default) buffers lines while other writes go out at
 * once, so a line could appear after what happened next, and be lost when the
 * process exits. ROLEKIT_LOG_LEVEL sets the level of the loggers rolekit
 * builds; it is checked in every case, so that a typo never goes unnoticed.
 * @module
 */
import { Console } from 'node:console';
import { pino, type LevelWithSilent, type LoggerOptions } from 'pino';
import { consoleLogger } from './console-logger.js';
import { LEVEL_METHODS, type Logger } from './logger.js';
import { serializeError } from './serialize-error.js';

const STANDARD_LEVELS = [...LEVEL_METHODS, 'silent'] as const;
const REQUIRED = [...LEVEL_METHODS, 'child'] as const;

const noop = () => {};
const SILENT: Logger = {
  fatal: noop,
  error: noop,
  warn: noop,
  info: noop,
  debug: noop,
  trace: noop,
  child: () => SILENT,
  isLevelEnabled: () => false,
};

/** The logger for `createRuntime({ logger: option })`; throws a TypeError or RangeError for what it cannot use. */
export function createLogger(option: unknown, env: NodeJS.ProcessEnv = process.env): Logger {
  if (option === undefined) return buildPino({}, envLevel(env) ?? 'warn', 2);
  if (option === true) return buildPino({}, envLevel(env) ?? 'info', 1);
  if (option === false) {
    envLevel(env);
    return SILENT;
  }
  if (typeof option !== 'object' || option === null) {
    throw new TypeError(`createRuntime: logger must be false, true, pino options, a pino-compatible logger or console, got ${option === null ? 'null' : typeof option}`);
  }
  if (option === globalThis.console || option instanceof Console) return consoleLogger(option as Console, envLevel(env) ?? 'info');
  const methods = REQUIRED.filter((name) => typeof (option as Record<string, unknown>)[name] === 'function');
  if (methods.length > 0) {
    // Some of a logger's methods: a logger, meant to be used as given. Say what it lacks.
    const missing = REQUIRED.filter((name) => !methods.includes(name));
    if (missing.length > 0) {
      throw new TypeError(
        `createRuntime: logger needs pino's methods ${REQUIRED.join(', ')}; this one has no ${missing.join(', ')} (pass console itself, pino options, or a pino logger)`,
      );
    }
    envLevel(env);
    return option as Logger;
  }
  // No logger methods at all: pino options.
  const options = option as LoggerOptions;
  const valid = validLevels(options);
  const level = envLevel(env, valid) ?? (options.level === undefined ? 'info' : checkLevel('logger.level', options.level, valid));
  return buildPino(options, level, 1);
}

/** pino with rolekit's error serializer (unless the options bring their own), writing synchronously to `fd`. */
function buildPino(options: LoggerOptions, level: string, fd: 1 | 2): Logger {
  const merged: LoggerOptions = { name: 'rolekit', ...options, level, serializers: { err: serializeError, ...options.serializers } };
  // A transport runs in a worker thread: asynchronous by nature, and pino takes no destination with it.
  return options.transport ? pino(merged) : pino(merged, pino.destination({ dest: fd, sync: true }));
}

/** The levels pino accepts with these options: its own (unless only custom ones are wanted), custom ones, silent. */
function validLevels(options: LoggerOptions): string[] {
  const custom = Object.keys(options.customLevels ?? {});
  return options.useOnlyCustomLevels ? [...custom, 'silent'] : [...LEVEL_METHODS, ...custom, 'silent'];
}

/** ROLEKIT_LOG_LEVEL, checked; undefined when unset or empty. */
function envLevel(env: NodeJS.ProcessEnv, valid: readonly string[] = STANDARD_LEVELS): LevelWithSilent | undefined {
  const raw = env.ROLEKIT_LOG_LEVEL?.trim();
  if (!raw) return undefined;
  return checkLevel('ROLEKIT_LOG_LEVEL', raw, valid) as LevelWithSilent;
}

function checkLevel(name: string, level: unknown, valid: readonly string[]): string {
  if (typeof level === 'string') {
    if (valid.includes(level)) return level;
    // Environment variables are often written in capitals: INFO is info.
    const lower = level.toLowerCase();
    if ((STANDARD_LEVELS as readonly string[]).includes(lower) && valid.includes(lower)) return lower;
  }
  throw new RangeError(`createRuntime: ${name} ${JSON.stringify(level) ?? String(level)} is not a log level; valid levels: ${valid.join(', ')}`);
}
