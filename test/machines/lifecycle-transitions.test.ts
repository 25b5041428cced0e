/**
 * The transition table of API.md section 4, asserted row by row on the pure
 * lifecycle machine with xstate's `initialTransition` / `transition`.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { LIFECYCLE_STATES, lifecycleMachine, type LifecycleStateName } from '../../src/machines/lifecycle.js';
import { ALLOW, APPLY, FORBID, INTO, RELOAD, STOP, done, fail, run } from './steps.js';


describe('lifecycle transition table (API.md section 4)', () => {
  it('starts Unconfigured with reload allowed as given and not forbidden', () => {
    for (const reloadAllowed of [true, false]) {
      const s = run([], reloadAllowed);
      expect(s.value).toBe('Unconfigured');
      expect(s.context).toMatchObject({ reloadAllowed, reloadForbidden: false, error: undefined });
    }
  });

  it('every state of INTO is reached by its steps', () => {
    for (const state of LIFECYCLE_STATES) expect(run(INTO[state]).value).toBe(state);
  });

  it('Unconfigured: apply configures; reload is refused', () => {
    const s = run([]);
    expect(s.can(APPLY)).toBe(true);
    expect(transition(lifecycleMachine, s, APPLY)[0].value).toBe('ConfiguringRoles');
    expect(s.can(RELOAD)).toBe(false);
    expect(transition(lifecycleMachine, s, RELOAD)[0].value).toBe('Unconfigured');
  });

  it('ConfiguringRoles: success leads to RolesConfigured and clears the error, failure to OperationError with the error', () => {
    const failed = run([APPLY, fail('configure', 'boom')]);
    expect(failed.value).toBe('OperationError');
    expect(failed.context.error).toBe('boom');
    const retried = run([...INTO.OperationError, APPLY, done('configure')]);
    expect(retried.value).toBe('RolesConfigured');
    expect(retried.context.error).toBeUndefined();
  });

  it('the configure run gets the request of the apply', () => {
    const s = run([{ type: 'APPLY', request: { kind: 'x' } }]);
    expect(s.context.request).toEqual({ kind: 'x' });
    expect(s.context.reloading).toBe(false);
  });

  it('ConfiguringRoles, RolesConfigured, ReloadingRoles refuse a second apply or reload while busy', () => {
    for (const state of ['ConfiguringRoles', 'ReloadingRoles', 'ShuttingDown'] as const) {
      const s = run(INTO[state]);
      expect(s.can(APPLY), state).toBe(false);
      expect(s.can(RELOAD), state).toBe(false);
      expect(transition(lifecycleMachine, s, APPLY)[0].value, state).toBe(state);
    }
  });

  it('RolesConfigured and OperationError accept apply', () => {
    for (const state of ['RolesConfigured', 'OperationError'] as const) {
      const s = run(INTO[state]);
      expect(s.can(APPLY), state).toBe(true);
      expect(transition(lifecycleMachine, s, APPLY)[0].value, state).toBe('ConfiguringRoles');
    }
  });

  it('RolesConfigured, OperationError and ReloadError accept reload only when allowed and not forbidden', () => {
    for (const state of ['RolesConfigured', 'OperationError', 'ReloadError'] as const) {
      const s = run(INTO[state]);
      expect(s.can(RELOAD), state).toBe(true);
      expect(transition(lifecycleMachine, s, RELOAD)[0].value, state).toBe('ReloadingRoles');

      const forbidden = transition(lifecycleMachine, s, FORBID)[0];
      expect(forbidden.value, state).toBe(state);
      expect(forbidden.context.reloadForbidden).toBe(true);
      expect(forbidden.can(RELOAD), state).toBe(false);
      expect(transition(lifecycleMachine, forbidden, RELOAD)[0].value, state).toBe(state);

      const allowedAgain = transition(lifecycleMachine, forbidden, ALLOW)[0];
      expect(allowedAgain.context.reloadForbidden).toBe(false);
      expect(allowedAgain.can(RELOAD), state).toBe(true);
    }
  });

  it('never reloads when the application does not allow reloading', () => {
    // ReloadError can not be reached without reloading, so check the other states.
    const states: LifecycleStateName[] = ['Unconfigured', 'RolesConfigured', 'OperationError'];
    for (const state of states) {
      const s = run(INTO[state], false);
      expect(s.value).toBe(state);
      expect(s.can(RELOAD), state).toBe(false);
      expect(transition(lifecycleMachine, s, RELOAD)[0].value, state).toBe(state);
    }
  });

  it('the reload pause can be set and lifted in any live state', () => {
    for (const state of LIFECYCLE_STATES.filter((s) => s !== 'Stopped')) {
      const forbidden = transition(lifecycleMachine, run(INTO[state]), FORBID)[0];
      expect(forbidden.value, state).toBe(state);
      expect(forbidden.context.reloadForbidden, state).toBe(true);
      expect(transition(lifecycleMachine, forbidden, ALLOW)[0].context.reloadForbidden, state).toBe(false);
    }
  });

  it('ReloadingRoles: loaded code goes on to ConfiguringRoles inside a reload, with the reload output as request', () => {
    const s = run([...INTO.ReloadingRoles, done('reload', { token: 1 })]);
    expect(s.value).toBe('ConfiguringRoles');
    expect(s.context.reloading).toBe(true);
    expect(s.context.request).toEqual({ token: 1 });
    const ok = transition(lifecycleMachine, s, done('configure') as never)[0];
    expect(ok.value).toBe('RolesConfigured');
    expect(ok.context).toMatchObject({ reloading: false, error: undefined, previousCodeServing: true });
  });

  it('ReloadingRoles: a failure before the old roles stopped is a ReloadError with the previous code serving', () => {
    const s = run(INTO.ReloadError);
    expect(s.value).toBe('ReloadError');
    expect(s.context.previousCodeServing).toBe(true);
    expect((s.context.error as Error).message).toBe('import failed');
  });

  it('ConfiguringRoles inside a reload: new roles failing to start is a ReloadError, serving as the error says', () => {
    const reloaded = [...INTO.ReloadingRoles, done('reload', 'next')];
    const rolledBack = run([...reloaded, fail('configure', { message: 'x', previousCodeServing: true })]);
    expect(rolledBack.value).toBe('ReloadError');
    expect(rolledBack.context.previousCodeServing).toBe(true);
    expect(rolledBack.context.reloading).toBe(false);
    const notRolledBack = run([...reloaded, fail('configure', { message: 'y' })]);
    expect(notRolledBack.value).toBe('ReloadError');
    expect(notRolledBack.context.previousCodeServing).toBe(false);
  });

  it('ReloadError accepts apply only while the previous code is still serving', () => {
    const reloaded = [...INTO.ReloadingRoles, done('reload', 'next')];
    const serving = run([...reloaded, fail('configure', { previousCodeServing: true })]);
    expect(serving.can(APPLY)).toBe(true);
    expect(transition(lifecycleMachine, serving, APPLY)[0].value).toBe('ConfiguringRoles');
    expect(run(INTO.ReloadError).can(APPLY)).toBe(true);

    const notServing = run([...reloaded, fail('configure', { previousCodeServing: false })]);
    expect(notServing.can(APPLY)).toBe(false);
    expect(transition(lifecycleMachine, notServing, APPLY)[0].value).toBe('ReloadError');
    // A later reload retries, and a successful one makes apply possible again.
    expect(notServing.can(RELOAD)).toBe(true);
    const retried = run([...reloaded, fail('configure', { previousCodeServing: false }), RELOAD, done('reload', 'again'), done('configure')]);
    expect(retried.value).toBe('RolesConfigured');
    expect(retried.can(APPLY)).toBe(true);
  });

  it('a plain apply that fails is an OperationError even after an earlier reload', () => {
    const s = run([...INTO.ReloadingRoles, done('reload', 'next'), done('configure'), APPLY, fail('configure', 'bad')]);
    expect(s.value).toBe('OperationError');
  });

  it('STOP leads from every state but Stopped to ShuttingDown, then to Stopped on done or error', () => {
    for (const state of LIFECYCLE_STATES.filter((s) => s !== 'Stopped')) {
      const s = run(INTO[state]);
      // In ShuttingDown, STOP is accepted and changes nothing (so `can` says false there).
      expect(s.can(STOP), state).toBe(state !== 'ShuttingDown');
      const stopping = transition(lifecycleMachine, s, STOP)[0];
      expect(stopping.value, state).toBe('ShuttingDown');
      const stopped = transition(lifecycleMachine, stopping, done('shutdown') as never)[0];
      expect(stopped.value).toBe('Stopped');
      // Not an error state: an error of the state before is not carried over.
      expect(stopped.context.error, state).toBeUndefined();
      const failed = transition(lifecycleMachine, stopping, fail('shutdown', 'stop failed') as never)[0];
      expect(failed.value).toBe('Stopped');
      expect(failed.context.error).toBe('stop failed');
    }
  });

  it('ShuttingDown ignores apply, reload and another STOP', () => {
    const s = run(INTO.ShuttingDown);
    for (const e of [APPLY, RELOAD, STOP]) expect(transition(lifecycleMachine, s, e)[0].value).toBe('ShuttingDown');
  });

  it('Stopped is final and accepts nothing', () => {
    const s = run(INTO.Stopped);
    expect(s.status).toBe('done');
    for (const e of [APPLY, RELOAD, STOP]) expect(s.can(e), e.type).toBe(false);
    for (const e of [APPLY, RELOAD, STOP, FORBID, ALLOW]) {
      const [next] = transition(lifecycleMachine, s, e);
      expect(next.value, e.type).toBe('Stopped');
      expect(next.status, e.type).toBe('done');
    }
  });
});
