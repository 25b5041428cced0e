import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  ApplyConfigError,
  RoleUnavailableError,
  StopRoleError,
  createRuntime,
  defineRole,
  type RoleContext,
  type Runtime,
} from '../../src/index.js';
import { recorder, silent, sleep } from '../helpers.js';

/** The role's ctx.setTimeout: long enough to be cleared by the stop before it fires. */
const TIMEOUT_MS = 500;

/** A role that acquires one of everything through its context, and whose stop throws. */
function leakyRole() {
  const counts = { ticks: 0, timeouts: 0, emitted: 0, dispatched: 0 };
  const order: string[] = [];
  const emitter = new EventEmitter();
  const target = new EventTarget();
  let saved: RoleContext | undefined;
  let initAt = 0;
  const role = defineRole({
    name: 'web',
    init(ctx) {
      saved = ctx;
      initAt = Date.now();
      ctx.setInterval(() => counts.ticks++, 2);
      ctx.setTimeout(() => counts.timeouts++, TIMEOUT_MS);
      ctx.listen(emitter, 'ev', () => counts.emitted++);
      ctx.listen(target, 'ev', () => counts.dispatched++);
      ctx.onDispose(() => order.push('dispose:first'));
      ctx.onDispose(() => order.push('dispose:second'));
      ctx.route('GET', '/web/:id', (_req, { params }) => Response.json({ id: params.id }));
    },
    stop() {
      order.push('stop');
      throw new Error('stop broke');
    },
  });
  return { role, counts, order, emitter, target, ctx: () => saved!, initAt: () => initAt };
}

const get = (rt: Runtime, path: string) => rt.fetch(new Request(`http://localhost${path}`));

async function expectEverythingLive(rt: Runtime, r: ReturnType<typeof leakyRole>): Promise<void> {
  const res = await get(rt, '/web/7');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ id: '7' });
  const ticks = r.counts.ticks;
  await sleep(20);
  expect(r.counts.ticks).toBeGreaterThan(ticks);
  r.emitter.emit('ev');
  r.target.dispatchEvent(new Event('ev'));
  expect([r.counts.emitted, r.counts.dispatched]).toEqual([1, 1]);
  expect(r.ctx().signal.aborted).toBe(false);
}

async function expectEverythingReleased(rt: Runtime, r: ReturnType<typeof leakyRole>): Promise<void> {
  const stoppedAfter = Date.now() - r.initAt();
  expect(stoppedAfter, 'the role must stop before its timeout is due').toBeLessThan(TIMEOUT_MS);
  expect(r.ctx().signal.aborted).toBe(true);
  // Its own stop first, then the onDispose handlers, newest first.
  expect(r.order).toEqual(['stop', 'dispose:second', 'dispose:first']);
  const ticks = r.counts.ticks;
  await sleep(20);
  expect(r.counts.ticks).toBe(ticks);
  // Past the moment the timeout was due: it was cleared.
  await sleep(Math.max(0, r.initAt() + TIMEOUT_MS + 30 - Date.now()));
  expect(r.counts.ticks).toBe(ticks);
  expect(r.counts.timeouts).toBe(0);
  expect(r.emitter.listenerCount('ev')).toBe(0);
  r.emitter.emit('ev');
  r.target.dispatchEvent(new Event('ev'));
  expect([r.counts.emitted, r.counts.dispatched]).toEqual([1, 1]);
  expect((await get(rt, '/web/7')).status).toBe(404);
  expect(() => rt.service('web')).toThrow(RoleUnavailableError);
}

describe('a role whose stop throws', () => {
  it('loses its intervals, timeouts, listeners, routes and signal, runs its onDispose handlers, and fails the apply that disabled it', async () => {
    const r = leakyRole();
    const { role } = recorder();
    const rt = await createRuntime({ roles: [r.role, role('keep')], logger: silent });
    await rt.applyConfig({ roles: ['web', 'keep'] });
    await expectEverythingLive(rt, r);

    const err = await rt.applyConfig({ roles: ['keep'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyConfigError);
    expect(rt.state).toBe('OperationError');
    expect(rt.error).toBe(err);
    const failures = (err as ApplyConfigError).failures;
    expect(failures.map((f) => [f.role, f.phase])).toEqual([['web', 'stop']]);
    const stopError = failures[0].error as StopRoleError;
    expect(stopError).toBeInstanceOf(StopRoleError);
    expect(stopError.name).toBe('StopRoleError');
    expect(stopError.message).toBe('Role "web" stop failed: stop broke');
    expect((stopError.cause as Error).message).toBe('stop broke');
    expect((err as Error).message).toContain('Role "web" stop failed: stop broke');

    await expectEverythingReleased(rt, r);
    expect(rt.status().roles.map((x) => x.name)).toEqual(['keep']);

    // It counted as stopped: the next apply is clean.
    await rt.applyConfig({ roles: ['keep'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(r.order).toEqual(['stop', 'dispose:second', 'dispose:first']);
    await rt.stop();
  });

  it('loses everything on rt.stop() too, which ends in Stopped and keeps the StopRoleError as rt.error', async () => {
    const r = leakyRole();
    const rt = await createRuntime({ roles: [r.role], logger: silent });
    await rt.applyConfig({ roles: ['web'] });
    await expectEverythingLive(rt, r);
    await rt.stop();
    expect(rt.state).toBe('Stopped');
    expect(rt.error).toBeInstanceOf(StopRoleError);
    const failures = (rt.error as StopRoleError).failures;
    expect(failures.map((f) => [f.role, f.phase, (f.error as Error).name])).toEqual([['web', 'stop', 'StopRoleError']]);
    expect(rt.status().error?.message).toContain('Role "web" stop failed: stop broke');
    await expectEverythingReleased(rt, r);
  });

  it('a resource acquired after the role stopped (a late callback) is released at once', async () => {
    const r = leakyRole();
    const rt = await createRuntime({ roles: [r.role], logger: silent });
    await rt.applyConfig({ roles: ['web'] });
    await rt.stop();
    const ctx = r.ctx();

    let late = 0;
    ctx.setInterval(() => late++, 2);
    ctx.setTimeout(() => late++, 1);
    ctx.listen(r.emitter, 'ev', () => late++);
    ctx.route('GET', '/late', () => new Response('late'));
    let disposed = false;
    ctx.onDispose(() => void (disposed = true));
    await sleep(30);
    r.emitter.emit('ev');
    expect(late).toBe(0);
    expect(r.emitter.listenerCount('ev')).toBe(0);
    expect((await get(rt, '/late')).status).toBe(404);
    expect(disposed).toBe(true);
  });
});

describe('a role whose stop forgets to clean up', () => {
  it('still loses everything it acquired through its context', async () => {
    let ticks = 0;
    const emitter = new EventEmitter();
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'forgetful',
          init(ctx) {
            ctx.setInterval(() => ticks++, 2);
            ctx.listen(emitter, 'x', () => {});
            ctx.route('POST', '/f', () => new Response('ok'));
          },
          stop() {},
        }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['forgetful'] });
    expect((await rt.fetch(new Request('http://localhost/f', { method: 'POST' }))).status).toBe(200);
    await rt.applyConfig({ roles: [] });
    expect(rt.state).toBe('RolesConfigured');
    const t = ticks;
    await sleep(20);
    expect(ticks).toBe(t);
    expect(emitter.listenerCount('x')).toBe(0);
    expect((await rt.fetch(new Request('http://localhost/f', { method: 'POST' }))).status).toBe(404);
    await rt.stop();
  });
});

describe('onDispose handlers', () => {
  it('one that throws does not keep the others, or the older resources, from being released', async () => {
    let ticks = 0;
    const ran: string[] = [];
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'a',
          init(ctx) {
            ctx.setInterval(() => ticks++, 2);
            ctx.onDispose(() => void ran.push('older'));
            ctx.onDispose(() => {
              throw new Error('dispose broke');
            });
          },
        }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['a'] });
    await rt.applyConfig({ roles: [] });
    expect(rt.state).toBe('RolesConfigured');
    expect(ran).toEqual(['older']);
    const t = ticks;
    await sleep(20);
    expect(ticks).toBe(t);
    await rt.stop();
  });

  it('one that never settles is given up on after the stop time limit: the role still stops and releases the rest', async () => {
    let ticks = 0;
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'a',
          init(ctx) {
            ctx.setInterval(() => ticks++, 2);
            ctx.onDispose(() => new Promise(() => {}));
          },
        }),
      ],
      logger: silent,
      timeouts: { stop: 50 },
    });
    await rt.applyConfig({ roles: ['a'] });
    const stopped = await Promise.race([rt.stop().then(() => true), sleep(2_000).then(() => false)]);
    expect(stopped).toBe(true);
    expect(rt.state).toBe('Stopped');
    const t = ticks;
    await sleep(20);
    expect(ticks).toBe(t);
  });
});

describe('ctx.signal', () => {
  it('is aborted when the role starts stopping, so a stop that waits for work watching the signal returns', async () => {
    const seen: boolean[] = [];
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'worker',
          init(ctx) {
            const loop = (async () => {
              while (!ctx.signal.aborted) await sleep(2);
            })();
            return { loop };
          },
          async stop(ctx) {
            seen.push(ctx.signal.aborted);
            await rt.service<{ loop: Promise<void> }>('worker').loop;
          },
        }),
      ],
      logger: silent,
      timeouts: { stop: 1_000 },
    });
    await rt.applyConfig({ roles: ['worker'] });
    const started = Date.now();
    await rt.applyConfig({ roles: [] });
    expect(rt.state).toBe('RolesConfigured');
    expect(seen).toEqual([true]);
    expect(Date.now() - started).toBeLessThan(500);
    await rt.stop();
  });
});
