/**
 * Time limits as createRuntime takes them (API.md section 2): Infinity means
 * no limit; a negative or non-numeric limit is refused before anything runs.
 */
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { recorder, silent, sleep } from '../helpers.js';

const LIMITS = ['timeouts.validate', 'timeouts.init', 'timeouts.apply', 'timeouts.stop', 'timeouts.drain', 'requestHoldTimeout'] as const;

/** createRuntime options with one limit set to `value`. */
function withLimit(name: (typeof LIMITS)[number], value: unknown) {
  const limit = name === 'requestHoldTimeout' ? { requestHoldTimeout: value } : { timeouts: { [name.slice('timeouts.'.length)]: value } };
  return { roles: [], logger: silent, ...limit } as Parameters<typeof createRuntime>[0];
}

describe('time limits given to createRuntime', () => {
  describe.each(LIMITS)('%s', (name) => {
    it.each([
      ['negative', -1, RangeError, `createRuntime: ${name} must be 0 or more (Infinity: no limit), got -1`],
      ['-Infinity', -Infinity, RangeError, `createRuntime: ${name} must be 0 or more (Infinity: no limit), got -Infinity`],
      ['NaN', NaN, TypeError, `createRuntime: ${name} must be a number of ms or Infinity, got NaN`],
      ['a string', '100', TypeError, `createRuntime: ${name} must be a number of ms or Infinity, got "100"`],
      ['null', null, TypeError, `createRuntime: ${name} must be a number of ms or Infinity, got null`],
    ])('refuses %s', async (_label, value, type, message) => {
      const err = await createRuntime(withLimit(name, value)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toBe(message);
    });

    it.each([0, 1, Infinity])('accepts %s', async (value) => {
      const rt = await createRuntime(withLimit(name, value));
      await rt.stop();
    });
  });

  it('refuses a misspelt limit (it would leave the default in place) and a timeouts that is not an object', async () => {
    const misspelt = await createRuntime({ roles: [], logger: silent, timeouts: { aply: 5 } as never }).catch((e: unknown) => e);
    expect(misspelt).toBeInstanceOf(TypeError);
    expect((misspelt as Error).message).toBe('createRuntime: unknown time limit timeouts.aply (the limits are validate, init, apply, stop, drain)');
    for (const timeouts of [5, 'fast', null]) {
      const err = await createRuntime({ roles: [], logger: silent, timeouts: timeouts as never }).catch((e: unknown) => e);
      expect(err, String(timeouts)).toBeInstanceOf(TypeError);
    }
  });

  it('Infinity never times a callback or a disposer out, however long it takes', async () => {
    const { calls, role } = recorder();
    const slow = (what: string) => async () => {
      await sleep(30);
      calls.push(what);
    };
    const rt = await createRuntime({
      roles: [
        role('a', {
          validateConfig: slow('validate'),
          init: async (ctx) => {
            ctx.onDispose(slow('dispose'));
            await slow('init')();
          },
          applyConfig: slow('apply'),
          stop: slow('stop'),
        }),
      ],
      logger: silent,
      timeouts: { validate: Infinity, init: Infinity, apply: Infinity, stop: Infinity, drain: Infinity },
    });
    await rt.applyConfig({ roles: ['a'] });
    expect(rt.state).toBe('RolesConfigured');
    await rt.stop();
    expect(rt.state).toBe('Stopped');
    expect(rt.error).toBeUndefined();
    expect(calls).toEqual(['validate', 'init', 'apply', 'stop', 'dispose']);
  });
});
