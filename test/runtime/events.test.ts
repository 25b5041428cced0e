/**
 * The event stream: for an apply, a reload, a rollback, a status change and a
 * failing callback, the exact sequence of events; `seq` strictly increasing;
 * every event JSON-serialisable; a throwing listener disturbs nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, defineRole, type RolekitEvent, type Runtime } from '../../src/index.js';
import { silent } from '../helpers.js';
import { ROOT } from '../reload/harness.js';

const dirs: string[] = [];
const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every event, and a short line per event for comparing sequences. */
function record(rt: Runtime) {
  const all: RolekitEvent[] = [];
  rt.on('*', (e) => void all.push(e));
  const lines = () =>
    all.map((e) => {
      switch (e.type) {
        case 'state':
          return `state ${e.prev}->${e.state}`;
        case 'callback':
          return `callback ${e.role}${e.host ? `@${e.host}` : ''} ${e.callback} ${e.ok ? 'ok' : 'failed'}`;
        case 'status':
          return `status ${e.role} ${e.status.type}`;
        case 'apply':
          return `apply ${e.result} started=${e.started.map((r) => r.role)} stopped=${e.stopped.map((r) => r.role)} applied=${e.applied.map((r) => r.role)}`;
        case 'reload':
          return `reload ${e.result} ${e.roles} gen=${e.generation} previousCodeServing=${e.previousCodeServing}`;
      }
    });
  return { all, lines };
}

function expectWellFormed(all: RolekitEvent[]): void {
  for (let i = 1; i < all.length; i++) expect(all[i]!.seq).toBe(all[i - 1]!.seq + 1);
  for (const e of all) {
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(typeof e.time).toBe('number');
  }
}

async function moduleRuntime(code: string) {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.tmp', 'events-'));
  dirs.push(dir);
  const file = join(dir, 'a.mjs');
  writeFileSync(file, code);
  const rt = await createRuntime({ roles: [file], reloadAllowed: true, logger: silent });
  runtimes.push(rt);
  return { rt, write: (next: string) => writeFileSync(file, next) };
}

describe('events', () => {
  it('an apply: state changes, each callback, and the apply with what started and was applied', async () => {
    const a = defineRole({ name: 'a', validateConfig() {}, init() {}, applyConfig() {} });
    const b = defineRole({ name: 'b', dependencies: ['a'], applyConfig() {}, stop() {} });
    const rt = await createRuntime({ roles: [a, b], logger: silent });
    runtimes.push(rt);
    const { all, lines } = record(rt);
    await rt.applyConfig({ roles: ['b'] });
    await rt.applyConfig({ roles: ['a'] });
    expect(lines()).toEqual([
      'callback a validateConfig ok',
      'state Unconfigured->ConfiguringRoles',
      'callback a init ok',
      'callback a applyConfig ok',
      'callback b applyConfig ok',
      'state ConfiguringRoles->RolesConfigured',
      'apply ok started=a,b stopped= applied=a,b',
      'callback a validateConfig ok',
      'state RolesConfigured->ConfiguringRoles',
      'callback b stop ok',
      'callback a applyConfig ok',
      'state ConfiguringRoles->RolesConfigured',
      'apply ok started= stopped=b applied=a',
    ]);
    expectWellFormed(all);
  });

  it('a failing callback and a rejected document: the callback event carries the error; rejected applies change nothing', async () => {
    const a = defineRole({
      name: 'a',
      validateConfig(conf: unknown) {
        if (conf === 'bad') throw new Error('bad section');
      },
      init() {
        throw new Error('init broke');
      },
    });
    const rt = await createRuntime({ roles: [a], logger: silent });
    runtimes.push(rt);
    const { all, lines } = record(rt);
    await expect(rt.applyConfig({ roles: ['a'], config: { a: 'bad' } })).rejects.toThrow('bad section');
    await expect(rt.applyConfig({ roles: ['a'] })).rejects.toThrow('init broke');
    expect(lines()).toEqual([
      'callback a validateConfig failed',
      'apply rejected started= stopped= applied=',
      'callback a validateConfig ok',
      'state Unconfigured->ConfiguringRoles',
      'callback a init failed',
      'status a error',
      'state ConfiguringRoles->OperationError',
      'apply failed started= stopped= applied=',
    ]);
    const failed = all.find((e) => e.type === 'callback' && e.callback === 'init');
    expect(failed).toMatchObject({ ok: false, error: { name: 'Error', message: 'init broke' } });
    expect(all.at(-1)).toMatchObject({ type: 'apply', result: 'failed', error: { name: 'ApplyConfigError' } });
    expect(all[1]).toMatchObject({ type: 'apply', result: 'rejected', error: { name: 'ValidateConfigError' } });
    expectWellFormed(all);
  });

  it('a status change set by the role is an event', async () => {
    const a = defineRole({ name: 'a', init: (ctx) => ctx.setStatus('warn', 'disk 91% full') });
    const rt = await createRuntime({ roles: [a], logger: silent });
    runtimes.push(rt);
    const statuses: RolekitEvent<'status'>[] = [];
    rt.on('status', (e) => void statuses.push(e));
    await rt.applyConfig({ roles: ['a'] });
    expect(statuses).toEqual([expect.objectContaining({ type: 'status', role: 'a', status: expect.objectContaining({ type: 'warn', message: 'disk 91% full' }) })]);
  });

  it('a reload, then a rollback: reload events with generation and previousCodeServing', async () => {
    const { rt, write } = await moduleRuntime(`export default { name: 'a', init() {}, stop() {} };`);
    await rt.applyConfig({ roles: ['a'] });
    const { all, lines } = record(rt);
    write(`export default { name: 'a', init() {} };`);
    await rt.reload();
    write(`export default { name: 'a', init() { throw new Error('v3 broke'); } };`);
    await expect(rt.reload()).rejects.toThrow('rolled back');
    expect(lines()).toEqual([
      'state RolesConfigured->ReloadingRoles',
      'callback a stop ok',
      'state ReloadingRoles->ConfiguringRoles',
      'callback a init ok',
      'reload ok a gen=1 previousCodeServing=false',
      'state ConfiguringRoles->RolesConfigured',
      'state RolesConfigured->ReloadingRoles',
      'state ReloadingRoles->ConfiguringRoles',
      'callback a init failed',
      'status a error',
      'status a ok',
      'callback a init ok',
      'reload rolled-back a gen=1 previousCodeServing=true',
      'state ConfiguringRoles->ReloadError',
    ]);
    expect(rt.status().reload).toMatchObject({ result: 'rolled-back', previousCodeServing: true, roles: ['a'] });
    expectWellFormed(all);
  });

  it('a listener that throws disturbs neither the runtime nor the other listeners', async () => {
    const warnings: string[] = [];
    const logger = { ...silent, warn: (_o: unknown, msg: string) => void warnings.push(msg), child: () => logger } as unknown as typeof silent;
    const rt = await createRuntime({ roles: [defineRole({ name: 'a' })], logger });
    runtimes.push(rt);
    rt.on('*', () => {
      throw new Error('listener broke');
    });
    const seen: string[] = [];
    const off = rt.on('state', (e) => void seen.push(e.state));
    await rt.applyConfig({ roles: ['a'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(seen).toEqual(['ConfiguringRoles', 'RolesConfigured']);
    expect(warnings).toContain('event listener failed');
    off();
    await rt.applyConfig({ roles: ['a'] });
    expect(seen).toEqual(['ConfiguringRoles', 'RolesConfigured']);
  });
});
