/**
 * Documents the runtime must refuse, and lookups that must see own properties
 * only (API.md section 3): a refused document changes nothing that runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidateConfigError, createRuntime, defineRole, type Runtime } from '../../src/index.js';
import { recorder, silent } from '../helpers.js';
import { allTrapsThrow, revokedProxy } from '../hostile.js';

async function expectRefusedAndKept(rt: Runtime, call: () => Promise<unknown>, calls: string[]): Promise<ValidateConfigError> {
  const before = { state: rt.state, status: rt.status().roles.map((r) => [r.name, r.host, r.running]) };
  calls.length = 0;
  const err = await call().then(
    () => {
      throw new Error('expected a ValidateConfigError');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidateConfigError);
  expect(calls.filter((c) => !c.startsWith('validate:'))).toEqual([]);
  expect({ state: rt.state, status: rt.status().roles.map((r) => [r.name, r.host, r.running]) }).toEqual(before);
  return err as ValidateConfigError;
}

describe('documents that are refused, keeping the running configuration', () => {
  const hostile: [string, () => unknown][] = [
    ['null', () => null],
    ['undefined', () => undefined],
    ['a string', () => 'roles: [a]'],
    ['a number', () => 0],
    ['an array', () => []],
    ['a Symbol', () => Symbol('doc')],
    ['a revoked Proxy', revokedProxy],
    ['a Proxy whose every trap throws', () => allTrapsThrow()],
    ['a Proxy of a valid document whose every trap throws', () => allTrapsThrow({ roles: ['a'] })],
    ['a document whose roles getter throws', () => Object.defineProperty({}, 'roles', { enumerable: true, get: () => { throw new Error('no'); } })],
    ['a document whose section is a Proxy whose every trap throws', () => ({ roles: ['a'], config: { a: allTrapsThrow() } })],
  ];

  it.each(hostile)('applyConfig and validateConfig refuse %s with a ValidateConfigError', async (_kind, make) => {
    const { calls, role } = recorder();
    const rt = await createRuntime({ roles: [role('a', { config: z.object({ n: z.number().default(1) }) }), role('b')], logger: silent });
    await rt.applyConfig({ roles: ['a', 'b'] });
    await expectRefusedAndKept(rt, () => rt.applyConfig(make()), calls);
    await expectRefusedAndKept(rt, () => rt.validateConfig(make()), calls);
    expect(rt.getEnabledRoles()).toEqual(['a', 'b']);
    await rt.stop();
  });

  it('refuses null before the first apply too: nothing starts, the state stays Unconfigured', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({ roles: [role('a', { permanent: true })], logger: silent });
    await expectRefusedAndKept(rt, () => rt.applyConfig(null), calls);
    expect(rt.state).toBe('Unconfigured');
    await rt.stop();
  });
});

describe('lookups by name see own properties only', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).roles;
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
    'a role named %s gets its own section, or none, never an Object.prototype member',
    async (name) => {
      const seen: unknown[] = [];
      const rt = await createRuntime({
        roles: [
          defineRole({ name, applyConfig: (conf) => void seen.push(conf) }),
          defineRole({ name: `${name}-host`, scope: 'host', applyConfig: (conf) => void seen.push(conf) }),
        ],
        logger: silent,
      });
      await rt.applyConfig({ roles: [name], hosts: { 'x.com': { roles: [`${name}-host`] } } });
      expect(seen).toEqual([undefined, undefined]);
      seen.length = 0;
      // As a YAML or JSON parser writes it (a computed key is an own key, __proto__ too).
      const doc = { roles: [name], config: { [name]: { n: 1 } }, hosts: { 'x.com': { roles: [`${name}-host`], config: { [`${name}-host`]: { n: 2 } } } } };
      await rt.applyConfig(JSON.parse(JSON.stringify(doc)));
      expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
      await rt.stop();
    },
  );

  it('a host named __proto__ is a host like any other', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('site', { scope: 'host' })], logger: silent });
    await rt.applyConfig(JSON.parse('{"hosts":{"__proto__":{"roles":["site"]},"b.com":{"roles":["site"]}}}'));
    expect(rt.status().roles.map((r) => [r.name, r.host, r.running])).toEqual([
      ['site', '__proto__', true],
      ['site', 'b.com', true],
    ]);
    await rt.stop();
  });

  it('role code setting Object.prototype.roles does not change which roles a document enables', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({
      roles: [
        role('a', {
          init: () => {
            (Object.prototype as Record<string, unknown>).roles = ['evil'];
          },
        }),
        role('evil'),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['a'] });
    calls.length = 0;
    await rt.applyConfig({});
    expect(calls).toEqual(['stop:a']);
    expect(rt.getEnabledRoles()).toEqual([]);
    await rt.stop();
  });
});
