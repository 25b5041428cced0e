import { createInspector } from '@statelyai/inspect';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { toInspectEvent, type InspectEvent } from '../../src/admin/index.js';
import { createRuntime, type RolekitEvent, type Runtime } from '../../src/index.js';
import { makeApp } from '../reload/harness.js';
import { silent, sleep } from '../helpers.js';
import { SseClient, call, closeAll, listen, type SseEvent } from './helpers.js';

const app = makeApp({
  'roles/worker.mjs': "export default { name: 'worker', init() { return {}; }, applyConfig() {}, stop() {} };\n",
});
afterAll(() => app.cleanup());
const runtimes: Runtime[] = [];
afterEach(async () => {
  await closeAll();
  for (const rt of runtimes.splice(0)) await rt.stop();
});

async function runtime(extra: Parameters<typeof createRuntime>[0] extends infer O ? Partial<O> : never = {}): Promise<Runtime> {
  const rt = await createRuntime({ roles: ['./roles/worker.mjs'], baseDir: app.dir, reloadAllowed: true, logger: silent, ...extra });
  runtimes.push(rt);
  await rt.applyConfig({ roles: ['worker'] });
  return rt;
}

const core = (events: SseEvent[]) => events.filter((e) => e.data.type !== 'inspect' && e.data.type !== 'gap');
const inspects = (events: SseEvent[]) => events.filter((e) => e.data.type === 'inspect');

/** Ids as [seq, n] pairs, for order checks. */
const key = (id: string) => id.split('.').map(Number) as [number, number?];
const before = (a: string, b: string) => {
  const [x, xs = 0] = key(a);
  const [y, ys = 0] = key(b);
  return x < y || (x === y && xs < ys);
};

describe('GET /events', () => {
  it('survives 100 reloads with no event lost or duplicated, across a reconnect with Last-Event-ID', async () => {
    const rt = await runtime();
    const server = await listen(rt);
    const expected: RolekitEvent[] = [];
    rt.on('*', (e) => expected.push(e));
    const inspected: InspectEvent[] = [];
    const sub = rt.actor.system.inspect((ev) => {
      const e = toInspectEvent(ev);
      if (e) inspected.push(e);
    });

    const first = new SseClient(`${server.url}/events`);
    await first.opened;
    for (let i = 0; i < 50; i++) await rt.reload();
    await first.waitFor(core(first.events).length + 1).catch(() => {});
    // Let the last writes of the first half arrive, then drop the connection.
    while (core(first.events).length < expected.length) await sleep(5);
    first.close();
    const lastSeen = first.lastEventId!;
    // Missed while away.
    for (let i = 0; i < 5; i++) await rt.reload();

    const second = new SseClient(`${server.url}/events`, { 'last-event-id': lastSeen });
    await second.opened;
    for (let i = 0; i < 45; i++) await rt.reload();
    while (core(second.events).at(-1)?.data.seq !== expected.at(-1)!.seq) await sleep(5);
    second.close();
    sub.unsubscribe();

    const received = [...first.events, ...second.events];
    expect(received.filter((e) => e.data.type === 'gap')).toEqual([]);
    // Runtime events: exactly those of rt.on('*'), in order, ids their seq.
    expect(core(received).map((e) => e.data)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(core(received).every((e) => e.id === String(e.data.seq))).toBe(true);
    expect(expected.filter((e) => e.type === 'reload')).toHaveLength(100);
    // Inspect events: each once, in order, between the runtime events around them.
    expect(inspects(received).map((e) => ({ ...e.data, time: 0 }))).toEqual(inspected.map((e) => ({ ...e, time: 0 })));
    const ids = received.map((e) => e.id!);
    for (let i = 1; i < ids.length; i++) expect(before(ids[i - 1]!, ids[i]!), `${ids[i - 1]} then ${ids[i]}`).toBe(true);
    expect(inspects(received).length).toBeGreaterThan(100);
    expect(inspects(received).map((e) => e.data.kind)).toEqual(expect.arrayContaining(['actor', 'event', 'snapshot']));
    expect(inspects(received).some((e) => e.data.kind === 'snapshot' && e.data.state === 'ReloadingRoles')).toBe(true);
  });

  it('tells a client whose Last-Event-ID is older than the buffer that it missed events, then sends what the buffer holds', async () => {
    const rt = await runtime();
    const server = await listen(rt, { eventBuffer: 5 });
    const first = new SseClient(`${server.url}/events?inspect=false`);
    await first.opened;
    await rt.reload();
    while (!first.events.some((e) => e.data.type === 'reload')) await sleep(5);
    first.close();
    for (let i = 0; i < 3; i++) await rt.reload();

    const again = new SseClient(`${server.url}/events`, { 'last-event-id': first.lastEventId! });
    await again.opened;
    await again.waitFor(6);
    again.close();
    expect(again.events[0]).toEqual({ data: { type: 'gap', lastEventId: first.lastEventId, oldestId: again.events[1]!.id } });
    expect(again.events.slice(1).map((e) => e.id)).toHaveLength(5);

    // An id this stream never gave (another process's) is a gap too.
    const stranger = new SseClient(`${server.url}/events?lastEventId=999999`);
    await stranger.waitFor(1);
    stranger.close();
    expect(stranger.events[0]!.data).toMatchObject({ type: 'gap', lastEventId: '999999' });
  });

  it("sends a new client only what comes after it connected, or after the status it read (GET /status's lastEventId)", async () => {
    const rt = await runtime();
    const server = await listen(rt);
    await rt.reload();
    const { body: status } = await call(server, 'GET', '/status');
    await rt.reload();
    const resumed = new SseClient(`${server.url}/events?inspect=0&lastEventId=${status.lastEventId}`);
    const fresh = new SseClient(`${server.url}/events?inspect=0`);
    await Promise.all([resumed.opened, fresh.opened]);
    expect(fresh.events).toEqual([]);
    expect(resumed.events.filter((e) => e.data.type === 'reload')).toHaveLength(1);
    expect(resumed.events.every((e) => e.data.type !== 'inspect' && e.data.type !== 'gap')).toBe(true);
    await rt.applyConfig({ roles: ['worker'] });
    await fresh.waitFor(1);
    expect(fresh.events.some((e) => e.data.type === 'apply')).toBe(true);
    resumed.close();
    fresh.close();
  });

  it('sends only the types a client lists in ?types=, and refuses an unknown type', async () => {
    const rt = await runtime();
    const server = await listen(rt);
    const some = new SseClient(`${server.url}/events?types=reload,state`);
    await some.opened;
    await rt.reload();
    await rt.applyConfig({ roles: ['worker'] });
    while (!some.events.some((e) => e.data.state === 'RolesConfigured' && e.data.prev === 'ConfiguringRoles' && e.data.seq > 0 && some.events.filter((x) => x.data.type === 'state').length >= 4)) await sleep(5);
    some.close();
    expect(new Set(some.events.map((e) => e.data.type))).toEqual(new Set(['reload', 'state']));
    const bad = await call(server, 'GET', '/events?types=reload,bogus');
    expect(bad).toMatchObject({ status: 400, body: { error: { name: 'BadRequest', message: expect.stringContaining('bogus') } } });
  });

  it('costs nothing while idle: no bytes sent, no timer but one unref heartbeat for all clients', async () => {
    const rt = await runtime();
    const server = await listen(rt);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const clients = Array.from({ length: 10 }, () => new SseClient(`${server.url}/events`));
    await Promise.all(clients.map((c) => c.opened));
    expect(timers() - before).toBeLessThanOrEqual(1);
    const comments = clients.map((c) => c.comments);
    await sleep(300);
    expect(clients.map((c) => c.comments)).toEqual(comments);
    expect(clients.flatMap((c) => c.events)).toEqual([]);
    for (const c of clients) c.close();
  });
});

describe('createRuntime({ inspect }) with @statelyai/inspect', () => {
  it("hands the lifecycle actor's inspection events to Stately's inspector, next to the admin's own stream", async () => {
    const received: { type: string; snapshot?: { value?: unknown }; event?: { type?: string } }[] = [];
    const inspector = createInspector({ start: () => {}, stop: () => {}, send: (event) => void received.push(event as never) });
    inspector.start();
    const rt = await runtime({ inspect: inspector.inspect });
    const server = await listen(rt);
    const sse = new SseClient(`${server.url}/events`);
    await sse.opened;
    await rt.reload();
    while (!sse.events.some((e) => e.data.type === 'reload')) await sleep(5);
    sse.close();
    expect(received.some((e) => e.type === '@xstate.actor')).toBe(true);
    const states = received.filter((e) => e.type === '@xstate.snapshot').map((e) => e.snapshot?.value);
    expect(states).toEqual(expect.arrayContaining(['ConfiguringRoles', 'RolesConfigured', 'ReloadingRoles']));
    expect(received.some((e) => e.type === '@xstate.event' && e.event?.type === 'RELOAD')).toBe(true);
    expect(inspects(sse.events).some((e) => e.data.kind === 'event' && e.data.event?.type === 'RELOAD')).toBe(true);
  });
});
