/**
 * Watch mode against the three ways editors save, while the service serves
 * over real HTTP: write in place (truncate, then chunks), write a temp file
 * and rename it over, delete and create. An editor process of its own does
 * the writing, pausing 3 ms between chunks the way a slow writer does (a
 * watcher that reloads on the first event shows a partial file); every save
 * must become exactly one successful reload of the final content, and no
 * response may ever show a half-written file, not even one that parses.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, matrix, runScenario, type App } from './harness.js';

/**
 * Version `v` of the role, in four chunks that each end on a statement: every
 * prefix of whole chunks parses and, but for the empty one, serves something
 * (the route is defined before the parts are).
 */
const roleChunks = (v: number) => [
  `import { separator } from './separator.js';\nexport default {\n  name: 'api',\n  init(ctx) { ctx.route('GET', '/hello', () => new Response(parts.join(separator))); },\n};\nconst parts = [];\n`,
  ...['a', 'b', 'c'].map((part) => `parts.push('v${v}${part}');\n`),
];
const served = (v: number) => ['a', 'b', 'c'].map((part) => `v${v}${part}`).join(' ');

/**
 * The editor: `node editor.mjs <style> <file> <chunks as JSON> <pause ms> <deleted ms>`.
 * Pauses are synchronous (Atomics.wait) so that they are as short as asked.
 * It prints the longest time the watched file really spent half-written
 * (between two chunks written to it; a busy machine stretches pauses).
 */
const EDITOR = `
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
const [style, file, chunksJson, pauseMs, gone] = process.argv.slice(2);
const chunks = JSON.parse(chunksJson);
const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(pauseMs));
let longest = 0;
const writeChunks = (fd, watched) => {
  let last;
  for (const chunk of chunks) {
    pause();
    writeSync(fd, chunk);
    const now = performance.now();
    if (watched && last !== undefined) longest = Math.max(longest, now - last);
    last = now;
  }
  closeSync(fd);
};
if (style === 'in-place') writeChunks(openSync(file, 'w'), true);
else if (style === 'rename') { writeChunks(openSync(file + '.tmp', 'w'), false); renameSync(file + '.tmp', file); }
// Created again at once, or a while later (gone for longer than a watcher takes to look).
else if (style === 'delete-create') { unlinkSync(file); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(gone)); writeChunks(openSync(file, 'wx'), true); }
else throw new Error('unknown style ' + style);
process.stdout.write(JSON.stringify({ longestPauseMs: Math.round(longest) }));
`;

const SAVES = 6;
/** Watch mode's quiet period (src/reload/watch.ts). */
const QUIET_MS = 10;
/** How long watch mode gives a file that does not compile (src/reload/watch.ts). */
const FAILED_MS = 100;

describe.each(matrix())('watch mode, editor saves ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  it.each(['in-place', 'rename', 'delete-create'])('%s save: exactly one reload, of the final content, never of a partial file', async (style) => {
    // Two files in the graph: chokidar's handling of a deleted file differs when it watches only one.
    app = makeApp({ 'roles/api.js': roleChunks(0).join(''), 'roles/separator.js': "export const separator = ' ';\n", 'editor.mjs': EDITOR });
    const { result } = await runScenario(app, { bin, loader, timeoutMs: 90_000 }, `
      import { spawn } from 'node:child_process';
      import { serve } from '@hono/node-server';
      const rt = await rolekit.createRuntime({ roles: ['./roles/api.js'], reloadAllowed: true, loader, logger: log, watch: true });
      await rt.applyConfig({ roles: ['api'] });
      const states = [];
      rt.subscribe(({ state }) => states.push(state));
      const server = serve({ fetch: rt.fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise((r) => server.once('listening', r));
      const url = 'http://127.0.0.1:' + server.address().port + '/hello';
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

      // The browser: polls every 2 ms and keeps every distinct answer of the save in progress.
      let seen = new Set(), current = '', polling = true;
      const poller = (async () => {
        while (polling) {
          try { const res = await fetch(url); current = res.status + ' ' + (await res.text()); seen.add(current); }
          catch (err) { seen.add(String(err)); }
          await sleep(2);
        }
      })();
      const editor = (chunks, gone) => new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['editor.mjs', ${JSON.stringify(style)}, 'roles/api.js', JSON.stringify(chunks), '3', String(gone)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error('editor exited with ' + code))));
      });

      const versions = ${JSON.stringify(Array.from({ length: SAVES }, (_, i) => ({ chunks: roleChunks(i + 1), want: `200 ${served(i + 1)}` })))};
      await sleep(300); // the watcher is armed
      while (current !== ${JSON.stringify(`200 ${served(0)}`)}) await sleep(5); // and the browser has the page
      const saves = [];
      for (const [i, { chunks, want }] of versions.entries()) {
        const before = rt.generation;
        seen = new Set([current]);
        const { longestPauseMs } = await editor(chunks, i % 2 === 0 ? 0 : 30);
        const deadline = Date.now() + 10_000;
        while (current !== want && Date.now() < deadline) await sleep(5);
        await sleep(300); // a second reload for this save would happen in here
        saves.push({ live: current === want, reloads: rt.generation - before, result: rt.status().reload?.result, answers: [...seen], longestPauseMs });
      }
      polling = false;
      await poller;
      done({ saves, states: [...new Set(states)], state: rt.state });
      await rt.stop();
      server.close();
    `);
    const report = JSON.stringify(result.saves);
    // Whatever happens, the last content of every save goes live.
    expect(result.saves.map((save: { live: boolean }) => save.live), report).toEqual(Array(SAVES).fill(true));
    // An editor that the machine stalled longer than the quiet period between two chunks made, by
    // definition, two saves (its first part may show); those are left out.
    // (Empty and missing files wait longer in watch mode: stalls there are judged.)
    const judged = result.saves.filter((save: { longestPauseMs: number }) => save.longestPauseMs < QUIET_MS);
    expect(judged.length, `machine too busy to judge: ${report}`).toBeGreaterThan(0);
    for (const save of judged) {
      const index = result.saves.indexOf(save);
      expect({ reloads: save.reloads, result: save.result }, report).toEqual({ reloads: 1, result: 'ok' });
      expect(save.answers.filter((a: string) => a !== `200 ${served(index)}` && a !== `200 ${served(index + 1)}`), report).toEqual([]);
    }
    expect(result.states).not.toContain('ReloadError');
    expect(result.state).toBe('RolesConfigured');
  });

  it('watches a file that a reload newly added to the graph', async () => {
    app = makeApp({
      'roles/api.js': `import { a } from './a.js';\nexport default { name: 'api', init(ctx) { ctx.route('GET', '/hello', () => new Response(a)); } };\n`,
      'roles/a.js': `export const a = 'a1';\n`,
      'roles/b.js': `export const b = 'b1';\n`,
    });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/api.js'], reloadAllowed: true, loader, logger: log, watch: true });
      await rt.applyConfig({ roles: ['api'] });
      const text = async () => (await rt.fetch(new Request('http://x/hello'))).text();
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      const waitFor = async (want) => {
        for (let i = 0; i < 400; i++) { if ((await text()) === want) return true; await sleep(25); }
        return false;
      };
      await sleep(300);
      // b.js was not part of the graph: an edit of it now is no reload.
      write('roles/b.js', "export const b = 'b2';\\n");
      await sleep(300);
      const before = { text: await text(), generation: rt.generation };
      write('roles/api.js', "import { a } from './a.js';\\nimport { b } from './b.js';\\nexport default { name: 'api', init(ctx) { ctx.route('GET', '/hello', () => new Response(a + b)); } };\\n");
      const sawAB = await waitFor('a1b2');
      await sleep(300); // the watcher adds b.js
      write('roles/b.js', "export const b = 'b3';\\n");
      const sawB3 = await waitFor('a1b3');
      await sleep(300);
      done({ before, sawAB, sawB3, generation: rt.generation, state: rt.state });
      await rt.stop();
    `);
    expect(result.before).toEqual({ text: 'a1', generation: 0 });
    expect(result.sawAB).toBe(true);
    expect(result.sawB3).toBe(true);
    expect(result.generation).toBe(2);
    expect(result.state).toBe('RolesConfigured');
  });

  it('a save right after the previous one went live (a formatter rewriting the file) goes live too', async () => {
    app = makeApp({ 'roles/api.js': `export default { name: 'api', init(ctx) { ctx.route('GET', '/hello', () => new Response('v0')); } };\n` });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/api.js'], reloadAllowed: true, loader, logger: log, watch: true });
      await rt.applyConfig({ roles: ['api'] });
      const text = async () => (await rt.fetch(new Request('http://x/hello'))).text();
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      const role = (v) => "export default { name: 'api', init(ctx) { ctx.route('GET', '/hello', () => new Response('v" + v + "')); } };\\n";
      await sleep(300);
      const seen = [];
      for (let v = 1; v <= 6; v++) {
        // The next save comes the moment this one is live: within chokidar's 50 ms throttle of a file's events.
        write('roles/api.js', role(v));
        const deadline = Date.now() + 5_000;
        while ((await text()) !== 'v' + v && Date.now() < deadline) await sleep(1);
        seen.push(await text());
      }
      done({ seen, generation: rt.generation });
      await rt.stop();
    `);
    expect(result.seen).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    expect(result.generation).toBe(6);
  });
});

describe.each(matrix())('watch mode, a writer stalled mid-statement ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  // Cut inside the route's string: the first part does not compile. The loader checks each saved
  // file while the save settles (managed: compiles it; native: parses it), and a file that does
  // not compile is given FAILED_MS, not QUIET_MS.
  const halves = (v: number) => {
    const code = `export default { name: 'api', init(ctx) { ctx.route('GET', '/hello', () => new Response('v${v}-complete')); } };\n`;
    const cut = code.indexOf('-complete');
    return [code.slice(0, cut), code.slice(cut)];
  };

  it('a pause longer than the quiet period where the file does not compile yet is one reload, of the whole file', async () => {
    app = makeApp({ 'roles/api.js': halves(0).join(''), 'editor.mjs': EDITOR });
    const { result } = await runScenario(app, { bin, loader, timeoutMs: 60_000 }, `
      import { spawn } from 'node:child_process';
      const rt = await rolekit.createRuntime({ roles: ['./roles/api.js'], reloadAllowed: true, loader, logger: log, watch: true });
      await rt.applyConfig({ roles: ['api'] });
      const states = [];
      rt.subscribe(({ state }) => states.push(state));
      const text = async () => (await rt.fetch(new Request('http://x/hello'))).text();
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      const editor = (chunks) => new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['editor.mjs', 'in-place', 'roles/api.js', JSON.stringify(chunks), '40', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error('editor exited with ' + code))));
      });
      await sleep(300);
      const saves = [];
      for (const v of [1, 2, 3]) {
        const before = rt.generation;
        const { longestPauseMs } = await editor(${JSON.stringify([1, 2, 3].map((v) => halves(v)))}[v - 1]);
        const deadline = Date.now() + 5_000;
        while ((await text()) !== 'v' + v + '-complete' && Date.now() < deadline) await sleep(5);
        await sleep(300);
        saves.push({ live: (await text()) === 'v' + v + '-complete', reloads: rt.generation - before, result: rt.status().reload?.result, longestPauseMs });
      }
      done({ saves, states: [...new Set(states)] });
      await rt.stop();
    `);
    const report = JSON.stringify(result);
    expect(result.saves.map((save: { live: boolean }) => save.live), report).toEqual([true, true, true]);
    // The writer really paused longer than the quiet period; one the machine stalled past FAILED_MS is not judged.
    const judged = result.saves.filter((save: { longestPauseMs: number }) => save.longestPauseMs > QUIET_MS && save.longestPauseMs < FAILED_MS);
    expect(judged.length, `machine too busy to judge: ${report}`).toBeGreaterThan(0);
    for (const save of judged) expect({ reloads: save.reloads, result: save.result }, report).toEqual({ reloads: 1, result: 'ok' });
    if (judged.length === result.saves.length) expect(result.states, report).not.toContain('ReloadError');
  });
});
