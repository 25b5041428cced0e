import { describe, expect, it } from 'vitest';
import { createAdmin, errorBody, statusOf } from '../../src/admin/index.js';
import { BusyError, HotReloadError, StateError, TimeoutError, ValidateConfigError, createRuntime, defineRole } from '../../src/index.js';
import { silent } from '../helpers.js';

const trap = () => {
  throw new Error('trap');
};
const hostile = new Proxy({}, { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
const revoked = Proxy.revocable({}, {});
revoked.revoke();

describe('errorBody and statusOf', () => {
  it('describe any thrown value without throwing, as a 500', () => {
    for (const value of ['a string', null, undefined, 42, Symbol('s'), Object.create(null), hostile, revoked.proxy, { message: 7 }, new Error('plain')]) {
      const body = errorBody(value);
      expect(typeof body.error.name).toBe('string');
      expect(typeof body.error.message).toBe('string');
      expect(statusOf(value)).toBe(500);
      expect(JSON.parse(JSON.stringify(body))).toEqual(body);
    }
    expect(errorBody('a string').error).toEqual({ name: 'Error', message: 'a string' });
  });

  it("map rolekit's errors to the contract's statuses, with a validation error's issues", () => {
    expect([new BusyError('b'), new HotReloadError('h'), new StateError('s'), new TimeoutError('t')].map(statusOf)).toEqual([409, 409, 409, 500]);
    const invalid = new ValidateConfigError([{ path: 'config.a', message: 'bad' }, { path: 'roles.0', message: hostile as never }]);
    expect(statusOf(invalid)).toBe(422);
    expect(errorBody(invalid).error).toMatchObject({ name: 'ValidateConfigError', issues: [{ path: 'config.a', message: 'bad' }, { path: 'roles.0', message: expect.any(String) }] });
  });

  it('answer 409 StateError over the app for an apply in a state that takes none', async () => {
    const rt = await createRuntime({ roles: [defineRole({ name: 'a' })], logger: silent });
    await rt.applyConfig({ roles: ['a'] });
    await rt.stop();
    const admin = createAdmin(rt, { processMetrics: false });
    const res = await admin.request('/config', { method: 'POST', body: JSON.stringify({ roles: ['a'] }) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { name: string } }).error.name).toBe('StateError');
    admin.close();
  });
});
