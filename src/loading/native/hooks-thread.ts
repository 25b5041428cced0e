/**
 * Entry module of the hooks thread on Node 20 (`module.register`). Node loads
 * it in a worker of its own; it sees the main thread only through the
 * MessagePort handed over in `initialize`: loader configurations come in,
 * reports of files, edges and failures go out. A `flush` is answered after
 * every report posted before it, since the port delivers in order, which is
 * how the loader knows all reports of a load have arrived.
 */
import type { MessagePort } from 'node:worker_threads';
import { createHooks, type LoadHook, type ResolveHook } from './hooks.js';
import type { ControlMessage, LoaderConfig, ThreadMessage } from './protocol.js';

const loaders = new Map<string, LoaderConfig>();
let port: MessagePort | undefined;

function post(message: ThreadMessage): void {
  port?.postMessage(message);
}

const hooks = createHooks({
  loader: (id) => loaders.get(id),
  report: post,
});

export function initialize(data: { port: MessagePort }): void {
  port = data.port;
  port.on('message', (message: ControlMessage) => {
    switch (message.type) {
      case 'attach':
        loaders.set(message.loader, { shared: new Set(message.shared) });
        post({ type: 'ack', id: message.id });
        break;
      case 'detach':
        loaders.delete(message.loader);
        break;
      case 'flush':
        post({ type: 'ack', id: message.id });
        break;
    }
  });
  // The hooks thread must never keep the process alive on its own.
  port.unref();
}

export const resolve: ResolveHook = (specifier, context, next) => hooks.resolve(specifier, context, next);
export const load: LoadHook = (url, context, next) => hooks.load(url, context, next);
