/**
 * TEMPORARY TEST HARNESS — stands in for the admin API (`createAdmin(rt)`,
 * src/admin/) until that lands on main; the lead switches the inspector's
 * browser tests to `createAdmin` when merging, and deletes this file.
 *
 * It serves the routes the page uses, built on the public runtime API only:
 * `GET /` the page, `GET /status` (`rt.status()` plus `hosts` and the
 * reloads it saw), `GET /events` (`rt.on('*')` as server-sent events, id =
 * seq), and the POST routes for reload, forbid and allow, with the admin
 * API's JSON errors.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AddressInfo } from 'node:net';
import type { RolekitEvent, Runtime } from '../../../src/index.js';
import { renderInspectorPage } from '../../../src/admin/inspector/index.js';

export interface Harness {
  url: string;
  /** Event streams open right now. */
  openStreams(): number;
  close(): Promise<void>;
}

function errorBody(err: unknown) {
  const e = err as { name?: string; message?: string; issues?: unknown };
  return { error: { name: e?.name ?? 'Error', message: e?.message ?? String(err), ...(e?.issues ? { issues: e.issues } : {}) } };
}

export async function startTemporaryAdminHarness(rt: Runtime, title = 'rolekit'): Promise<Harness> {
  const reloads: RolekitEvent<'reload'>[] = [];
  rt.on('reload', (e) => void reloads.push(e));
  let streams = 0;
  const app = new Hono();
  app.get('/', (c) => c.html(renderInspectorPage({ title })));
  app.get('/status', (c) => {
    const status = rt.status();
    const hosts: Record<string, Record<string, unknown>> = {};
    for (const r of status.roles) (hosts[r.host ?? '*'] ??= {})[r.name] = r.status;
    return c.json({ ...status, hosts, reloadForbidden: rt.isReloadForbidden(), reloads: reloads.slice(-20) });
  });
  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      streams++;
      const off = rt.on('*', (e) => void stream.writeSSE({ id: String(e.seq), data: JSON.stringify(e) }));
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      off();
      streams--;
    }),
  );
  const act = (fn: (body: { roles?: string[] }) => Promise<unknown>) => async (c: import('hono').Context) => {
    const body = (await c.req.json().catch(() => ({}))) as { roles?: string[] };
    try {
      await fn(body ?? {});
      return c.json({ ok: true });
    } catch (err) {
      return c.json(errorBody(err), 409);
    }
  };
  app.post('/reload', act((b) => rt.reload(Array.isArray(b.roles) ? { roles: b.roles } : undefined)));
  app.post('/reload/forbid', act(async () => rt.forbidReload()));
  app.post('/reload/allow', act(async () => rt.allowReload()));

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    openStreams: () => streams,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
