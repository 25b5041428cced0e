import { describe, expect, it } from 'vitest';
import { ApplyConfigError, createRuntime, type StateChange } from '../../src/index.js';
import { recorder, silent, sleep } from '../helpers.js';

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('subscribe', () => {
  it('reports every state change with the state before it, and the error of error states', async () => {
    const { role } = recorder();
    let fail = true;
    const rt = await createRuntime({
      roles: [role('a', { applyConfig: () => { if (fail) throw new Error('x'); } })],
      logger: silent,
    });
    const changes: StateChange[] = [];
    rt.subscribe((c) => changes.push(c));
    await rt.applyConfig({ roles: ['a'] }).catch(() => {});
    fail = false;
    await rt.applyConfig({ roles: ['a'] });
    await rt.stop();
    expect(changes.map((c) => [c.prev, c.state])).toEqual([
      ['Unconfigured', 'ConfiguringRoles'],
      ['ConfiguringRoles', 'OperationError'],
      ['OperationError', 'ConfiguringRoles'],
      ['ConfiguringRoles', 'RolesConfigured'],
      ['RolesConfigured', 'ShuttingDown'],
      ['ShuttingDown', 'Stopped'],
    ]);
    expect(changes[1].error).toBeInstanceOf(ApplyConfigError);
    expect(changes[3].error).toBeUndefined();
    expect(changes[5].error).toBeUndefined();
  });

  it('a clean stop after a failed apply leaves no error behind', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a', { applyConfig: () => { throw new Error('x'); } })], logger: silent });
    const changes: StateChange[] = [];
    rt.subscribe((c) => changes.push(c));
    await rt.applyConfig({ roles: ['a'] }).catch(() => {});
    expect(rt.error).toBeInstanceOf(ApplyConfigError);
    await rt.stop();
    expect(rt.state).toBe('Stopped');
    expect(rt.error).toBeUndefined();
    expect(rt.status().error).toBeUndefined();
    expect(changes.slice(-2).map((c) => [c.state, c.error])).toEqual([
      ['ShuttingDown', undefined],
      ['Stopped', undefined],
    ]);
  });

  it('stops calling a listener once unsubscribed; a listener that throws does not disturb the others', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a')], logger: silent });
    const first: string[] = [];
    const second: string[] = [];
    rt.subscribe(() => {
      throw new Error('listener broke');
    });
    const off = rt.subscribe((c) => first.push(c.state));
    rt.subscribe((c) => second.push(c.state));
    await rt.applyConfig({ roles: ['a'] });
    off();
    await rt.applyConfig({ roles: ['a'] });
    expect(first).toEqual(['ConfiguringRoles', 'RolesConfigured']);
    expect(second).toEqual(['ConfiguringRoles', 'RolesConfigured', 'ConfiguringRoles', 'RolesConfigured']);
    expect(rt.state).toBe('RolesConfigured');
    await rt.stop();
  });
});

describe('waitForState', () => {
  it('resolves at once when the runtime is in that state', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a')], logger: silent });
    const started = Date.now();
    expect(await rt.waitForState('Unconfigured', 5_000)).toBe('Unconfigured');
    expect(Date.now() - started).toBeLessThan(1_000);
    await rt.stop();
  });

  it('resolves as soon as the state is reached, not at the timeout', async () => {
    const { role } = recorder();
    const g = gate();
    const rt = await createRuntime({ roles: [role('a', { init: () => g.promise })], logger: silent });
    const started = Date.now();
    const waiting = rt.waitForState('RolesConfigured', 5_000);
    const apply = rt.applyConfig({ roles: ['a'] });
    await sleep(20);
    g.open();
    expect(await waiting).toBe('RolesConfigured');
    expect(Date.now() - started).toBeLessThan(2_000);
    await apply;
    await rt.stop();
  });

  it('on timeout resolves with the current state', async () => {
    const { role } = recorder();
    const g = gate();
    const rt = await createRuntime({ roles: [role('a', { init: () => g.promise })], logger: silent });
    const apply = rt.applyConfig({ roles: ['a'] });
    const started = Date.now();
    expect(await rt.waitForState('RolesConfigured', 50)).toBe('ConfiguringRoles');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    g.open();
    await apply;
    await rt.stop();
  });

  it('resolves with the current state as soon as the wanted state became unreachable (Stopped)', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a')], logger: silent });
    await rt.applyConfig({ roles: ['a'] });
    const started = Date.now();
    const waiting = rt.waitForState('OperationError', 10_000);
    await rt.stop();
    // Unreachable from the moment shutdown began.
    expect(await waiting).toBe('ShuttingDown');
    expect(await rt.waitForState('RolesConfigured', 10_000)).toBe('Stopped');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('resolves at once when the wanted state can never be reached from here', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a')], logger: silent });
    await rt.applyConfig({ roles: ['a'] });
    const started = Date.now();
    // Reload is not allowed: ReloadingRoles is unreachable; Unconfigured is never re-entered.
    expect(await rt.waitForState('ReloadingRoles', 10_000)).toBe('RolesConfigured');
    expect(await rt.waitForState('Unconfigured', 10_000)).toBe('RolesConfigured');
    expect(Date.now() - started).toBeLessThan(2_000);
    await rt.stop();
  });
});
