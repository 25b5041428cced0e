/**
 * No request is dropped while role code is swapped, and watch mode reloads
 * edited files by itself — both through real listeners and real file edits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, matrix, runScenario, type App } from './harness.js';

const apiRole = (v: number, extraInit = '') => `
export default {
  name: 'api',
  async init(ctx) {
    ${extraInit}
    ctx.route('GET', '/hello', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return new Response('v${v}');
    });
  },
};
`;

describe.each(matrix())('serving during reloads ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  it('answers every request through a real listener across 50 reloads', async () => {
    app = makeApp({ 'roles/api.js': apiRole(0) });
    const { result } = await runScenario(app, { bin, loader, timeoutMs: 120_000 }, `
      import { serve } from '@hono/node-server';
      const rt = await rolekit.createRuntime({ roles: ['./roles/api.js'], reloadAllowed: true, loader, logger: log });
      await rt.applyConfig({ roles: ['api'] });
      const server = serve({ fetch: rt.fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise((r) => server.once('listening', r));
      const url = 'http://127.0.0.1:' + server.address().port + '/hello';
      let stop = false, ok = 0;
      const failures = [];
      const client = async () => {
        while (!stop) {
          try {
            const res = await fetch(url);
            const text = await res.text();
            if (res.status === 200 && /^v\\d+$/.test(text)) ok++;
            else failures.push(res.status + ' ' + text);
          } catch (err) { failures.push(String(err)); }
        }
      };
      const clients = Array.from({ length: 8 }, client);
      let reloads = 0;
      for (let i = 1; i <= 50; i++) {
        write('roles/api.js', ${JSON.stringify(apiRole(0))}.replace("'v0'", "'v" + i + "'"));
        await rt.reload();
        reloads++;
        await new Promise((r) => setTimeout(r, 5));
      }
      stop = true;
      await Promise.all(clients);
      const last = await (await fetch(url)).text();
      done({ reloads, ok, failures: failures.slice(0, 5), failed: failures.length, last, generation: rt.generation });
      await rt.stop();
      server.close();
    `);
    expect(result.failed).toBe(0);
    expect(result.failures).toEqual([]);
    expect(result.reloads).toBe(50);
    expect(result.generation).toBe(50);
    expect(result.last).toBe('v50');
    expect(result.ok).toBeGreaterThan(100);
  });

  it('holds a request during a slow swap and answers 503 with Retry-After past requestHoldTimeout', async () => {
    app = makeApp({ 'roles/api.js': apiRole(1) });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/api.js'], reloadAllowed: true, loader, logger: log, requestHoldTimeout: 500 });
      await rt.applyConfig({ roles: ['api'] });
      const ask = async () => { const r = await rt.fetch(new Request('http://x/hello')); return [r.status, r.headers.get('retry-after'), await r.text()]; };
      // The new init takes 1500 ms: longer than the 500 ms hold (and a fast one, below, far shorter, even on a busy machine).
      write('roles/api.js', ${JSON.stringify(apiRole(2, 'process.__rkInit = true; await new Promise((r) => setTimeout(r, 1500));'))});
      const initStarted = async () => { while (!process.__rkInit) await new Promise((r) => setTimeout(r, 2)); process.__rkInit = false; };
      const reloading = rt.reload();
      await initStarted(); // the old role has stopped, the new one is starting: its route is held
      const held = await ask();
      await reloading;
      // A fast swap: held requests are answered by the new code.
      write('roles/api.js', ${JSON.stringify(apiRole(3, 'process.__rkInit = true; await new Promise((r) => setTimeout(r, 30));'))});
      const reloading2 = rt.reload();
      await initStarted();
      const waited = await ask();
      await reloading2;
      done({ held, waited });
      await rt.stop();
    `);
    expect(result.held[0]).toBe(503);
    expect(Number(result.held[1])).toBeGreaterThanOrEqual(1);
    expect(result.waited).toEqual([200, null, 'v3']);
  });

  it('watch mode reloads an edited file by itself, and an edit during a reload becomes one more reload', async () => {
    app = makeApp({ 'roles/api.js': apiRole(1) });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/api.js'], reloadAllowed: true, loader, logger: log, watch: true });
      await rt.applyConfig({ roles: ['api'] });
      const text = async () => (await rt.fetch(new Request('http://x/hello'))).text();
      const waitFor = async (want) => {
        for (let i = 0; i < 200; i++) { if ((await text()) === want) return true; await new Promise((r) => setTimeout(r, 25)); }
        return false;
      };
      await new Promise((r) => setTimeout(r, 200)); // let the watcher settle
      write('roles/api.js', ${JSON.stringify(apiRole(2))});
      const sawV2 = await waitFor('v2');
      const gen2 = rt.generation;
      // v3 takes 300 ms to start; v4 is written while that reload runs.
      write('roles/api.js', ${JSON.stringify(apiRole(3, 'process.__rkInit = true; await new Promise((r) => setTimeout(r, 300));'))});
      while (!process.__rkInit) await new Promise((r) => setTimeout(r, 5)); // the v3 reload is running
      write('roles/api.js', ${JSON.stringify(apiRole(4))});
      const sawV4 = await waitFor('v4');
      await new Promise((r) => setTimeout(r, 300));
      done({ sawV2, gen2, sawV4, generation: rt.generation, state: rt.state });
      await rt.stop();
    `);
    expect(result.sawV2).toBe(true);
    expect(result.gen2).toBe(1);
    expect(result.sawV4).toBe(true);
    expect(result.generation).toBe(3);
    expect(result.state).toBe('RolesConfigured');
  });
});
