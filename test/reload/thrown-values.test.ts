/**
 * Any thrown value is an error like any other, during a reload too: the old
 * version's stop, the new version's import, validateConfig, init and
 * applyConfig, each throwing every kind of value in ../hostile.ts. Checked by
 * behaviour: the state, the reload status, which code answers the route (never
 * a 503 from a hold that is never released), what was released, and that the
 * runtime recovers. The logger serialises every line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE_MODULE, HOSTILE_THROWN } from '../hostile.js';
import { makeApp, matrix, runScenario, type App } from './harness.js';

type Where = 'import' | 'validate' | 'init' | 'apply' | 'stop';

/** Version `v` of role `a`, throwing `thrown(process.__rkKind)` in `where`. */
function roleFile(v: number, where?: Where): string {
  const t = (w: Where) => (w === where ? 'throw thrown(process.__rkKind);' : '');
  return `
import { thrown } from '../hostile.js';
export default {
  name: 'a',
  validateConfig() { ${t('validate')} },
  init(ctx) {
    process.__rkEvents.push('init:v${v}');
    ctx.route('GET', '/a', () => new Response('a v${v}'));
    ctx.onDispose(() => process.__rkEvents.push('dispose:v${v}'));
    ${t('init')}
  },
  applyConfig() { ${t('apply')} },
  stop() { process.__rkEvents.push('stop:v${v}'); ${t('stop')} },
};
${t('import')}
`;
}

/**
 * For every kind of value: start v1, reload to v2 (one of them throws), observe, then recover with v3 and an apply.
 * previousCodeServing is left out after a successful reload (what it says then is not this test's concern).
 */
const SCENARIO = (where: Where) => `
import { Writable } from 'node:stream';
import { KINDS } from './hostile.js';
const serialising = pino({ level: 'debug' }, new Writable({ write: (_c, _e, cb) => cb() }));
const out = {};
for (const kind of KINDS) {
  process.__rkKind = kind;
  write('roles/a.js', ${JSON.stringify(roleFile(1, where === 'stop' ? 'stop' : undefined))});
  const rt = await rolekit.createRuntime({ roles: ['./roles/a.js'], reloadAllowed: true, loader, logger: serialising, requestHoldTimeout: 300 });
  const get = async () => { const r = await rt.fetch(new Request('http://local/a')); return r.status + ' ' + (await r.text()); };
  await rt.applyConfig({ roles: ['a'] });
  events.length = 0;
  write('roles/a.js', ${JSON.stringify(roleFile(2, where === 'stop' ? undefined : where))});
  const err = await rt.reload().then(() => undefined, (e) => e);
  const { result, previousCodeServing } = rt.status().reload ?? {};
  const reloaded = { state: rt.state, error: err?.name, result, previousCodeServing: result === 'ok' ? undefined : previousCodeServing, served: await get(), events: [...events] };
  write('roles/a.js', ${JSON.stringify(roleFile(3))});
  await rt.reload();
  await rt.applyConfig({ roles: ['a'] });
  out[kind] = { reloaded, recovered: { state: rt.state, served: await get() } };
  await rt.stop();
}
done(out);
`;

const KINDS = HOSTILE_THROWN.map(([kind]) => kind);
const RECOVERED = { state: 'RolesConfigured', served: '200 a v3' };

describe.each(matrix())('a reload meeting any thrown value ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  async function run(where: Where): Promise<Record<string, { reloaded: Record<string, unknown>; recovered: unknown }>> {
    app = makeApp({ 'hostile.js': HOSTILE_MODULE, 'roles/a.js': roleFile(1) });
    const { result } = await runScenario(app, { bin, loader, timeoutMs: 120_000 }, SCENARIO(where));
    expect(Object.keys(result)).toEqual(KINDS);
    return result;
  }

  it("from the old version's stop: the new code starts, the old one is released, the route answers", async () => {
    for (const [kind, r] of Object.entries(await run('stop'))) {
      expect(r.reloaded, kind).toEqual({
        state: 'RolesConfigured', error: undefined, result: 'ok', previousCodeServing: undefined, served: '200 a v2',
        events: ['stop:v1', 'dispose:v1', 'init:v2'],
      });
      expect(r.recovered, kind).toEqual(RECOVERED);
    }
  });

  it("from the new version's init: rolled back, the previous code serves", async () => {
    for (const [kind, r] of Object.entries(await run('init'))) {
      expect(r.reloaded, kind).toEqual({
        state: 'ReloadError', error: 'HotReloadError', result: 'rolled-back', previousCodeServing: true, served: '200 a v1',
        events: ['stop:v1', 'dispose:v1', 'init:v2', 'dispose:v2', 'init:v1'],
      });
      expect(r.recovered, kind).toEqual(RECOVERED);
    }
  });

  it("from the new version's applyConfig: rolled back, the previous code serves", async () => {
    for (const [kind, r] of Object.entries(await run('apply'))) {
      expect(r.reloaded, kind).toEqual({
        state: 'ReloadError', error: 'HotReloadError', result: 'rolled-back', previousCodeServing: true, served: '200 a v1',
        events: ['stop:v1', 'dispose:v1', 'init:v2', 'stop:v2', 'dispose:v2', 'init:v1'],
      });
      expect(r.recovered, kind).toEqual(RECOVERED);
    }
  });

  it.each(['import', 'validate'] as const)("from the new version's %s: the old code keeps running, untouched", async (where) => {
    for (const [kind, r] of Object.entries(await run(where))) {
      expect(r.reloaded, kind).toEqual({
        state: 'ReloadError', error: 'HotReloadError', result: 'failed', previousCodeServing: true, served: '200 a v1', events: [],
      });
      expect(r.recovered, kind).toEqual(RECOVERED);
    }
  });
});
