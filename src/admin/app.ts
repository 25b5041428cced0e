/**
 * `createAdmin(rt, options)`: the admin API as a hono app (docs/operations.md).
 * Built on rolekit's public API alone: `rt.on('*')`, `rt.status()`, the
 * runtime's methods, and `rt.actor.system.inspect` for inspection.
 * @module
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { readSafely, type Runtime } from '../index.js';
import { COOKIE_NAME, TokenCheck, tokenOption } from './auth.js';
import { loginToken, jsonBody, rolesOf } from './body.js';
import { AdminRequestError, badRequest, errorResponse } from './errors.js';
import { EventStream, type StreamFilter } from './event-stream.js';
import { toInspectEvent } from './inspection.js';
import { AdminMetrics } from './metrics.js';
import { ReloadHistory, adminStatus } from './status.js';
import { renderInspectorPage } from './inspector/index.js';

/** What `GET /` answers: the inspector page. `authorized` tells whether the request carried the token (or none is needed). */
export type AdminPage = (c: Context, session: { authorized: boolean; tokenRequired: boolean }) => Response | Promise<Response>;

export interface AdminOptions {
  /** Bearer token every request must carry (header or cookie). Left out: no token (serve on loopback only). */
  token?: string;
  /** Largest request body in bytes (default 1 MiB); larger ones get 413. */
  bodyLimit?: number;
  /** Events kept for clients that resume with Last-Event-ID (default 1000). */
  eventBuffer?: number;
  /** Reloads listed by GET /status (default 10). */
  reloadHistory?: number;
  /** prom-client's default process metrics in GET /metrics (default true). */
  processMetrics?: boolean;
  /**
   * What `GET /` serves (the cookie flow of `?token=` is the admin's, before it):
   * the inspector page by default (docs/inspector.md); `false` for none.
   */
  page?: AdminPage | false;
  /**
   * A cluster member (rolekit/cluster's `ClusterMember`): `POST /config` then
   * applies to the whole cluster in two phases, and `GET /status` adds
   * `cluster` (what etcd says, or what the member knows while etcd is away).
   */
  cluster?: AdminCluster;
}

/** What the admin API needs of a cluster member (rolekit/cluster's ClusterMember has it). */
export interface AdminCluster {
  applyDocument(doc: unknown): Promise<{ revision: number }>;
  status(): Promise<unknown>;
  local(): unknown;
}

/** The inspector page, as `GET /` serves it unless `page` says otherwise; the same for every request, built once. */
let inspectorHtml: string | undefined;
const inspectorPage: AdminPage = (c) => c.html((inspectorHtml ??= renderInspectorPage()));

export interface AdminApp extends Hono {
  /** Stop listening to the runtime and end every event stream (their clients may reconnect elsewhere). */
  close(): void;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The cluster's status from etcd; while etcd can not be reached, the same
 * shape (API.md section 7) from what this member knows: the latest commit it
 * saw, no members listed (their leases can not be read), `connected: false`.
 */
async function clusterStatusOf(cluster: AdminCluster): Promise<unknown> {
  try {
    return await cluster.status();
  } catch {
    const local = cluster.local();
    const error = readSafely(local, 'error');
    return { name: readSafely(local, 'name'), revision: readSafely(local, 'committed'), members: {}, connected: false, ...(error !== undefined && { error }) };
  }
}

const STREAM_TYPES = new Set(['state', 'apply', 'reload', 'callback', 'status', 'inspect']);

/** `?types=state,reload,status` (default: all) and `?inspect=0` (leave inspect events out). */
function streamFilter(types: string | undefined, inspect: string | undefined): StreamFilter {
  const noInspect = /^(0|false|no)$/i.test(inspect ?? '');
  if (types === undefined && !noInspect) return {};
  const listed = types === undefined ? [...STREAM_TYPES] : types.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = listed.filter((t) => !STREAM_TYPES.has(t));
  if (unknown.length > 0) throw badRequest(`Unknown event type${unknown.length > 1 ? 's' : ''} in ?types: ${unknown.join(', ')} (known: ${[...STREAM_TYPES].join(', ')})`);
  return { types: new Set(listed.filter((t) => !(noInspect && t === 'inspect'))) };
}

function positiveInteger(value: unknown, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TypeError(`createAdmin: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * The admin API of `rt` as a hono app: mount its `fetch` in your own server,
 * or serve it with `serveAdmin`.
 *
 * @example
 * const admin = createAdmin(rt, { token: process.env.ROLEKIT_ADMIN_TOKEN });
 * serve({ fetch: admin.fetch, hostname: '127.0.0.1', port: 8081 });
 */
export function createAdmin(rt: Runtime, options: AdminOptions = {}): AdminApp {
  const token = tokenOption(options.token);
  const check = token === undefined ? undefined : new TokenCheck(token);
  const maxSize = positiveInteger(options.bodyLimit, 'bodyLimit', DEFAULT_BODY_LIMIT);
  const stream = new EventStream(positiveInteger(options.eventBuffer, 'eventBuffer', 1000, 0));
  const reloads = new ReloadHistory(positiveInteger(options.reloadHistory, 'reloadHistory', 10));
  const metrics = new AdminMetrics(rt, { processMetrics: options.processMetrics ?? true });

  const offEvents = rt.on('*', (event) => {
    if (event.type === 'reload') reloads.add(event);
    metrics.onEvent(rt, event);
    stream.pushEvent(event);
  });
  const inspection = rt.actor.system.inspect((ev) => {
    const event = toInspectEvent(ev);
    if (event) stream.pushInspect(event);
  });

  const authorized = (c: Context): boolean => !check || check.allows(c.req.header('authorization'), getCookie(c, COOKIE_NAME));
  const setSessionCookie = (c: Context): void => {
    setCookie(c, COOKIE_NAME, check!.cookieValue, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
    });
  };
  const unauthorized = () =>
    errorResponse(new AdminRequestError('Unauthorized', 401, 'A valid admin token is required (Authorization: Bearer <token>, or the cookie set by GET /?token=)'), {
      'WWW-Authenticate': 'Bearer realm="rolekit"',
    });

  const app = new Hono() as AdminApp;
  app.onError((err) => errorResponse(err));
  app.notFound((c) => errorResponse(new AdminRequestError('NotFound', 404, `No admin endpoint ${c.req.method} ${c.req.path}`)));

  // The page and the login are open: they are how a browser gets the cookie.
  app.use('*', async (c, next) => {
    const open = (c.req.method === 'GET' && c.req.path === '/') || (c.req.method === 'POST' && c.req.path === '/login');
    if (!open && !authorized(c)) return unauthorized();
    await next();
  });
  app.use('*', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    return bodyLimit({
      maxSize,
      onError: () => errorResponse(new AdminRequestError('PayloadTooLarge', 413, `The body is over the admin's limit of ${maxSize} bytes`)),
    })(c, next);
  });

  app.get('/', async (c) => {
    const given = c.req.query('token');
    if (given !== undefined && check) {
      if (!check.isToken(given)) return unauthorized();
      setSessionCookie(c);
      // Off the address bar and the history: the token is in the cookie now. The path as
      // requested, so that an admin mounted under a prefix (/admin/) comes back to itself.
      return c.redirect(new URL(c.req.url).pathname, 303);
    }
    const page = options.page === undefined ? inspectorPage : options.page;
    if (!page) return errorResponse(new AdminRequestError('NotFound', 404, 'The inspector page is not installed'));
    return page(c, { authorized: authorized(c), tokenRequired: check !== undefined });
  });

  app.post('/login', async (c) => {
    const given = await loginToken(c);
    // `./`: the page next to this login, wherever the admin is mounted.
    if (!check) return c.redirect('./', 303);
    if (!check.isToken(given)) return unauthorized();
    setSessionCookie(c);
    return c.redirect('./', 303);
  });

  app.get('/status', async (c) => {
    const status = adminStatus(rt, reloads, stream.lastId);
    if (!options.cluster) return c.json(status);
    return c.json({ ...status, cluster: await clusterStatusOf(options.cluster) });
  });

  app.get('/metrics', async (c) => {
    const { body, contentType } = await metrics.render(c.req.header('accept'));
    return c.body(body, 200, { 'Content-Type': contentType });
  });

  app.get('/updates', async (c) => c.json(await rt.updateList()));

  app.post('/update', async (c) => c.json(await rt.update(await rolesOf(c, rt))));

  app.post('/reload', async (c) => {
    const roles = await rolesOf(c, rt);
    await rt.reload(roles === undefined ? {} : { roles });
    return c.json({ state: rt.state, generation: rt.generation });
  });

  app.post('/reload/forbid', (c) => {
    rt.forbidReload();
    return c.json({ reloadForbidden: rt.isReloadForbidden() });
  });

  app.post('/reload/allow', (c) => {
    rt.allowReload();
    return c.json({ reloadForbidden: rt.isReloadForbidden() });
  });

  app.post('/config', async (c) => {
    const doc = await jsonBody(c);
    if (doc === undefined) throw badRequest('The body must be a configuration document (JSON)');
    if (options.cluster) {
      // Two phases across the cluster; this member applies it when the commit reaches it.
      const { revision } = await options.cluster.applyDocument(doc);
      return c.json({ state: rt.state, generation: rt.generation, revision });
    }
    await rt.applyConfig(doc);
    return c.json({ state: rt.state, generation: rt.generation });
  });

  app.get('/events', (c) => {
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    return new Response(stream.open(lastEventId, streamFilter(c.req.query('types'), c.req.query('inspect'))), {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
        // An event stream is never followed by another request on its connection: when the
        // stream ends (admin.close()), the connection goes with it, and the listener closes at once.
        Connection: 'close',
      },
    });
  });

  app.close = () => {
    offEvents();
    inspection.unsubscribe();
    stream.close();
  };
  return app;
}
