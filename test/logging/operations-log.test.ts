/** What an operator reads in the log: one JSON line per state change, per reload, per role error, with role and host. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, defineRole, type RoleContext } from '../../src/index.js';
import { makeApp } from '../reload/harness.js';

const app = makeApp({ 'roles/jobs.mjs': "export default { name: 'jobs', init() { return {}; } };\n" });
afterAll(() => app.cleanup());

function memoryLogger() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

describe('the operations log', () => {
  it('has one line per state change, per reload whatever its result, and per role error, each with role and host', async () => {
    const { lines, logger } = memoryLogger();
    let ctx!: RoleContext;
    let failApply = false;
    const auth = defineRole({
      name: 'auth',
      scope: 'host',
      init: (c) => void (ctx = c),
      applyConfig() {
        if (failApply) throw new Error('backend unreachable');
      },
    });
    const rt = await createRuntime({ roles: ['./roles/jobs.mjs', auth], baseDir: app.dir, reloadAllowed: true, logger });
    await rt.applyConfig({ roles: ['jobs'], hosts: { 'a.example': { roles: ['auth'] } } });
    await rt.reload();
    app.write('roles/jobs.mjs', 'export default { name: "jobs" ;\n');
    await rt.reload().catch(() => {});
    app.write('roles/jobs.mjs', "export default { name: 'jobs', init() { return {}; } };\n");
    await rt.reload();
    ctx.setStatus('error', 'queue stuck');
    ctx.setStatus('error', 'queue stuck');
    failApply = true;
    // A changed section: an unchanged host instance would be left alone (docs/hosts.md), its applyConfig not called.
    await rt.applyConfig({ roles: ['jobs'], hosts: { 'a.example': { roles: ['auth'], config: { auth: { changed: true } } } } }).catch(() => {});
    await rt.stop();

    const states = lines.filter((l) => 'from' in l && 'to' in l).map((l) => `${l.from}->${l.to}`);
    expect(states).toEqual([
      'Unconfigured->ConfiguringRoles',
      'ConfiguringRoles->RolesConfigured',
      'RolesConfigured->ReloadingRoles',
      'ReloadingRoles->ConfiguringRoles',
      'ConfiguringRoles->RolesConfigured',
      'RolesConfigured->ReloadingRoles',
      'ReloadingRoles->ReloadError',
      'ReloadError->ReloadingRoles',
      'ReloadingRoles->ConfiguringRoles',
      'ConfiguringRoles->RolesConfigured',
      'RolesConfigured->ConfiguringRoles',
      'ConfiguringRoles->OperationError',
      'OperationError->ShuttingDown',
      'ShuttingDown->Stopped',
    ]);
    const reloads = lines.filter((l) => 'result' in l && 'generation' in l);
    expect(reloads.map((l) => [l.level, l.result, l.roles, l.generation, typeof l.durationMs, l.previousCodeServing])).toEqual([
      [30, 'ok', ['jobs'], 1, 'number', false],
      [30, 'failed', ['jobs'], 1, 'number', true],
      [30, 'ok', ['jobs'], 2, 'number', false],
    ]);
    expect(reloads[1]!.error).toMatchObject({ name: 'HotReloadError', message: expect.stringContaining('roles/jobs.mjs:1:') });
    // The whole error is on the state change's warning, once.
    expect(lines.filter((l) => l.err?.type === 'HotReloadError').map((l) => l.msg)).toEqual(['ReloadingRoles -> ReloadError']);

    const roleErrors = lines.filter((l) => l.role === 'auth' && l.level >= 40);
    expect(roleErrors.map((l) => [l.host, l.msg])).toEqual([
      ['a.example', 'Role "auth" on host "a.example" status error: queue stuck'],
      ['a.example', expect.stringMatching(/applyConfig failed/)],
    ]);
  });
});
