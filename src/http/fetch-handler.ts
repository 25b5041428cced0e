/**
 * `rt.fetch`: web-standard Request in, Response out, through the routes of
 * running roles. Requests for roles being swapped wait for the swap.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import type { RouteTable } from './route-table.js';
import type { RequestHold } from './request-hold.js';
import { logThrown } from '../logging/log-thrown.js';

export interface ServeOptions {
  routes: RouteTable;
  hold: RequestHold;
  /** How long a request waits for a swap before it gets 503. */
  holdTimeoutMs: number;
  log: Logger;
}

const DRAIN_EXPIRED = Symbol('drain expired');
const HEAD_OR_GET = ['HEAD', 'GET'];

/**
 * Node's own Response, as it was when rolekit loaded. @hono/node-server
 * replaces `globalThis.Response` with a lighter subclass when it serves, and
 * `Response.json()` / `Response.redirect()` still make the base class's
 * instances: a handler may return either, and both are served.
 */
const NodeResponse = globalThis.Response;

function isResponse(value: unknown): value is Response {
  if (value instanceof NodeResponse) return true;
  // A Response class installed after rolekit loaded, and the classes it extends.
  for (let C: unknown = globalThis.Response; typeof C === 'function' && C !== Function.prototype; C = Object.getPrototypeOf(C)) {
    if (value instanceof (C as typeof Response)) return true;
  }
  return false;
}

/** 503 with Retry-After (seconds, at least 1): the client may try again soon. */
function unavailable(why: string, retryAfterSeconds: number): Response {
  return new Response(`Service Unavailable: ${why}\n`, {
    status: 503,
    headers: { 'retry-after': String(Math.max(1, retryAfterSeconds)), 'content-type': 'text/plain' },
  });
}

/** The answer to a HEAD request served by a GET route: the same status and headers, no body. */
function withoutBody(response: Response): Response {
  void response.body?.cancel().catch(() => {});
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}

export function createFetch(options: ServeOptions): (request: Request) => Promise<Response> {
  const { routes, hold, log } = options;
  return async function rolekitFetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const host = request.headers.get('host') ?? url.host;
    const timeoutMs = options.holdTimeoutMs;
    // HEAD asks what GET would answer, without the body (RFC 9110 9.3.2): a GET route serves it
    // when no HEAD route does (a load balancer's health check, `curl -I`).
    const head = request.method === 'HEAD'; // Request normalises the method's case
    if (!(await hold.wait(head ? HEAD_OR_GET : [request.method], url.pathname, host, timeoutMs))) {
      return unavailable('role code is being swapped', Math.ceil(timeoutMs / 1000));
    }
    // A route whose role is draining takes no new requests; another role's route may still match.
    const open = (method: string) => routes.matchAll(method, url.pathname, host).find((m) => m.entry.gate.open);
    const match = open(request.method) ?? (head ? open('GET') : undefined);
    if (!match) return new Response(head ? null : 'Not Found\n', { status: 404, headers: { 'content-type': 'text/plain' } });
    const answer = head && match.entry.method !== 'HEAD' ? withoutBody : (response: Response) => response;
    let leave = () => {};
    const expired = new Promise<typeof DRAIN_EXPIRED>((resolve) => (leave = match.entry.gate.enter(() => resolve(DRAIN_EXPIRED))));
    try {
      const response: unknown = await Promise.race([match.entry.handler(request, { params: match.params }), expired]);
      if (response === DRAIN_EXPIRED) return unavailable('the role stopped before this request finished', 1);
      if (isResponse(response)) return answer(response);
      throw new TypeError(`route handler returned ${response === null ? 'null' : typeof response}, not a Response`);
    } catch (err) {
      logThrown(log, 'error', { role: match.entry.role, host: match.entry.host, path: url.pathname }, err, 'route handler failed');
      return new Response('Internal Server Error\n', { status: 500, headers: { 'content-type': 'text/plain' } });
    } finally {
      leave();
    }
  };
}
