/**
 * `rt.fetch`: web-standard Request in, Response out, through the routes of
 * running roles. Requests for roles being swapped wait for the swap.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import type { RouteTable } from './route-table.js';
import type { RequestHold } from './request-hold.js';

export interface ServeOptions {
  routes: RouteTable;
  hold: RequestHold;
  /** How long a request waits for a swap before it gets 503. */
  holdTimeoutMs: number;
  log: Logger;
}

export function createFetch(options: ServeOptions): (request: Request) => Promise<Response> {
  const { routes, hold, log } = options;
  return async function rolekitFetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const host = request.headers.get('host') ?? url.host;
    const timeoutMs = options.holdTimeoutMs;
    if (!(await hold.wait(request.method, url.pathname, host, timeoutMs))) {
      const retryAfter = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
      return new Response('Service Unavailable: role code is being swapped\n', {
        status: 503,
        headers: { 'retry-after': retryAfter, 'content-type': 'text/plain' },
      });
    }
    const match = routes.match(request.method, url.pathname, host);
    if (!match) return new Response('Not Found\n', { status: 404, headers: { 'content-type': 'text/plain' } });
    try {
      const response: unknown = await match.entry.handler(request, { params: match.params });
      if (response instanceof Response) return response;
      throw new TypeError(`route handler returned ${response === null ? 'null' : typeof response}, not a Response`);
    } catch (err) {
      log.error({ err, role: match.entry.role, host: match.entry.host, path: url.pathname }, 'route handler failed');
      return new Response('Internal Server Error\n', { status: 500, headers: { 'content-type': 'text/plain' } });
    }
  };
}
