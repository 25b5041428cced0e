/**
 * An apply that the state refuses runs no role code: the refusal comes before
 * the validate phase, in Stopped and in a ReloadError with nothing serving.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateError, createRuntime, defineRole } from '../../src/index.js';
import { silent } from '../helpers.js';
import { ROOT } from '../reload/harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete process.env.RK_TEST_FAIL_INIT;
});

function watcherRole(calls: string[]) {
  return defineRole({ name: 'watcher', validateConfig: () => void calls.push('validate') });
}

describe('refusing an apply before any role code runs', () => {
  it('in Stopped: StateError, and no validateConfig ran', async () => {
    const calls: string[] = [];
    const rt = await createRuntime({ roles: [watcherRole(calls)], logger: silent });
    await rt.applyConfig({ roles: ['watcher'] });
    await rt.stop();
    calls.length = 0;
    const err = await rt.applyConfig({ roles: ['watcher'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect(calls).toEqual([]);
  });

  it('in ReloadError with the previous code not serving: StateError, and no validateConfig ran', async () => {
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.tmp', 'refuse-'));
    dirs.push(dir);
    const file = join(dir, 'a.mjs');
    // The first version starts unless told to fail: then its rollback fails too.
    writeFileSync(file, `export default { name: 'a', init() { if (process.env.RK_TEST_FAIL_INIT) throw new Error('v1 can not start again'); } };`);
    const calls: string[] = [];
    const rt = await createRuntime({ roles: [file, watcherRole(calls)], reloadAllowed: true, logger: silent });
    await rt.applyConfig({ roles: ['a', 'watcher'] });
    writeFileSync(file, `export default { name: 'a', init() { throw new Error('v2 does not start'); } };`);
    process.env.RK_TEST_FAIL_INIT = '1';
    await expect(rt.reload()).rejects.toThrow(/could not be started again/);
    expect(rt.state).toBe('ReloadError');
    expect(rt.status().reload?.previousCodeServing).toBe(false);
    calls.length = 0;
    const err = await rt.applyConfig({ roles: ['a', 'watcher'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toBe('Inappropriate state "ReloadError"');
    expect(calls).toEqual([]);
    await rt.stop();
  });
});
