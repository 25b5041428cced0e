/**
 * `serveAdmin(rt, options)`: the admin API on a listener of its own, with the
 * contract's rule: without a token it binds to loopback only, and refuses any
 * other address, naming the reason.
 * @module
 */
import { isIP } from 'node:net';
import { serve } from '@hono/node-server';
import type { Runtime } from '../index.js';
import { createAdmin, type AdminApp, type AdminOptions } from './app.js';

export interface ServeAdminOptions extends AdminOptions {
  /** Address to bind (default 127.0.0.1). Without a token, only a loopback address is accepted. */
  host?: string;
  /** Port (default 0: any free port; read it from the result's `port`). */
  port?: number;
}

export interface AdminServer {
  /** `http://host:port` of the listener. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly app: AdminApp;
  /** End the event streams, stop listening to the runtime, close the listener. */
  close(): Promise<void>;
}

/** Whether `host` is a loopback address or name: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h.toLowerCase() === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || h === '::1' || /^::ffff:127\./i.test(h);
  return false;
}

/** Throws unless `host` may be bound with or without a token (the contract's listener rule). */
export function checkAdminListener(host: string, token: string | undefined): void {
  if (token === undefined && !isLoopback(host)) {
    throw new Error(
      `Refusing to serve the admin API on ${JSON.stringify(host)} without a token: with no token it binds to loopback only (127.0.0.1, ::1, localhost). Set a token (admin.token, e.g. "\${ROLEKIT_ADMIN_TOKEN}") or bind to loopback.`,
    );
  }
}

/**
 * Serve `createAdmin(rt, options)` with @hono/node-server.
 *
 * @example
 * const admin = await serveAdmin(rt, { host: '127.0.0.1', port: 8081 });
 * console.log(`admin API on ${admin.url}`);
 * // at shutdown: await admin.close();
 */
export async function serveAdmin(rt: Runtime, options: ServeAdminOptions = {}): Promise<AdminServer> {
  const { host = '127.0.0.1', port = 0, ...adminOptions } = options;
  checkAdminListener(host, adminOptions.token);
  const app = createAdmin(rt, adminOptions);
  const bind = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  try {
    // Requests in progress (an event stream is not one once the admin closed it), so that
    // close() can wait for them and then drop every connection, idle keep-alive ones included.
    let inFlight = 0;
    let drained: (() => void) | undefined;
    const fetch = async (request: Request): Promise<Response> => {
      inFlight++;
      try {
        return await app.fetch(request);
      } finally {
        if (--inFlight === 0) drained?.();
      }
    };
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch, hostname: bind, port }, () => resolve(s));
      s.once('error', reject);
    });
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    const urlHost = isIP(bind) === 6 ? `[${bind}]` : bind;
    return {
      url: `http://${urlHost}:${bound}`,
      host: bind,
      port: bound,
      app,
      close: async () => {
        app.close();
        const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        // A client that dropped an event stream may keep its socket half open: it would hold close() for seconds.
        if ('closeAllConnections' in server) server.closeAllConnections();
        await closed;
      },
    };
  } catch (err) {
    app.close();
    throw err;
  }
}
