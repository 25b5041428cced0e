/**
 * The inspector page in a real browser (Debian's chromium through
 * playwright-core), served by a running `rolekit start` (its admin listener,
 * with a token: the page is opened through `?token=`, which sets the cookie)
 * with role files on disk: the state lit in the chart, a broken role file
 * reloaded and retried from the page's buttons, roles per host, the reload's
 * callbacks, and no request at all while the page sits idle.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../reload/harness.js';
import { cleanUp, startRolekit, type RolekitProcess } from '../../cli/rolekit-process.js';
import { launch, runBrowserTests, type Browser } from './browser.js';
import { stateChart } from '../../../src/admin/inspector/index.js';

const TOKEN = 'inspector-test-token';

const WAIT = 'const wait = (ms) => new Promise((r) => setTimeout(r, ms));\n';
const api = (version: string) =>
  `${WAIT}export default {
  name: 'api', dependencies: ['cache'],
  async init(ctx) { await wait(14); ctx.setStatus('ok', 'serving ${version}'); },
  async applyConfig() { await wait(5); },
  async stop() { await wait(6); },
};
`;
// Line 3 breaks: `(1 + ;` is no expression.
const brokenApi = `${WAIT}export default { name: 'api', dependencies: ['cache'],
  async init() { const answer = (1 + ; },
};
`;
const files: Record<string, string> = {
  'storage.mjs': `${WAIT}export default {
  name: 'storage',
  async init() { await wait(20); },
  async applyConfig() { await wait(7); },
  async stop() { await wait(4); },
};
`,
  'cache.mjs': `${WAIT}export default {
  name: 'cache', dependencies: ['storage'],
  validateConfig() {},
  async init(ctx) { await wait(9); ctx.setStatus('info', 'warm: 1204 keys'); },
  async applyConfig() { await wait(4); },
  async stop() { await wait(3); },
};
`,
  'api.mjs': api('v1'),
  'auth.mjs': `${WAIT}export default {
  name: 'auth', scope: 'host',
  async init(ctx) { await wait(8); if (ctx.host === 'shop.example.com') ctx.setStatus('warn', 'LDAP answers slowly (840 ms)'); },
  async applyConfig() { await wait(3); },
  async stop() { await wait(2); },
};
`,
  'metrics.mjs': `export default { name: 'metrics', permanent: true, init: (ctx) => ctx.setStatus('ok', 'exporting 42 series') };
`,
};
const document = (ttl: number) => ({
  roles: ['api'],
  config: { cache: { ttl } },
  hosts: { 'example.com': { roles: ['auth'] }, 'shop.example.com': { roles: ['auth'] } },
});

describe.runIf(runBrowserTests)('the inspector page in chromium, served by rolekit start', () => {
  let dir: string;
  let rk: RolekitProcess;
  let admin: string;
  let browser: Browser;

  /** The admin API as a script would call it, with the bearer token. */
  const post = (path: string, body: unknown = {}) =>
    fetch(`${admin}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(ROOT, '.tmp', 'inspector-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const file = join(dir, 'rolekit.yaml');
    const modules = ['metrics.mjs', 'storage.mjs', 'cache.mjs', 'api.mjs', 'auth.mjs'].map((f) => `./${f}`);
    // JSON is YAML: the document's keys written as JSON, one per line.
    const lines = [`modules: ${JSON.stringify(modules)}`, 'reloadAllowed: true', 'loader: managed', `admin: { host: 127.0.0.1, port: 0, token: ${TOKEN} }`];
    for (const [key, value] of Object.entries(document(30))) lines.push(`${key}: ${JSON.stringify(value)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    rk = startRolekit(file);
    admin = (await rk.waitFor((l) => typeof l.admin === 'string')).admin as string;
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await cleanUp(rk, dir);
  });

  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => void errors.push(String(err)));
    // The page reports what its guards caught as console errors (a refused reload's 409 is the browser's own line).
    page.on('console', (m) => void (m.type() === 'error' && m.text().startsWith('rolekit inspector') && errors.push(m.text())));
    // The token once, through the address: the admin sets the cookie and sends the page back to /.
    await page.goto(`${admin}/?token=${TOKEN}`);
    expect(new URL(page.url()).search).toBe('');
    await page.locator('#conn[data-conn="live"]').waitFor();
    return { page, errors };
  }

  const lit = (page: Page, state: string) => page.locator(`svg.rk-chart g.rk-node.is-current[data-state="${state}"]`);

  it('lights the state, shows a broken reload with its file and line, and comes back on Retry', async () => {
    const { page, errors } = await open();
    await lit(page, 'RolesConfigured').waitFor();
    expect(await page.locator('svg.rk-chart g.rk-node.is-current').count()).toBe(1);
    await expect.poll(() => page.locator('#state-name').textContent()).toBe('RolesConfigured');

    // Roles grouped per host, with their status.
    await page.locator('#roles li.role[data-role="api"]').waitFor();
    const groups = await page.locator('#roles section.host-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-host')));
    expect(groups).toEqual(['*', 'example.com', 'shop.example.com']);
    const shopAuth = page.locator('section[data-host="shop.example.com"] li.role[data-role="auth"]');
    expect(await shopAuth.locator('.badge.status').textContent()).toBe('warn');
    expect(await shopAuth.locator('.role-message').textContent()).toBe('LDAP answers slowly (840 ms)');
    expect(await page.locator('section[data-host="*"] li.role[data-role="cache"] .badge.status').textContent()).toBe('info');

    // Break the file on disk, press Reload: ReloadError lit, the error names the file and line.
    writeFileSync(join(dir, 'api.mjs'), brokenApi);
    await page.locator('#btn-reload').click();
    await lit(page, 'ReloadError').waitFor();
    const problem = page.locator('#problem');
    await problem.waitFor();
    const text = (await page.locator('#problem-text').textContent()) ?? '';
    expect(text).toContain('HotReloadError');
    expect(text).toMatch(new RegExp(`${join(dir, 'api.mjs').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+`));
    expect(await page.locator('#problem-text mark.place').first().textContent()).toMatch(/api\.mjs:3:\d+$/);
    expect(await page.locator('#problem-serving').textContent()).toBe('previous code is serving');
    // The failed reload is in the history, with its error.
    await page.locator('#history tr.error-row').first().waitFor();
    expect(await page.locator('#history td .badge').first().textContent()).toBe('failed');

    // Fix it, press Retry: RolesConfigured again, the banner gone.
    writeFileSync(join(dir, 'api.mjs'), api('v2'));
    await page.locator('#btn-retry').click();
    await lit(page, 'RolesConfigured').waitFor();
    await problem.waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('section[data-host="*"] li.role[data-role="api"] .role-message').textContent()).toBe('serving v2');
    await expect.poll(() => page.locator('#generation').textContent()).toBe('generation 1');

    // The timeline shows that reload: old code stopped, new code started, per role.
    await expect.poll(() => page.locator('#timeline .tl-summary').textContent()).toMatch(/^reload ok/);
    const bars = await page.locator('#timeline .tl-row[data-instance="api"] .tl-bar').evaluateAll((els) => els.map((e) => e.getAttribute('data-callback')));
    expect(bars).toEqual(['stop', 'init', 'applyConfig']);
    expect(await page.locator('#timeline .tl-row[data-instance="auth@shop.example.com"] .tl-bar').count()).toBeGreaterThan(0);
    // Bars start where the callback started: api's init starts after its stop ended.
    const [stopBox, initBox] = await page.locator('#timeline .tl-row[data-instance="api"] .tl-bar').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
    expect(initBox.left).toBeGreaterThanOrEqual(stopBox.right - 1);

    await page.locator('#log .log-row').first().waitFor();
    // docs/inspector.png is committed: rewritten only when asked, so that a test run leaves the tree clean.
    const shot = process.env.ROLEKIT_SCREENSHOT ? join(ROOT, 'docs/inspector.png') : join(ROOT, '.tmp/inspector.png');
    // The "Retry: done" note hides by itself after a few seconds; the picture is taken without it.
    await page.locator('#toast').evaluate((el) => void ((el as unknown as { hidden: boolean }).hidden = true));
    await page.screenshot({ path: shot, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('makes no request while idle: only the event stream stays open', async () => {
    const { page, errors } = await open();
    await lit(page, 'RolesConfigured').waitFor();
    await page.locator('#roles li.role').first().waitFor();
    // Let the connect-time ./status settle, then watch.
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(300);
    const requests: string[] = [];
    page.on('request', (r) => void requests.push(`${r.method()} ${r.url()}`));
    await page.waitForTimeout(2000);
    expect(requests).toEqual([]);
    // And the page still lives: an event reaches it over the open stream, without any request of its own.
    expect((await post('/reload/forbid')).status).toBe(200);
    expect((await post('/reload/allow')).status).toBe(200);
    expect((await post('/config', document(31))).status).toBe(200);
    await expect.poll(() => page.locator('#timeline .tl-summary').textContent()).toMatch(/^apply ok/);
    expect(requests.filter((r) => !r.endsWith('/status'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('never throws on odd data, and shows hostile strings as text', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => void errors.push(String(err)));
    page.on('console', (m) => void (m.type() === 'error' && m.text().startsWith('rolekit inspector') && errors.push(m.text())));
    const evil = '<img src=x onerror="window.__pwned=1">';
    await page.route('**/status', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          // The state is the stream's last word too: the answer to the last refetch agrees with it.
          state: 'ReloadError',
          generation: 'NaN',
          error: { name: '<b>x</b>', message: `boom ${evil}` },
          reload: 'nope',
          roles: [null, 5, { name: evil, host: '<i>h</i>', status: { type: '<script>', message: evil } }, { status: null }, { name: '__proto__', host: 'constructor' }],
          hosts: { '*': { [evil]: { type: 'warn' } }, __proto__: { x: 1 }, bad: 'string' },
          reloads: [{}, { result: evil, roles: 'x', time: 'never', error: 'plain string' }, null],
        }),
      }),
    );
    const events: unknown[] = [
      { type: 'callback' },
      { type: 'reload', roles: [{ nested: true }], error: { message: `${evil} at /x/y.ts:1:2` } },
      { type: 'state', state: evil, prev: null, error: { name: '<b>', message: 42 } },
      { type: 'state', state: 'ReloadError', prev: evil, error: { name: '<b>', message: `boom ${evil}` } },
      { type: 'apply', started: 'all', durationMs: 'fast' },
      { type: 'inspection.snapshot', actor: { deep: [1, 2, { x: null }] }, seq: 'x', time: {} },
      { type: 'status', role: evil, status: 'weird' },
      null,
      [1, 2, 3],
      { type: 'callback', role: 'a', callback: 'init', durationMs: -5, ok: false, error: null },
      { type: 'reload', result: 'ok' },
    ];
    const body = `retry: 600000\n\ndata: not json\n\n${events.map((e, i) => `id: ${i}\ndata: ${JSON.stringify(e)}\n\n`).join('')}`;
    await page.route('**/events', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body }));
    await page.goto(`${admin}/`);
    await lit(page, 'ReloadError').waitFor();
    await expect.poll(() => page.locator('#log .log-row').count()).toBe(events.length + 1);
    await page.locator('#roles li.role').first().waitFor();

    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img, b, i, [onerror]').count()).toBe(0);
    expect(await page.locator('#problem-text').textContent()).toContain(`boom ${evil}`);
    expect(await page.locator('#roles').textContent()).toContain(evil);
    expect(await page.locator('#log .log-row[data-type="other"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#log').textContent()).toContain('inspection.snapshot');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the chart is well-formed SVG to the browser\'s XML parser', async () => {
    const page = await browser.context.newPage();
    const result = await page.evaluate((svg) => {
      type Doc = { querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): { length: number }; documentElement: { nodeName: string } };
      const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(text: string, type: string): Doc } };
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, states: doc.querySelectorAll('[data-state]').length };
    }, stateChart().svg);
    expect(result).toEqual({ error: null, root: 'svg', states: 8 });
    await page.close();
  });
});
