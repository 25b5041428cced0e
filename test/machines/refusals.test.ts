/**
 * The refusal reasons next to the guards, and the busy tag, read off pure
 * snapshots made with `transition()`: no runtime, no role.
 */
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_STATES, applyRefusal, isBusy, reloadRefusal, stateOf } from '../../src/machines/lifecycle.js';
import { APPLY, INTO, RELOAD, done, fail, run } from './steps.js';


describe('refusal reasons and busy states', () => {
  it('marks exactly the states that run an actor as busy', () => {
    const busy = LIFECYCLE_STATES.filter((state) => isBusy(run(INTO[state])));
    expect(busy).toEqual(['ConfiguringRoles', 'ReloadingRoles', 'ShuttingDown']);
  });

  it('refuses an apply with the state named, exactly where the machine takes no APPLY', () => {
    for (const state of LIFECYCLE_STATES) {
      const s = run(INTO[state]);
      expect(stateOf(s)).toBe(state);
      expect(applyRefusal(s) === undefined, state).toBe(s.can(APPLY));
      if (!s.can(APPLY)) expect(applyRefusal(s)).toBe(`Inappropriate state "${state}"`);
    }
    expect(LIFECYCLE_STATES.filter((state) => applyRefusal(run(INTO[state])) === undefined)).toEqual([
      'Unconfigured',
      'RolesConfigured',
      'OperationError',
      'ReloadError',
    ]);
  });

  it('refuses an apply in ReloadError once the previous code is not serving', () => {
    const notServing = run([APPLY, done('configure'), RELOAD, done('reload'), fail('configure', { previousCodeServing: false })]);
    expect(stateOf(notServing)).toBe('ReloadError');
    expect(applyRefusal(notServing)).toBe('Inappropriate state "ReloadError"');
  });

  it("gives Cartridge's reload refusals in Cartridge's order: not allowed, forbidden, state", () => {
    expect(reloadRefusal(run(INTO.RolesConfigured, false))).toBe('This application forbids reloading roles');
    expect(reloadRefusal(run([{ type: 'FORBID_RELOAD' }], false))).toBe('This application forbids reloading roles');
    expect(reloadRefusal(run([...INTO.RolesConfigured, { type: 'FORBID_RELOAD' }]))).toBe('Reloading roles forbidden');
    expect(reloadRefusal(run([...INTO.Unconfigured, { type: 'FORBID_RELOAD' }]))).toBe('Reloading roles forbidden');
    expect(reloadRefusal(run([...INTO.RolesConfigured, { type: 'FORBID_RELOAD' }, { type: 'ALLOW_RELOAD' }]))).toBeUndefined();
    for (const state of LIFECYCLE_STATES) {
      const s = run(INTO[state]);
      expect(reloadRefusal(s) === undefined, state).toBe(s.can(RELOAD));
      if (!s.can(RELOAD)) expect(reloadRefusal(s)).toBe(`Inappropriate state "${state}"`);
    }
  });
});
