/**
 * What `createRuntime({ logger })` accepts, as the type checker sees it
 * (`npm test` type-checks first, so a wrong type fails the build).
 */
import { Console } from 'node:console';
import { pino } from 'pino';
import { describe, expectTypeOf, it } from 'vitest';
import { defineRole, type Logger, type LoggerOption, type RuntimeOptions } from '../../src/index.js';

describe('logger option types', () => {
  it('takes every form of API.md: booleans, pino options, a pino logger, an equivalent, console', () => {
    expectTypeOf<false>().toMatchTypeOf<LoggerOption>();
    expectTypeOf<true>().toMatchTypeOf<LoggerOption>();
    expectTypeOf({ level: 'debug', name: 'shop' } as const).toMatchTypeOf<LoggerOption>();
    expectTypeOf(pino()).toMatchTypeOf<LoggerOption>();
    expectTypeOf(pino().child({ app: 'x' })).toMatchTypeOf<LoggerOption>();
    expectTypeOf(console).toMatchTypeOf<LoggerOption>();
    expectTypeOf(new Console(process.stderr)).toMatchTypeOf<LoggerOption>();
    class Equivalent {
      fatal(..._args: unknown[]) {}
      error(..._args: unknown[]) {}
      warn(..._args: unknown[]) {}
      info(..._args: unknown[]) {}
      debug(..._args: unknown[]) {}
      trace(..._args: unknown[]) {}
      child(_bindings: Record<string, unknown>): Equivalent {
        return new Equivalent();
      }
    }
    const equivalent = new Equivalent();
    expectTypeOf(equivalent).toMatchTypeOf<LoggerOption>();
    expectTypeOf<RuntimeOptions['logger']>().toEqualTypeOf<LoggerOption | undefined>();
  });

  it('refuses what is none of them', () => {
    // @ts-expect-error a level name is not a logger option (pino options: { level: 'info' })
    const level: LoggerOption = 'info';
    // @ts-expect-error a bare function is not a logger
    const fn: LoggerOption = () => {};
    void level;
    void fn;
  });

  it("gives roles pino's call forms on ctx.log", () => {
    defineRole({
      name: 'r',
      init(ctx) {
        expectTypeOf(ctx.log).toEqualTypeOf<Logger>();
        ctx.log.info('plain');
        ctx.log.info({ port: 1 }, 'with fields');
        ctx.log.error(new Error('x'));
        ctx.log.child({ part: 'db' }).warn('child');
        // A pino logger is a Logger: an application's own pino can stand where ctx.log does.
        expectTypeOf(pino()).toMatchTypeOf<Logger>();
      },
    });
  });
});
