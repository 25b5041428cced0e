/**
 * The `http` listener of `rolekit start`: serves `rt.fetch` (the routes of
 * the running roles, a host's routes by the `Host` header) with
 * @hono/node-server, and closes in the order a graceful stop needs.
 * @module
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';

export interface HttpListener {
  /** `http://host:port` as bound (port 0 in the file: the port the system chose). */
  readonly url: string;
  /** Take no new connections; idle keep-alive connections close now, busy ones when their response is sent. */
  refuseNew(): void;
  /** Close what is left (connections whose requests outlived the drain). */
  closeAll(): void;
}

export function listenHttp(fetch: (request: Request) => Response | Promise<Response>, at: { host: string; port: number }): Promise<HttpListener> {
  return new Promise((resolve, reject) => {
    const listener = getRequestListener(fetch);
    const server = createServer((req, res) => {
      // Host names are case-insensitive, but @hono/node-server refuses a mixed-case Host with a
      // port ("Example.COM:8080") as invalid: give it the lowercase form, which means the same.
      if (req.headers.host) req.headers.host = req.headers.host.toLowerCase();
      void listener(req, res);
    });
    server.once('error', reject);
    server.listen(at.port, at.host);
    server.once('listening', () => {
      server.off('error', reject);
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}`,
        refuseNew() {
          server.close();
          server.closeIdleConnections();
        },
        closeAll() {
          server.closeAllConnections();
        },
      });
    });
  });
}
