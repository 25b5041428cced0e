/**
 * What a reload reports: a successful one says the previous code is no
 * longer serving; a stop of the old version that failed shows in the status
 * of the role that replaced it; a rollback that fails says why the previous
 * code could not start again.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/index.js';
import { silent } from '../helpers.js';
import { ROOT } from './harness.js';

let dir: string | undefined;
let rt: Runtime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function runtimeOf(code: string): Promise<{ rt: Runtime; write: (code: string) => void }> {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(ROOT, '.tmp', 'reload-status-'));
  const file = join(dir, 'a.mjs');
  writeFileSync(file, code);
  rt = await createRuntime({ roles: [file], reloadAllowed: true, logger: silent });
  await rt.applyConfig({ roles: ['a'] });
  return { rt, write: (next) => writeFileSync(file, next) };
}

describe('reload status', () => {
  it('says the previous code is not serving after a successful reload', async () => {
    const { rt, write } = await runtimeOf(`export default { name: 'a' };`);
    write(`export default { name: 'a', init() {} };`);
    await rt.reload();
    expect(rt.status().reload).toMatchObject({ result: 'ok', previousCodeServing: false, roles: ['a'] });
  });

  it("shows a failed stop of the old version in the status of the role that replaced it", async () => {
    const { rt, write } = await runtimeOf(`export default { name: 'a', stop() { throw new Error('old stop broke'); } };`);
    write(`export default { name: 'a' };`);
    await rt.reload();
    expect(rt.state).toBe('RolesConfigured');
    const [a] = rt.status().roles;
    expect(a).toMatchObject({ name: 'a', running: true, status: { type: 'warn' } });
    expect(a!.status.message).toContain('old stop broke');
  });

  it('says why the previous code could not be started again when the rollback fails', async () => {
    const { rt, write } = await runtimeOf(
      `let starts = 0; export default { name: 'a', init() { if (++starts > 1) throw new Error('v1 refuses a second start'); } };`,
    );
    write(`export default { name: 'a', init() { throw new Error('v2 does not start'); } };`);
    const err = (await rt.reload().catch((e: unknown) => e)) as Error;
    expect(rt.state).toBe('ReloadError');
    expect(rt.status().reload).toMatchObject({ result: 'failed', previousCodeServing: false });
    expect(err.message).toContain('v2 does not start');
    expect(err.message).toContain('v1 refuses a second start');
  });
});
