/**
 * While roles are swapped, requests for the routes being replaced wait for the
 * swap (bounded), then are served by whatever runs; others are not held.
 */
import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../src/http/route-table.js';
import { RequestHold } from '../../src/http/request-hold.js';
import { createFetch } from '../../src/http/fetch-handler.js';
import { InFlightGate } from '../../src/http/in-flight.js';
import { silent, sleep } from '../helpers.js';

function setup(holdTimeoutMs: number) {
  const routes = new RouteTable();
  const hold = new RequestHold();
  const fetch = createFetch({ routes, hold, holdTimeoutMs, log: silent });
  return { routes, hold, fetch };
}

const GET = (path: string, host = 'localhost') => new Request(`http://${host}${path}`);

describe('request hold during a swap', () => {
  it('holds a request for a route being replaced and serves it with the new handler once the swap ends', async () => {
    const { routes, hold, fetch } = setup(5_000);
    const removeOld = routes.add({ method: 'GET', path: '/api/:id', handler: () => new Response('old'), role: 'api', host: undefined, gate: new InFlightGate() });
    routes.add({ method: 'GET', path: '/other', handler: () => new Response('other'), role: 'other', host: undefined, gate: new InFlightGate() });

    const release = hold.hold(routes.snapshot((e) => e.role === 'api'));
    expect(hold.active).toBe(true);
    removeOld();
    const held = fetch(GET('/api/1'));
    // Requests for other routes are not held.
    expect(await (await fetch(GET('/other'))).text()).toBe('other');
    await sleep(20);
    let settled = false;
    void held.then(() => (settled = true));
    await sleep(5);
    expect(settled).toBe(false);

    routes.add({ method: 'GET', path: '/api/:id', handler: (_r, { params }) => new Response(`new ${params.id}`), role: 'api', host: undefined, gate: new InFlightGate() });
    release();
    expect(hold.active).toBe(false);
    const res = await held;
    expect([res.status, await res.text()]).toEqual([200, 'new 1']);
  });

  it('answers 503 with Retry-After when the swap outlasts the hold timeout', async () => {
    const { routes, hold, fetch } = setup(40);
    routes.add({ method: 'GET', path: '/slow', handler: () => new Response('x'), role: 'slow', host: undefined, gate: new InFlightGate() });
    const release = hold.hold(routes.snapshot(() => true));
    const started = Date.now();
    const res = await fetch(GET('/slow'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    release();
    expect((await fetch(GET('/slow'))).status).toBe(200);
  });

  it('with an Infinity hold timeout, waits for the swap however long it takes', async () => {
    const { routes, hold, fetch } = setup(Infinity);
    routes.add({ method: 'GET', path: '/slow', handler: () => new Response('served'), role: 'slow', host: undefined, gate: new InFlightGate() });
    const release = hold.hold(routes.snapshot(() => true));
    const held = fetch(GET('/slow'));
    await sleep(50);
    release();
    const res = await held;
    expect([res.status, await res.text()]).toEqual([200, 'served']);
  });

  it('serves a 404 after the swap when the new code no longer has the route', async () => {
    const { routes, hold, fetch } = setup(5_000);
    const remove = routes.add({ method: 'GET', path: '/gone', handler: () => new Response('x'), role: 'r', host: undefined, gate: new InFlightGate() });
    const release = hold.hold(routes.snapshot(() => true));
    remove();
    const held = fetch(GET('/gone'));
    await sleep(10);
    release();
    expect((await held).status).toBe(404);
  });

  it('holds host routes only for their host', async () => {
    const { routes, hold, fetch } = setup(5_000);
    routes.add({ method: 'GET', path: '/h', handler: () => new Response('a'), role: 'site', host: 'a.example.com', gate: new InFlightGate() });
    routes.add({ method: 'GET', path: '/h', handler: () => new Response('global'), role: 'g', host: undefined, gate: new InFlightGate() });
    const release = hold.hold(routes.snapshot((e) => e.role === 'site'));
    // Not held: another host.
    expect(await (await fetch(GET('/h', 'b.example.com'))).text()).toBe('global');
    const held = fetch(GET('/h', 'a.example.com'));
    await sleep(10);
    release();
    expect(await (await held).text()).toBe('a');
  });
});
