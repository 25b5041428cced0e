/**
 * In watch mode, an error state retries on any change. After a failed
 * reload the previous code serves, and the hashes recorded for it are those
 * of the good files: restoring a broken file exactly leaves nothing that
 * hashes as changed, yet the runtime must leave ReloadError. Real files are
 * broken and fixed on disk while the runtime runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, matrix, runScenario, type App } from './harness.js';

const apiRole = (text: string, init = '') =>
  `import { helper } from './helper.js';\nexport default { name: 'api', init(ctx) { ${init} ctx.route('GET', '/hello', () => new Response('${text}' + helper)); } };\n`;
const HELPER = "export const helper = '!';\n";

/** Scenario prelude: a watched runtime serving v1, and helpers to wait on it. */
const START = `
  const rt = await rolekit.createRuntime({ roles: ['./roles/api.js'], reloadAllowed: true, loader, logger: log, watch: true });
  await rt.applyConfig({ roles: ['api'] });
  const text = async () => (await rt.fetch(new Request('http://x/hello'))).text();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const snapshot = async () => ({ state: rt.state, result: rt.status().reload?.result, text: await text(), generation: rt.generation });
  await sleep(300); // the watcher is armed
`;

describe.each(matrix())('watch mode retries after a failed reload ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  it('a broken file restored exactly to the serving code leaves ReloadError and serves that code', async () => {
    const good = apiRole('v1');
    app = makeApp({ 'roles/api.js': good, 'roles/helper.js': HELPER });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START}
      write('roles/api.js', ${JSON.stringify(good)}.replace('export default', 'export default {'));
      await rt.waitForState('ReloadError', 10_000);
      const broken = await snapshot();
      write('roles/api.js', ${JSON.stringify(good)});
      await rt.waitForState('RolesConfigured', 10_000);
      const restored = await snapshot();
      done({ broken, restored });
      await rt.stop();
    `);
    expect(result.broken).toEqual({ state: 'ReloadError', result: 'failed', text: 'v1!', generation: 0 });
    expect(result.restored).toEqual({ state: 'RolesConfigured', result: 'ok', text: 'v1!', generation: 1 });
  });

  it('after a rolled-back reload, restoring the file exactly retries, and so does a change to another file of the role', async () => {
    const good = apiRole('v1');
    app = makeApp({ 'roles/api.js': good, 'roles/helper.js': HELPER });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START}
      write('roles/api.js', ${JSON.stringify(apiRole('v2', "throw new Error('init fails');"))});
      await rt.waitForState('ReloadError', 10_000);
      const rolledBack = await snapshot();
      write('roles/api.js', ${JSON.stringify(good)});
      await rt.waitForState('RolesConfigured', 10_000);
      const restored = await snapshot();
      // Break it again, then touch only the helper (content unchanged): still a retry, failing again.
      write('roles/api.js', ${JSON.stringify(apiRole('v3', "throw new Error('init fails');"))});
      await rt.waitForState('ReloadError', 10_000);
      const brokenAgain = await snapshot();
      const before = rt.status().reload.at;
      write('roles/helper.js', ${JSON.stringify(HELPER)});
      for (let i = 0; i < 400 && rt.status().reload.at === before; i++) await sleep(25);
      const retried = { ...(await snapshot()), again: rt.status().reload.at !== before };
      done({ rolledBack, restored, brokenAgain, retried });
      await rt.stop();
    `);
    expect(result.rolledBack).toEqual({ state: 'ReloadError', result: 'rolled-back', text: 'v1!', generation: 0 });
    expect(result.restored).toEqual({ state: 'RolesConfigured', result: 'ok', text: 'v1!', generation: 1 });
    expect(result.brokenAgain).toEqual({ state: 'ReloadError', result: 'rolled-back', text: 'v1!', generation: 1 });
    expect(result.retried).toEqual({ state: 'ReloadError', result: 'rolled-back', text: 'v1!', generation: 1, again: true });
  });

  it('a new import from a folder not watched yet, that fails to parse, is watched: fixing it retries', async () => {
    app = makeApp({ 'roles/api.js': apiRole('v1'), 'roles/helper.js': HELPER, 'lib/extra.js': 'export const extra = ;\n' });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START}
      write('roles/api.js', "import { extra } from '../lib/extra.js';\\n" + ${JSON.stringify(apiRole('v2'))}.replace("'v2' + helper", "'v2' + helper + extra"));
      await rt.waitForState('ReloadError', 10_000);
      const broken = await snapshot();
      await sleep(300); // the watcher adds extra.js
      write('lib/extra.js', "export const extra = '?';\\n");
      await rt.waitForState('RolesConfigured', 10_000);
      done({ broken, fixed: await snapshot() });
      await rt.stop();
    `);
    expect(result.broken).toEqual({ state: 'ReloadError', result: 'failed', text: 'v1!', generation: 0 });
    expect(result.fixed).toEqual({ state: 'RolesConfigured', result: 'ok', text: 'v2!?', generation: 1 });
  });

  it('an import of a file that does not exist yet: creating the file retries', async () => {
    app = makeApp({ 'roles/api.js': apiRole('v1'), 'roles/helper.js': HELPER });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START}
      write('roles/api.js', "import { later } from './later.js';\\n" + ${JSON.stringify(apiRole('v2'))}.replace("'v2' + helper", "'v2' + helper + later"));
      await rt.waitForState('ReloadError', 10_000);
      const broken = await snapshot();
      write('roles/later.js', "export const later = '?';\\n");
      await rt.waitForState('RolesConfigured', 10_000);
      done({ broken, created: await snapshot() });
      await rt.stop();
    `);
    expect(result.broken).toEqual({ state: 'ReloadError', result: 'failed', text: 'v1!', generation: 0 });
    expect(result.created).toEqual({ state: 'RolesConfigured', result: 'ok', text: 'v2!?', generation: 1 });
  });
});
