/**
 * Installs the hooks once per process and routes their reports to the
 * loaders. Chooses, by feature detection:
 *
 * - `module.registerHooks` (Node 22.15+/23.5+): synchronous, in-thread; a
 *   report is a function call made before the hook returns, so nothing needs
 *   flushing. Deregistered when the last loader closes (and registered again
 *   by the next one).
 * - `module.register` (Node 20; deprecated in 24, so only as a fallback):
 *   hooks in a separate thread, configured and heard over a MessagePort.
 *   Cannot be undone: after the last loader closes the hooks stay installed
 *   but stand aside, since they act only for loaders they know.
 *
 * One installation serves every loader of this copy of rolekit; loader ids in
 * the token keep their generations apart.
 */
import nodeModule from 'node:module';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { createHooks, type LoadHook, type ResolveHook } from './hooks.js';
import type { ControlMessage, HookReport, LoaderConfig, ThreadMessage } from './protocol.js';
import { enableSourceMaps } from './source-maps.js';
import { loaderOf } from './token.js';

export type Sink = (report: HookReport) => void;

export interface HookHost {
  readonly mode: 'registerHooks' | 'register';
  /** Start propagating and reporting for a loader; resolves once the hooks know it. */
  attach(loader: string, config: LoaderConfig, sink: Sink): Promise<void>;
  /** Resolves once every report made so far has been delivered to its sink. */
  flush(): Promise<void>;
  /** Stop acting for a loader (its later imports resolve like any other module). */
  detach(loader: string): void;
}

interface NewerModuleApi {
  registerHooks?: (hooks: { resolve: ResolveHook; load: LoadHook }) => { deregister(): void };
}

class InThreadHost implements HookHost {
  readonly mode = 'registerHooks' as const;
  readonly #loaders = new Map<string, { config: LoaderConfig; sink: Sink }>();
  #handle: { deregister(): void } | undefined;
  #restoreSourceMaps: (() => void) | undefined;
  readonly #hooks = createHooks({
    loader: (id) => this.#loaders.get(id)?.config,
    report: (report) => this.#loaders.get(loaderOf(report.token))?.sink(report),
  });

  constructor(private readonly register: NonNullable<NewerModuleApi['registerHooks']>) {}

  attach(loader: string, config: LoaderConfig, sink: Sink): Promise<void> {
    this.#loaders.set(loader, { config, sink });
    this.#restoreSourceMaps ??= enableSourceMaps();
    this.#handle ??= this.register({ resolve: this.#hooks.resolve, load: this.#hooks.load });
    return Promise.resolve();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  detach(loader: string): void {
    if (!this.#loaders.delete(loader) || this.#loaders.size > 0) return;
    this.#handle?.deregister();
    this.#handle = undefined;
    this.#restoreSourceMaps?.();
    this.#restoreSourceMaps = undefined;
  }
}

class ThreadHost implements HookHost {
  readonly mode = 'register' as const;
  readonly #sinks = new Map<string, Sink>();
  readonly #pending = new Map<number, () => void>();
  #nextId = 0;
  #port: MessagePort | undefined;
  #restoreSourceMaps: (() => void) | undefined;

  attach(loader: string, config: LoaderConfig, sink: Sink): Promise<void> {
    this.#sinks.set(loader, sink);
    this.#restoreSourceMaps ??= enableSourceMaps();
    return this.#request({ type: 'attach', id: 0, loader, shared: [...config.shared] });
  }

  flush(): Promise<void> {
    return this.#request({ type: 'flush', id: 0 });
  }

  detach(loader: string): void {
    if (!this.#sinks.delete(loader)) return;
    this.#start().postMessage({ type: 'detach', loader } satisfies ControlMessage);
    if (this.#sinks.size === 0) {
      this.#restoreSourceMaps?.();
      this.#restoreSourceMaps = undefined;
    }
  }

  #start(): MessagePort {
    if (this.#port) return this.#port;
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (message: ThreadMessage) => this.#receive(message));
    // Referenced only while an answer is awaited (see request), so an idle
    // loader never keeps the process alive.
    port1.unref();
    nodeModule.register(new URL('./hooks-thread.js', import.meta.url), {
      data: { port: port2 },
      transferList: [port2],
    });
    this.#port = port1;
    return port1;
  }

  #request(message: Extract<ControlMessage, { id: number }>): Promise<void> {
    const port = this.#start();
    const id = ++this.#nextId;
    return new Promise<void>((resolve) => {
      this.#pending.set(id, resolve);
      if (this.#pending.size === 1) port.ref();
      port.postMessage({ ...message, id } satisfies ControlMessage);
    });
  }

  #receive(message: ThreadMessage): void {
    if (message.type !== 'ack') {
      this.#sinks.get(loaderOf(message.token))?.(message);
      return;
    }
    const done = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#port?.unref();
    done?.();
  }
}

let host: HookHost | undefined;

/**
 * The process-wide hook installation (created on first use). The environment
 * variable ROLEKIT_NATIVE_HOOKS=register forces the Node 20 way on newer Node,
 * so both paths can be tested on one binary.
 */
export function hookHost(): HookHost {
  if (host) return host;
  const registerHooks = (nodeModule as unknown as NewerModuleApi).registerHooks;
  const useThread = typeof registerHooks !== 'function' || process.env['ROLEKIT_NATIVE_HOOKS'] === 'register';
  host = useThread ? new ThreadHost() : new InThreadHost(registerHooks);
  return host;
}
