/**
 * An error with thousands of issues or failures says how many and shows the
 * first few; `issues` and `failures` keep every one.
 */
import { describe, expect, it } from 'vitest';
import { ApplyConfigError, ConfigFileError, ValidateConfigError, createRuntime, defineRole } from '../../src/index.js';
import { LISTED_IN_MESSAGE } from '../../src/errors.js';
import { silent } from '../helpers.js';

describe('messages of long lists', () => {
  it('a document enabling 3000 unknown host roles: one short message, every issue kept', async () => {
    const rt = await createRuntime({ roles: [defineRole({ name: 'site', scope: 'host' })], logger: silent });
    const hosts = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`h${i}.example.com`, { roles: [`nope${i}`] }]));
    const err = (await rt.applyConfig({ hosts }).catch((e: unknown) => e)) as ValidateConfigError;
    expect(err).toBeInstanceOf(ValidateConfigError);
    expect(err.issues).toHaveLength(3000);
    expect(err.message.length).toBeLessThan(2000);
    expect(err.message).toContain('3000 issues');
    expect(err.message).toContain('can not enable unknown role "nope0"');
    expect(err.message).toContain(`and ${3000 - LISTED_IN_MESSAGE} more`);
    expect(err.message).not.toContain('"nope2999"');
    await rt.stop();
  });

  it('200 host instances failing init: one short ApplyConfigError message, every failure kept', async () => {
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'site',
          scope: 'host',
          init: (ctx) => {
            throw new Error(`no backend for ${ctx.host}`);
          },
        }),
      ],
      logger: silent,
    });
    const hosts = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`h${i}.example.com`, { roles: ['site'] }]));
    const err = (await rt.applyConfig({ hosts }).catch((e: unknown) => e)) as ApplyConfigError;
    expect(err).toBeInstanceOf(ApplyConfigError);
    expect(err.failures).toHaveLength(200);
    expect(err.message).toContain('200 failures');
    expect(err.message).toContain('no backend for h0.example.com');
    expect(err.message.length).toBeLessThan(2000);
    await rt.stop();
  });

  it('lists a short list in full, and clips one huge item', () => {
    const few = new ValidateConfigError([
      { path: 'a', message: 'one' },
      { path: 'b', message: 'two' },
    ]);
    expect(few.message).toBe('Invalid configuration: a: one; b: two');
    const huge = new ConfigFileError('f.yaml', 3, 4, [{ path: 'a', message: 'x'.repeat(100_000) }]);
    expect(huge.message.length).toBeLessThan(1000);
    expect(huge.issues[0]!.message).toHaveLength(100_000);
  });
});
