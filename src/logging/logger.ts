/**
 * The logger types: what rolekit and role code log through (`ctx.log`), and
 * what `createRuntime({ logger })` accepts.
 * @module
 */
import type { Bindings, LogFn, LoggerOptions } from 'pino';

/** pino's level methods, the ones a logger must have. */
export const LEVEL_METHODS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LevelMethod = (typeof LEVEL_METHODS)[number];

/**
 * What rolekit logs through and what `ctx.log` is: pino's level methods (with
 * pino's call forms: `log.info(msg)`, `log.info({ fields }, msg)`, `log.error(err)`)
 * and `child()`. A pino logger is one; so is any equivalent.
 */
export interface Logger {
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Bindings): Logger;
  /** pino has it; rolekit uses it, when present, to skip building a line nobody reads. */
  isLevelEnabled?(level: string): boolean;
}

/** A logger given as `createRuntime({ logger })`: pino's level methods and `child()`, used as given. */
export interface LoggerLike {
  fatal(...args: any[]): unknown;
  error(...args: any[]): unknown;
  warn(...args: any[]): unknown;
  info(...args: any[]): unknown;
  debug(...args: any[]): unknown;
  trace(...args: any[]): unknown;
  child(bindings: Bindings): LoggerLike;
}

/**
 * `createRuntime({ logger })`, fastify's convention: `false` silent, `true`
 * info-level pino on stdout, pino options, a pino(-compatible) logger, or
 * `console`. Left out: warnings and errors on stderr.
 */
export type LoggerOption = boolean | LoggerOptions | LoggerLike | Console;
