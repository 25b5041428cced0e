import { spawnSync } from 'node:child_process';
import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LIFECYCLE_STATES, createRuntime, defineRole, type RoleContext, type Runtime } from '../../src/index.js';
import { makeApp } from '../reload/harness.js';
import { silent } from '../helpers.js';
import { call, closeAll, listen } from './helpers.js';
import type { AdminServer } from '../../src/admin/index.js';

const app = makeApp({ 'roles/jobs.mjs': "export default { name: 'jobs', init() { return {}; } };\n" });
afterAll(() => app.cleanup());
const runtimes: Runtime[] = [];
afterEach(async () => {
  await closeAll();
  for (const rt of runtimes.splice(0)) await rt.stop();
});

/** promtool's verdict on a metrics text: its exit code and what it printed. */
function promtool(text: string): { status: number | null; out: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

async function scrape(server: AdminServer): Promise<Family[]> {
  const res = await call(server, 'GET', '/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  // promtool parses it (exit 1 is a parse error); its lint finds nothing to say about rolekit's own metrics.
  const verdict = promtool(res.body);
  expect(verdict.status, verdict.out).not.toBe(1);
  expect(verdict.out).not.toMatch(/parsing error/);
  expect(verdict.out.split('\n').filter((l) => l.startsWith('rolekit_'))).toEqual([]);
  return parsePrometheusTextFormat(res.body);
}

function family(families: Family[], name: string): Family {
  const f = families.find((x) => x.name === name);
  if (!f) throw new Error(`no family ${name}`);
  return f;
}

function samples(families: Family[], name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of family(families, name).metrics) out[JSON.stringify(m.labels ?? {})] = Number(m.value);
  return out;
}

const roleStatus = (families: Family[]) =>
  Object.fromEntries(family(families, 'rolekit_role_status').metrics.map((m) => [`${m.labels!.host}/${m.labels!.role}`, Number(m.value)]));

describe('GET /metrics', () => {
  it('reports role status by host and role, the state, reloads and durations, and follows a reload, a status change and a removed host', async () => {
    let ctx: RoleContext | undefined;
    const auth = defineRole({ name: 'auth', scope: 'host', init: (c) => void (c.host === 'a.example' && (ctx = c)) });
    const rt = await createRuntime({ roles: ['./roles/jobs.mjs', auth], baseDir: app.dir, reloadAllowed: true, logger: silent });
    runtimes.push(rt);
    const server = await listen(rt);
    await rt.applyConfig({ roles: ['jobs'], hosts: { 'a.example': { roles: ['auth'] }, 'b.example': { roles: ['auth'] } } });

    let m = await scrape(server);
    expect(family(m, 'rolekit_role_status').type).toBe('GAUGE');
    expect(roleStatus(m)).toEqual({ '*/jobs': 0, 'a.example/auth': 0, 'b.example/auth': 0 });
    expect(samples(m, 'rolekit_state')).toEqual(Object.fromEntries(LIFECYCLE_STATES.map((s) => [JSON.stringify({ state: s }), s === 'RolesConfigured' ? 1 : 0])));
    expect(samples(m, 'rolekit_reloads_total')).toEqual({ '{"result":"ok"}': 0, '{"result":"failed"}': 0, '{"result":"rolled-back"}': 0 });
    expect(family(m, 'rolekit_apply_duration_seconds')).toMatchObject({ type: 'HISTOGRAM', metrics: [{ count: '1' }] });
    expect(family(m, 'rolekit_reload_duration_seconds').metrics[0]!.count).toBe('0');
    // prom-client's process metrics are there too.
    expect(m.some((f) => f.name === 'process_cpu_user_seconds_total')).toBe(true);

    ctx!.setStatus('warn', 'slow backend');
    m = await scrape(server);
    expect(roleStatus(m)['a.example/auth']).toBe(2);
    ctx!.setStatus('error', 'down');
    expect(roleStatus(await scrape(server))['a.example/auth']).toBe(3);

    await rt.reload();
    app.write('roles/jobs.mjs', 'export default { name: "jobs" ;\n');
    await rt.reload().catch(() => {});
    m = await scrape(server);
    expect(samples(m, 'rolekit_reloads_total')).toEqual({ '{"result":"ok"}': 1, '{"result":"failed"}': 1, '{"result":"rolled-back"}': 0 });
    expect(family(m, 'rolekit_reload_duration_seconds').metrics[0]!.count).toBe('2');
    expect(samples(m, 'rolekit_state')['{"state":"ReloadError"}']).toBe(1);
    expect(samples(m, 'rolekit_state')['{"state":"RolesConfigured"}']).toBe(0);
    app.write('roles/jobs.mjs', "export default { name: 'jobs', init() { return {}; } };\n");

    // A removed host and a disabled role take their series with them.
    await rt.reload();
    await rt.applyConfig({ roles: [], hosts: { 'a.example': { roles: ['auth'] } } });
    m = await scrape(server);
    expect(roleStatus(m)).toEqual({ 'a.example/auth': 3 });
    expect(family(m, 'rolekit_apply_duration_seconds').metrics[0]!.count).toBe('2');
    await rt.stop();
    m = await scrape(server);
    expect(family(m, 'rolekit_role_status').metrics).toEqual([]);
    expect(samples(m, 'rolekit_state')['{"state":"Stopped"}']).toBe(1);
  });

  it('drops the series of a role that never started once a later apply leaves it out, and of a re-applied role set keeps every series', async () => {
    const broken = defineRole({ name: 'broken', init: () => { throw new Error('no backend'); } });
    const fine = defineRole({ name: 'fine' });
    const rt = await createRuntime({ roles: [broken, fine], logger: silent });
    runtimes.push(rt);
    const server = await listen(rt);
    await rt.applyConfig({ roles: ['broken', 'fine'] }).catch(() => {});
    expect(roleStatus(await scrape(server))).toEqual({ '*/broken': 3, '*/fine': 0 });
    await rt.applyConfig({ roles: ['fine'] });
    expect(roleStatus(await scrape(server))).toEqual({ '*/fine': 0 });
    await rt.applyConfig({ roles: ['fine'] });
    expect(roleStatus(await scrape(server))).toEqual({ '*/fine': 0 });
  });

  it('answers OpenMetrics when the client asks for it, and Prometheus text otherwise', async () => {
    const rt = await createRuntime({ roles: [defineRole({ name: 'a' })], logger: silent });
    runtimes.push(rt);
    const server = await listen(rt);
    await rt.applyConfig({ roles: ['a'] });
    const om = await call(server, 'GET', '/metrics', { headers: { accept: 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4' } });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    expect(om.body).toContain('# TYPE rolekit_reloads counter\n');
    expect(om.body).toMatch(/^rolekit_reloads_total\{result="ok"\} 0$/m);
    expect(om.body).toMatch(/^rolekit_role_status\{host="\*",role="a"\} 0$/m);
    // Asking for OpenMetrics leaves the Prometheus text as it was (prom-client renames counters in place).
    const text = await call(server, 'GET', '/metrics');
    expect(text.body).toContain('# TYPE rolekit_reloads_total counter\n');
    expect(text.body).not.toContain('# EOF');
  });

  it('keeps two runtimes in one process apart', async () => {
    const make = async (name: string) => {
      const rt = await createRuntime({ roles: [defineRole({ name })], logger: silent });
      runtimes.push(rt);
      await rt.applyConfig({ roles: [name] });
      return listen(rt);
    };
    const [one, two] = [await make('one'), await make('two')];
    expect(Object.keys(roleStatus(await scrape(one)))).toEqual(['*/one']);
    expect(Object.keys(roleStatus(await scrape(two)))).toEqual(['*/two']);
  });
});
