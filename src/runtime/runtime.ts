/**
 * The runtime: wiring only. The lifecycle machine decides what may happen,
 * the engine runs role callbacks, the reloader swaps code; this file connects
 * them and enforces that state-changing calls never overlap.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import { createActor, fromPromise, type Actor } from 'xstate';
import {
  ApplyConfigError,
  BusyError,
  HotReloadError,
  StateError,
  describeFailures,
  type RoleFailure,
} from '../errors.js';
import { logThrown } from '../logging/log-thrown.js';
import { lifecycleMachine, type LifecycleStateName } from '../machines/lifecycle.js';
import { reachableStates } from '../machines/reachability.js';
import type { RoleRegistry, RoleSelection } from '../roles/registry.js';
import type { Reloader, ReloadOptions } from '../reload/reloader.js';
import { updateRolesArgument } from '../reload/role-names.js';
import type { RoleEngine } from '../engine/engine.js';
import { planApply, type ApplyPlan } from '../engine/plan.js';
import type { RuntimeOptions } from './options.js';
import type { Timeouts } from '../engine/timeouts.js';
import { buildStatus, type RuntimeStatus } from './status.js';
import { logStateChange } from './state-log.js';
import { observersNotified } from './observers-notified.js';

export interface StateChange {
  state: LifecycleStateName;
  prev: LifecycleStateName;
  error?: unknown;
}

/** @internal What createRuntime builds and hands to the Runtime. */
export interface RuntimeParts {
  log: Logger;
  timeouts: Timeouts;
  /** rt.fetch, built over the route table the engine registers into. */
  fetch: (request: Request) => Promise<Response>;
  engine: RoleEngine;
  reloader: Reloader;
}

type ConfigureRequest = { kind: 'apply'; plan: ApplyPlan } | { kind: 'reload'; token: unknown };

const TRANSIENT: ReadonlySet<LifecycleStateName> = new Set(['ConfiguringRoles', 'ReloadingRoles', 'ShuttingDown']);

export class Runtime {
  readonly #log: Logger;
  readonly #timeouts: Timeouts;
  readonly #engine: RoleEngine;
  readonly #reloader: Reloader;
  readonly #actor: Actor<typeof lifecycleMachine>;
  readonly #listeners = new Set<(change: StateChange) => void>();
  #busy: Promise<unknown> | undefined;
  #state: LifecycleStateName;

  /** @internal Use createRuntime(). */
  constructor(options: RuntimeOptions, deps: RuntimeParts) {
    const { log } = deps;
    this.#log = log;
    this.#timeouts = deps.timeouts;
    this.#engine = deps.engine;
    this.#reloader = deps.reloader;
    this.fetch = deps.fetch;

    const machine = lifecycleMachine.provide({
      actors: {
        configure: fromPromise(async ({ input }) => {
          await observersNotified();
          const request = input.request as ConfigureRequest;
          if (request.kind === 'reload') return this.#reloader.configure(request.token);
          throwIfFailed(await this.#engine.configure(request.plan, { isReload: false }));
        }),
        reload: fromPromise(async ({ input }) => {
          await observersNotified();
          return { kind: 'reload', token: await this.#reloader.prepare(input.request) };
        }),
        shutdown: fromPromise(async () => {
          await observersNotified();
          const failures = await this.#engine.stopAll();
          await this.#reloader.close();
          throwIfFailed(failures, 'Stopping');
        }),
      },
    });
    this.#actor = createActor(machine, { input: { reloadAllowed: options.reloadAllowed ?? false }, inspect: options.inspect });
    this.#state = 'Unconfigured';
    this.#actor.subscribe({
      next: (snapshot) => {
        const state = snapshot.value as LifecycleStateName;
        if (state === this.#state) return;
        const change: StateChange = { state, prev: this.#state, error: snapshot.context.error };
        this.#state = state;
        logStateChange(this.#log, change);
        for (const listener of this.#listeners) {
          try {
            listener(change);
          } catch (err) {
            logThrown(this.#log, 'warn', {}, err, 'state listener failed');
          }
        }
      },
      error: (err) => logThrown(this.#log, 'error', {}, err, 'lifecycle actor failed'),
    });
    this.#actor.start();
  }

  /** Serve a web-standard Request through the routes of running roles. */
  readonly fetch: (request: Request) => Promise<Response>;

  get state(): LifecycleStateName {
    return this.#actor.getSnapshot().value as LifecycleStateName;
  }

  get error(): unknown {
    return this.#actor.getSnapshot().context.error;
  }

  get generation(): number {
    return this.#reloader.generation;
  }

  /** The underlying xstate actor (for inspection). */
  get actor(): Actor<typeof lifecycleMachine> {
    return this.#actor;
  }

  get #registry(): RoleRegistry {
    return this.#reloader.registry;
  }

  /** Validate everything, then apply. Resolves when RolesConfigured, rejects otherwise. */
  applyConfig(doc: unknown): Promise<void> {
    return this.#exclusive('applyConfig', async () => {
      // Refuse before running any role code: validating a document that can not be applied helps nobody.
      const before = this.#actor.getSnapshot();
      if (!before.can({ type: 'APPLY', request: undefined })) throw new StateError(`Inappropriate state "${before.value}"`);
      const plan = await this.#plan(doc);
      this.#actor.send({ type: 'APPLY', request: { kind: 'apply', plan } satisfies ConfigureRequest });
      await this.#finish(await this.#settle());
    });
  }

  /** Dry run of the validate phase: only validateConfig callbacks run. */
  async validateConfig(doc: unknown): Promise<void> {
    await this.#plan(doc);
  }

  /** Hot-reload role code from disk (all module roles, or `roles` and their dependents). */
  reload(opts: ReloadOptions = {}): Promise<void> {
    return this.#exclusive('reload', async () => {
      const snapshot = this.#actor.getSnapshot();
      if (!snapshot.context.reloadAllowed) throw new HotReloadError('This application forbids reloading roles');
      if (snapshot.context.reloadForbidden) throw new HotReloadError('Reloading roles forbidden');
      if (!snapshot.can({ type: 'RELOAD', request: undefined })) {
        throw new HotReloadError(`Inappropriate state "${snapshot.value}"`);
      }
      const request = this.#reloader.request(opts);
      this.#actor.send({ type: 'RELOAD', request });
      await this.#finish(await this.#settle());
    });
  }

  forbidReload(): void {
    this.#actor.send({ type: 'FORBID_RELOAD' });
  }

  allowReload(): void {
    this.#actor.send({ type: 'ALLOW_RELOAD' });
  }

  isReloadForbidden(): boolean {
    return this.#actor.getSnapshot().context.reloadForbidden;
  }

  getAllRoles(): string[] {
    return this.#registry.getAllRoles();
  }

  getKnownRoles(): string[] {
    return this.#registry.getKnownRoles();
  }

  getEnabledRoles(sel?: RoleSelection): string[] {
    return this.#registry.getEnabledRoles(sel ?? this.#appliedSelection());
  }

  getEnabledRolesWithoutDeps(sel?: RoleSelection): string[] {
    return this.#registry.getEnabledRolesWithoutDeps(sel ?? this.#appliedSelection());
  }

  getRoleDependencies(name: string): string[] {
    return this.#registry.getRoleDependencies(name);
  }

  /** A running role's service API (throws RoleUnavailableError otherwise); `host` picks a host's instance. */
  service<T = unknown>(name: string, host?: string): T {
    // With a host, that host's instance of a host-scoped role (else the global one).
    return this.#engine.service(name, host) as T;
  }

  status(): RuntimeStatus {
    const snapshot = this.#actor.getSnapshot();
    return buildStatus({
      state: snapshot.value as LifecycleStateName,
      generation: this.generation,
      error: snapshot.context.error,
      reload: this.#reloader.lastStatus,
      engine: this.#engine,
    });
  }

  /** Loaded files whose content changed on disk, and the roles they affect (ejabberd update_list). */
  updateList(): Promise<{ files: string[]; roles: string[] }> {
    return this.#reloader.updateList();
  }

  /** Reload the roles affected by changed files, or exactly `roles` and their dependents (ejabberd update). */
  async update(roles?: string[]): Promise<{ roles: string[] }> {
    // Refuse before reading every loaded file: reload would refuse anyway.
    if (this.#busy) throw busyError('update');
    const targets = updateRolesArgument(roles) ?? (await this.updateList()).roles;
    if (targets.length === 0) return { roles: [] };
    await this.reload({ roles: targets });
    return { roles: targets };
  }

  /**
   * Resolves with `state` once reached; on timeout, or as soon as `state`
   * became unreachable from the current state, with the current state
   * (Cartridge `wish_state`).
   */
  waitForState(state: LifecycleStateName, timeoutMs = 10_000): Promise<LifecycleStateName> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let unsubscribe = () => {};
      const check = (): void => {
        const now = this.state;
        if (now !== state && reachableStates(now, this.#actor.getSnapshot().context.reloadAllowed).has(state)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(now);
      };
      unsubscribe = this.subscribe(check);
      timer = setTimeout(() => {
        unsubscribe();
        resolve(this.state);
      }, timeoutMs);
      check();
    });
  }

  /** Called on every state change; returns an unsubscribe function. */
  subscribe(listener: (change: StateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stop every role (reverse order), release everything, end in Stopped. Waits for a call in progress. */
  async stop(): Promise<void> {
    while (this.#busy) await this.#busy.catch(() => {});
    if (this.state === 'Stopped') return;
    const done = this.#exclusive('stop', async () => {
      this.#actor.send({ type: 'STOP' });
      // A role whose stop throws still counts as stopped: shutdown ends in Stopped either
      // way, and the failure is logged (and kept as rt.error) rather than thrown at the caller.
      await this.#settle();
    });
    await done;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** @internal the engine, for the admin API and tests of internals. */
  get engine(): RoleEngine {
    return this.#engine;
  }

  #appliedSelection(): RoleSelection {
    return this.#engine.applied?.doc.roles ?? [];
  }

  #plan(doc: unknown): Promise<ApplyPlan> {
    return planApply(doc, {
      registry: this.#registry,
      previous: (name, host) => this.#engine.previousSection(name, host),
      timeoutMs: this.#timeouts.validate,
      log: this.#log,
      scope: this.#engine.scope,
    });
  }

  /** Run `fn` unless another state-changing call runs: that is a BusyError, before any other check. */
  #exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.#busy) return Promise.reject(busyError(what));
    const run = fn();
    const busy = run.finally(() => {
      if (this.#busy === busy) this.#busy = undefined;
    });
    this.#busy = busy;
    return busy;
  }

  /** Wait until the machine leaves its transient states. */
  #settle(): Promise<Snapshot> {
    return new Promise<Snapshot>((resolve) => {
      let sub: { unsubscribe(): void } | undefined;
      const check = (): boolean => {
        const s = this.#actor.getSnapshot();
        if (TRANSIENT.has(s.value as LifecycleStateName)) return false;
        sub?.unsubscribe();
        resolve(s);
        return true;
      };
      if (!check()) sub = this.#actor.subscribe(() => void check());
    });
  }

  /** After an apply or reload settled: onApplyConfig with the state reached, then reject unless RolesConfigured. */
  async #finish(snapshot: Snapshot): Promise<void> {
    const state = snapshot.value as LifecycleStateName;
    if (this.#engine.applied) await this.#engine.notifyApplied(this.#engine.applied.doc.source, state);
    if (state === 'RolesConfigured') return;
    throw snapshot.context.error ?? new StateError(`Ended in state "${state}"`);
  }
}

type Snapshot = ReturnType<Actor<typeof lifecycleMachine>['getSnapshot']>;

function busyError(what: string): BusyError {
  return new BusyError(`Can not ${what}: another state-changing call is in progress`);
}

/**
 * Turn failures into one ApplyConfigError naming every failed role and
 * callback; each failure keeps its own error (a StopRoleError for a stop).
 */
function throwIfFailed(failures: RoleFailure[], what = 'Applying configuration'): void {
  if (failures.length === 0) return;
  throw new ApplyConfigError(`${what} failed: ${describeFailures(failures)}`, failures);
}
