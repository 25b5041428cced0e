/**
 * The logger of `rolekit start`: a service's log is its output, so JSON lines
 * on stdout (what log collectors read), or readable lines when stdout is a
 * terminal (pino-pretty). Written synchronously, so that the last lines before
 * an exit are never lost and lines come out in the order things happened.
 * @module
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { serializeError } from '../index.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

export interface CliLoggerOptions {
  /** The level from the file; ROLEKIT_LOG_LEVEL wins over it. Default info. */
  level?: LogLevel;
  /** Force readable (true) or JSON (false) lines; default: readable when stdout is a terminal. */
  pretty?: boolean;
  env?: NodeJS.ProcessEnv;
}

export function createCliLogger(options: CliLoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const level = levelFrom(env.ROLEKIT_LOG_LEVEL) ?? options.level ?? 'info';
  const readable = options.pretty ?? process.stdout.isTTY === true;
  const base = { name: 'rolekit', level, serializers: { err: serializeError } };
  const destination = readable
    ? pretty({ sync: true, destination: 1, colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,name' })
    : pino.destination({ dest: 1, sync: true });
  return pino(base, destination);
}

/** ROLEKIT_LOG_LEVEL, checked: a typo is refused with the valid levels (the runtime checks it the same way). */
function levelFrom(raw: string | undefined): LogLevel | undefined {
  const value = raw?.trim().toLowerCase();
  if (!value) return undefined;
  if ((LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new RangeError(`ROLEKIT_LOG_LEVEL ${JSON.stringify(raw)} is not a log level; valid levels: ${LEVELS.join(', ')}`);
}
