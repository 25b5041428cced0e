import { describe, expect, it } from 'vitest';
import { BusyError, HotReloadError, StateError, createRuntime, type Runtime, type StateChange } from '../../src/index.js';
import { recorder, silent, sleep } from '../helpers.js';

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Settles with 'pending' if `p` has not settled within a few event-loop turns. */
async function settledNow(p: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  return Promise.race([
    p.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    sleep(10).then(() => 'pending' as const),
  ]);
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

/** `slow` blocks in init until the gate opens. */
async function runtimeWithSlowInit(options: { reloadAllowed?: boolean } = {}) {
  const { calls, role } = recorder();
  const initGate = gate();
  const rt = await createRuntime({
    roles: [
      role('slow', {
        init: async () => {
          calls.push('init:slow');
          await initGate.promise;
        },
      }),
      role('other'),
    ],
    logger: silent,
    ...options,
  });
  return { rt, calls, initGate };
}

describe('state-changing calls never overlap', () => {
  it('a second applyConfig during an apply rejects at once with BusyError; the first completes', async () => {
    const { rt, calls, initGate } = await runtimeWithSlowInit();
    const first = rt.applyConfig({ roles: ['slow'] });
    await sleep(5);
    expect(rt.state).toBe('ConfiguringRoles');
    calls.length = 0;

    const second = rt.applyConfig({ roles: ['other'] });
    expect(await settledNow(second)).toBe('rejected');
    const err = await rejection(second);
    expect(err).toBeInstanceOf(BusyError);
    expect(err.name).toBe('BusyError');
    // Refused before validating anything: the second document was never looked at.
    expect(calls).toEqual([]);
    expect(rt.state).toBe('ConfiguringRoles');
    expect(await settledNow(first)).toBe('pending');

    initGate.open();
    await first;
    expect(rt.state).toBe('RolesConfigured');
    expect(rt.getEnabledRoles()).toEqual(['slow']);
    // Only the first apply went on (its init had already started when the log was cleared).
    expect(calls).toEqual(['apply:slow']);
    await rt.stop();
  });

  it('an apply still in its validate phase already makes the runtime busy', async () => {
    const { calls, role } = recorder();
    const validateGate = gate();
    const rt = await createRuntime({
      roles: [role('a', { validateConfig: () => validateGate.promise }), role('b')],
      logger: silent,
    });
    const first = rt.applyConfig({ roles: ['a'] });
    const second = rt.applyConfig({ roles: ['b'] });
    expect(await rejection(second)).toBeInstanceOf(BusyError);
    expect(rt.state).toBe('Unconfigured');
    await expect(rt.reload()).rejects.toBeInstanceOf(BusyError);
    validateGate.open();
    await first;
    expect(rt.state).toBe('RolesConfigured');
    expect(calls).toEqual(['init:a', 'apply:a']);
    await rt.stop();
  });

  it('after a call finished, with success or failure, the next one is accepted', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a')], logger: silent });
    await expect(rt.applyConfig({ roles: ['nope'] })).rejects.toMatchObject({ name: 'ValidateConfigError' });
    await rt.applyConfig({ roles: ['a'] });
    await rt.applyConfig({ roles: ['a'] });
    expect(rt.state).toBe('RolesConfigured');
    await rt.stop();
  });

  it('BusyError comes before any reload refusal, and update() is busy too', async () => {
    for (const reloadAllowed of [false, true]) {
      const { rt, initGate } = await runtimeWithSlowInit({ reloadAllowed });
      rt.forbidReload();
      const first = rt.applyConfig({ roles: ['slow'] });
      await sleep(5);
      const err = await rejection(rt.reload());
      expect(err, `reloadAllowed ${reloadAllowed}`).toBeInstanceOf(BusyError);
      expect(await rejection(rt.reload({ roles: ['slow'] }))).toBeInstanceOf(BusyError);
      expect(await rejection(rt.update(['slow']))).toBeInstanceOf(BusyError);
      expect(rt.state).toBe('ConfiguringRoles');
      initGate.open();
      await first;
      await rt.stop();
    }
  });
});

describe('reload refusals', () => {
  async function refusal(rt: Runtime): Promise<string> {
    const before = rt.state;
    const changes: StateChange[] = [];
    const off = rt.subscribe((c) => changes.push(c));
    const err = await rejection(rt.reload());
    off();
    expect(err).toBeInstanceOf(HotReloadError);
    expect(err.name).toBe('HotReloadError');
    expect(rt.state).toBe(before);
    expect(changes).toEqual([]);
    return err.message;
  }

  it('not allowed by the application', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a')], logger: silent });
    expect(await refusal(rt)).toBe('This application forbids reloading roles');
    await rt.applyConfig({ roles: ['a'] });
    expect(await refusal(rt)).toBe('This application forbids reloading roles');
    // Not allowed wins over the pause.
    rt.forbidReload();
    expect(await refusal(rt)).toBe('This application forbids reloading roles');
    await rt.stop();
  });

  it('paused with forbidReload() until allowReload()', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a')], logger: silent, reloadAllowed: true });
    await rt.applyConfig({ roles: ['a'] });
    expect(rt.isReloadForbidden()).toBe(false);
    rt.forbidReload();
    expect(rt.isReloadForbidden()).toBe(true);
    expect(await refusal(rt)).toBe('Reloading roles forbidden');
    rt.allowReload();
    expect(rt.isReloadForbidden()).toBe(false);
    // Allowed again: no role is a module, so the reload goes through and ends configured.
    await rt.reload();
    expect(rt.state).toBe('RolesConfigured');
    await rt.stop();
  });

  it('in a state that can not reload', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a')], logger: silent, reloadAllowed: true });
    expect(await refusal(rt)).toBe('Inappropriate state "Unconfigured"');
    // The pause is checked before the state.
    rt.forbidReload();
    expect(await refusal(rt)).toBe('Reloading roles forbidden');
    rt.allowReload();
    await rt.stop();
    const err = await rejection(rt.reload());
    expect(err).toBeInstanceOf(HotReloadError);
    expect(err.message).toBe('Inappropriate state "Stopped"');
  });
});

describe('stop()', () => {
  it('during an apply waits for it, then stops; it never gets BusyError', async () => {
    const { rt, calls, initGate } = await runtimeWithSlowInit();
    const apply = rt.applyConfig({ roles: ['slow', 'other'] });
    await sleep(5);
    const stop = rt.stop();
    const stopAgain = rt.stop();
    expect(await settledNow(stop)).toBe('pending');
    expect(rt.state).toBe('ConfiguringRoles');
    expect(calls.filter((c) => c.startsWith('stop:'))).toEqual([]);

    initGate.open();
    await Promise.all([apply, stop, stopAgain]);
    expect(rt.state).toBe('Stopped');
    expect(calls.filter((c) => !c.startsWith('validate:'))).toEqual([
      'init:slow', 'apply:slow', 'init:other', 'apply:other', 'stop:other', 'stop:slow',
    ]);
  });

  it('makes other calls busy while it runs, and refuses them once Stopped', async () => {
    const { calls, role } = recorder();
    const stopGate = gate();
    const rt = await createRuntime({ roles: [role('a', { stop: () => stopGate.promise })], logger: silent });
    await rt.applyConfig({ roles: ['a'] });
    const stop = rt.stop();
    await sleep(5);
    expect(rt.state).toBe('ShuttingDown');
    expect(await rejection(rt.applyConfig({ roles: ['a'] }))).toBeInstanceOf(BusyError);
    stopGate.open();
    await stop;
    expect(rt.state).toBe('Stopped');
    const err = await rejection(rt.applyConfig({ roles: ['a'] }));
    expect(err).toBeInstanceOf(StateError);
    expect(err.message).toBe('Inappropriate state "Stopped"');
    await rt.stop();
    expect(calls.filter((c) => c.startsWith('init:'))).toEqual(['init:a']);
  });

  it('works from Unconfigured and from OperationError', async () => {
    const { calls, role } = recorder();
    const idle = await createRuntime({ roles: [role('a')], logger: silent });
    await idle.stop();
    expect(idle.state).toBe('Stopped');
    expect(calls).toEqual([]);

    const failing = await createRuntime({
      roles: [role('b', { applyConfig: () => { throw new Error('x'); } })],
      logger: silent,
    });
    await expect(failing.applyConfig({ roles: ['b'] })).rejects.toMatchObject({ name: 'ApplyConfigError' });
    await failing.stop();
    expect(failing.state).toBe('Stopped');
    expect(calls).toEqual(['validate:b', 'init:b', 'stop:b']);
  });
});
