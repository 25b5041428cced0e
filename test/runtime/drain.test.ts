/**
 * Stopping a role drains it: requests already inside its handlers finish with
 * its context alive (here: a handler awaiting `ctx.setTimeout`), new ones do
 * not reach it, and only then does its stop run. A request that outlives
 * `timeouts.drain` is answered 503 and the stop goes on. Requests go through
 * a real listener on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, defineRole, type Runtime, type RuntimeOptions } from '../../src/index.js';
import { silent, sleep } from '../helpers.js';
import { ROOT } from '../reload/harness.js';

/** A role whose /slow handler answers after `ms`, through a timer taken from its context. */
function slowRole(ms: number, calls: string[], extra: { dependencies?: string[] } = {}) {
  return defineRole({
    name: 'web',
    ...extra,
    init(ctx) {
      ctx.route('GET', '/slow', async () => {
        calls.push('request:start');
        await new Promise<void>((resolve) => ctx.setTimeout(resolve, ms));
        calls.push(`request:end aborted=${ctx.signal.aborted}`);
        return new Response('done');
      });
    },
    stop() {
      calls.push('stop');
    },
  });
}

const open: { rt: Runtime; server: ServerType }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const { rt, server } of open.splice(0)) {
    server.close();
    await rt.stop();
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: RuntimeOptions, doc: unknown): Promise<{ rt: Runtime; url: string }> {
  const rt = await createRuntime({ logger: silent, ...options });
  await rt.applyConfig(doc);
  const server = serve({ fetch: rt.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  open.push({ rt, server });
  return { rt, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Start a request and wait until its handler is inside; `response` settles when it is answered. */
async function inFlight(url: string, calls: string[]): Promise<{ response: Promise<Response> }> {
  const before = calls.filter((c) => c === 'request:start').length;
  const response = fetch(`${url}/slow`);
  while (calls.filter((c) => c === 'request:start').length === before) await sleep(2);
  // Wrapped: an async function returning the promise itself would wait for the answer.
  return { response };
}

describe('draining requests in flight', () => {
  it('lets a request in flight finish with 200 before a disabled role stops', async () => {
    const calls: string[] = [];
    const { rt, url } = await start({ roles: [slowRole(150, calls), defineRole({ name: 'other' })] }, { roles: ['web'] });
    const { response: pending } = await inFlight(url, calls);
    await rt.applyConfig({ roles: ['other'] });
    const res = await pending;
    expect([res.status, await res.text()]).toEqual([200, 'done']);
    // The handler ran to its end with the context alive; the stop came after.
    expect(calls).toEqual(['request:start', 'request:end aborted=false', 'stop']);
    expect((await fetch(`${url}/slow`)).status).toBe(404);
  });

  it('lets a request in flight finish with 200 on shutdown, and stop waits for it', async () => {
    const calls: string[] = [];
    const { rt, url } = await start({ roles: [slowRole(150, calls)] }, { roles: ['web'] });
    const { response: pending } = await inFlight(url, calls);
    const stopped = rt.stop();
    const res = await pending;
    expect([res.status, await res.text()]).toEqual([200, 'done']);
    await stopped;
    expect(rt.state).toBe('Stopped');
    expect(calls).toEqual(['request:start', 'request:end aborted=false', 'stop']);
  });

  it('lets a request in flight finish with 200 across a reload, and serves the next one with the new code', async () => {
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.tmp', 'drain-'));
    dirs.push(dir);
    const base = join(dir, 'base.mjs');
    writeFileSync(base, `export default { name: 'base' };\n`);
    const calls: string[] = [];
    // An object role restarts when a module role it depends on is reloaded.
    const { rt, url } = await start(
      { roles: [base, slowRole(150, calls, { dependencies: ['base'] })], reloadAllowed: true },
      { roles: ['web'] },
    );
    const { response: pending } = await inFlight(url, calls);
    await rt.reload();
    const res = await pending;
    expect([res.status, await res.text()]).toEqual([200, 'done']);
    expect(calls).toEqual(['request:start', 'request:end aborted=false', 'stop']);
    expect(rt.state).toBe('RolesConfigured');
    expect(rt.generation).toBe(1);
    expect((await fetch(`${url}/slow`)).status).toBe(200);
  });

  it('answers 503 to a request that outlives timeouts.drain, and the stop goes on', async () => {
    const calls: string[] = [];
    const { rt, url } = await start({ roles: [slowRole(5_000, calls)], timeouts: { drain: 100 } }, { roles: ['web'] });
    const { response: pending } = await inFlight(url, calls);
    const started = Date.now();
    await rt.stop();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    // The stop went on after the drain gave up (well before the handler's 5 s).
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(calls).toEqual(['request:start', 'stop']);
    expect(rt.state).toBe('Stopped');
  });

  it('sends a new request to no draining role: another role on the same path answers it', async () => {
    const calls: string[] = [];
    const fallback = defineRole({
      name: 'fallback',
      init(ctx) {
        ctx.route('GET', '/slow', () => new Response('fallback'));
      },
    });
    // web's routes come first (registered first, same specificity): hono matches in order.
    const { rt, url } = await start({ roles: [slowRole(300, calls), fallback], timeouts: { drain: 5_000 } }, { roles: ['web', 'fallback'] });
    expect(await (await fetch(`${url}/slow`)).text()).toBe('done');
    const { response: pending } = await inFlight(url, calls);
    const applying = rt.applyConfig({ roles: ['fallback'] });
    await sleep(50);
    // web is draining: the new request does not reach it.
    expect(await (await fetch(`${url}/slow`)).text()).toBe('fallback');
    expect((await pending).status).toBe(200);
    await applying;
  });
});
