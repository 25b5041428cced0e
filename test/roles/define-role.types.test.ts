/**
 * The section type flows from the zod schema into every callback. These are
 * checked by the type checker (`npm run typecheck`, which `npm test` runs
 * first): a wrong inference fails the build, not only this file's run.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineRole, type RoleContext } from '../../src/index.js';

describe('defineRole types', () => {
  it('infers the parsed section (defaults applied) in validateConfig, init, applyConfig and stop', () => {
    const role = defineRole({
      name: 'cache',
      config: z.object({ ttl: z.number().int().positive().default(60), name: z.string().optional() }),
      validateConfig(conf, prev) {
        expectTypeOf(conf).toEqualTypeOf<{ ttl: number; name?: string | undefined }>();
        expectTypeOf(prev).toEqualTypeOf<{ ttl: number; name?: string | undefined } | undefined>();
      },
      init(ctx) {
        expectTypeOf(ctx).toEqualTypeOf<RoleContext<{ ttl: number; name?: string | undefined }>>();
        expectTypeOf(ctx.config.ttl).toBeNumber();
        return { get: (key: string) => key.length };
      },
      applyConfig(conf, ctx) {
        expectTypeOf(conf.ttl).toBeNumber();
        expectTypeOf(ctx.config).toEqualTypeOf(conf);
      },
      stop(ctx) {
        expectTypeOf(ctx.config.ttl).toBeNumber();
        return { warm: true };
      },
    });
    expectTypeOf(role.config).toMatchTypeOf<z.ZodType | undefined>();
    expect(role.name).toBe('cache');
  });

  it('passes the raw value as unknown when there is no schema', () => {
    defineRole({
      name: 'raw',
      applyConfig(conf) {
        expectTypeOf(conf).toBeUnknown();
      },
    });
  });

  it('rejects callbacks whose parameter types contradict the schema', () => {
    defineRole({
      name: 'strict',
      config: z.object({ port: z.number() }),
      // @ts-expect-error the section's port is a number, not a string
      applyConfig(conf: { port: string }) {
        void conf;
      },
    });
  });
});
