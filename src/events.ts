/**
 * The runtime's event stream (docs/events.md): one closed union of plain,
 * JSON-ready events, their builders, and the bus that numbers and delivers
 * them. `rt.status()`, the logs, the admin API, the metrics and the inspector
 * read these facts and nothing else, so that they can never disagree.
 * @module
 */
import { errorSummary } from './errors.js';

/** The callbacks of a role, by the names a role definition gives them. */
export type RoleCallback = 'validateConfig' | 'init' | 'applyConfig' | 'addHost' | 'stop' | 'onApplyConfig';

export type StatusType = 'ok' | 'info' | 'warn' | 'error';

export interface RoleStatus {
  type: StatusType;
  message?: string;
  /** ISO time of the last change. */
  time: string;
}

/** A short, always serialisable view of an error. */
export interface ErrorInfo {
  name: string;
  message: string;
}

/** A role instance: a global role, or a role's instance (or shared part) on one host. */
export interface InstanceRef {
  role: string;
  host?: string;
}

export interface StateEvent {
  type: 'state';
  state: string;
  prev: string;
  error?: ErrorInfo;
}

export interface ApplyEvent {
  type: 'apply';
  /** `rejected`: refused before anything changed (invalid document, or a state that takes no apply). */
  result: 'ok' | 'failed' | 'rejected';
  durationMs: number;
  started: InstanceRef[];
  stopped: InstanceRef[];
  applied: InstanceRef[];
  error?: ErrorInfo;
}

export interface ReloadEvent {
  type: 'reload';
  result: 'ok' | 'failed' | 'rolled-back';
  roles: string[];
  generation: number;
  durationMs: number;
  previousCodeServing: boolean;
  error?: ErrorInfo;
}

export interface CallbackEvent {
  type: 'callback';
  role: string;
  host?: string;
  callback: RoleCallback;
  durationMs: number;
  ok: boolean;
  error?: ErrorInfo;
}

export interface StatusEvent {
  type: 'status';
  role: string;
  host?: string;
  status: RoleStatus;
}

/** What a part of the core reports; the bus adds `seq` and `time`. */
export type EventBody = StateEvent | ApplyEvent | ReloadEvent | CallbackEvent | StatusEvent;

export type EventType = EventBody['type'];

/** An event as listeners get it: numbered (+1 per event of one runtime) and stamped (ms since the epoch). */
export type RolekitEvent<T extends EventType = EventType> = Extract<EventBody, { type: T }> & { seq: number; time: number };

export type EventListener<T extends EventType | '*'> = (event: T extends EventType ? RolekitEvent<T> : RolekitEvent) => void;

/** `{ role, host }` without an `undefined` host, so that the JSON of an event has no holes. */
export function instanceRef(role: string, host: string | undefined): InstanceRef {
  return host === undefined ? { role } : { role, host };
}

/** The optional `error` field of an event. */
export function errorField(error: unknown): { error?: ErrorInfo } {
  return error === undefined ? {} : { error: errorSummary(error) };
}

export function callbackEvent(
  ref: InstanceRef,
  callback: RoleCallback,
  durationMs: number,
  error?: unknown,
  failed = error !== undefined,
): CallbackEvent {
  return { type: 'callback', ...ref, callback, durationMs, ok: !failed, ...(failed ? errorField(error ?? 'undefined was thrown') : {}) };
}

export function statusEvent(ref: InstanceRef, status: RoleStatus): StatusEvent {
  return { type: 'status', ...ref, status: { ...status } };
}

/**
 * Numbers events and hands them to listeners. A listener that throws is
 * reported through `onListenerError` and never disturbs the emitter or the
 * other listeners.
 */
export class EventBus {
  #seq = 0;
  readonly #listeners = new Map<EventType | '*', Set<(event: RolekitEvent) => void>>();
  readonly #onListenerError: (err: unknown, event: RolekitEvent) => void;

  constructor(onListenerError: (err: unknown, event: RolekitEvent) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Whether anyone listens to `type` (builders of costly events may skip work otherwise). */
  wants(type: EventType): boolean {
    return (this.#listeners.get(type)?.size ?? 0) > 0 || (this.#listeners.get('*')?.size ?? 0) > 0;
  }

  on<T extends EventType | '*'>(type: T, listener: EventListener<T>): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    const entry = listener as (event: RolekitEvent) => void;
    set.add(entry);
    return () => void set.delete(entry);
  }

  emit(body: EventBody): void {
    const seq = ++this.#seq;
    const typed = this.#listeners.get(body.type);
    const all = this.#listeners.get('*');
    // The common case on a busy runtime is nobody listening to callback events: then numbering is all.
    if (!typed?.size && !all?.size) return;
    // The body is the builder's fresh object: stamping it in place spares a copy per event.
    const event = Object.assign(body, { seq, time: Date.now() }) as RolekitEvent;
    if (typed) this.#deliver(typed, event);
    if (all) this.#deliver(all, event);
  }

  #deliver(listeners: Set<(event: RolekitEvent) => void>, event: RolekitEvent): void {
    // A Set iterates safely while a listener unsubscribes itself.
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#onListenerError(err, event);
      }
    }
  }
}
