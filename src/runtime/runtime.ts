/**
 * The runtime: wiring only. The lifecycle machine decides what may happen,
 * the engine runs role callbacks, the reloader swaps code; this file connects
 * them, holds the running code, enforces that state-changing calls never
 * overlap, and reports what happened as events.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import { createActor, fromPromise, type Actor } from 'xstate';
import { ApplyConfigError, BusyError, HotReloadError, StateError, StopRoleError, describeFailures, type RoleFailure } from '../errors.js';
import { errorField, type EventBus, type EventListener, type EventType, type InstanceRef, type RolekitEvent } from '../events.js';
import { logThrown } from '../logging/log-thrown.js';
import {
  applyRefusal,
  isBusy,
  lifecycleMachine,
  reloadRefusal,
  stateOf,
  type LifecycleSnapshot,
  type LifecycleStateName,
} from '../machines/lifecycle.js';
import { reachableStates } from '../machines/reachability.js';
import type { RoleSelection } from '../roles/registry.js';
import type { Reloader, ReloadOptions, ReloadRequest, ReloadToken } from '../reload/reloader.js';
import { updateRolesArgument } from '../reload/role-names.js';
import { loadedFiles, moduleSources, type RunningCode } from '../reload/running-code.js';
import { changedFiles } from '../reload/update-list.js';
import type { LazyLoader } from '../loading/lazy-loader.js';
import type { ConfigureReport, RoleEngine } from '../engine/engine.js';
import type { ApplyPlan } from '../engine/plan.js';
import { diffDocuments, type ConfigDiff } from '../engine/diff.js';
import type { RuntimeOptions } from './options.js';
import { buildStatus, reloadStatusOf, type RuntimeStatus } from './status.js';
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
  /** rt.fetch, built over the route table the engine registers into. */
  fetch: (request: Request) => Promise<Response>;
  engine: RoleEngine;
  reloader: Reloader;
  loader: LazyLoader;
  events: EventBus;
  code: RunningCode;
}

/** What the machine's configure actor is asked to do: apply a plan, or finish a reload. */
type ConfigureRequest = { kind: 'apply'; plan: ApplyPlan } | { kind: 'reload'; token: ReloadToken };

export class Runtime {
  readonly #log: Logger;
  readonly #engine: RoleEngine;
  readonly #reloader: Reloader;
  readonly #loader: LazyLoader;
  readonly #events: EventBus;
  readonly #actor: Actor<typeof lifecycleMachine>;
  readonly #listeners = new Set<(change: StateChange) => void>();
  #busy: Promise<unknown> | undefined;
  #state: LifecycleStateName;
  /** The code that runs; a successful reload replaces it. */
  #code: RunningCode;
  /** What the last configure run did (for the apply event). */
  #report: ConfigureReport | undefined;
  #lastReload: RolekitEvent<'reload'> | undefined;

  /** @internal Use createRuntime(). */
  constructor(options: RuntimeOptions, deps: RuntimeParts) {
    const { log } = deps;
    this.#log = log;
    this.#engine = deps.engine;
    this.#reloader = deps.reloader;
    this.#loader = deps.loader;
    this.#events = deps.events;
    this.#code = deps.code;
    this.fetch = deps.fetch;
    this.#events.on('reload', (event) => (this.#lastReload = event));

    const machine = lifecycleMachine.provide({
      actors: {
        configure: fromPromise(async ({ input }) => {
          await observersNotified();
          const request = input.request as ConfigureRequest;
          if (request.kind === 'reload') {
            this.#code = await this.#reloader.configure(request.token);
            return;
          }
          this.#report = await this.#engine.configure(request.plan, { isReload: false });
          throwIfFailed(this.#report.failures);
        }),
        reload: fromPromise(async ({ input }) => {
          await observersNotified();
          const token = await this.#reloader.prepare(input.request as ReloadRequest);
          return { kind: 'reload', token } satisfies ConfigureRequest;
        }),
        shutdown: fromPromise(async () => {
          await observersNotified();
          const failures = await this.#engine.stopAll();
          await this.#loader.close();
          if (failures.length > 0) {
            throw new StopRoleError(`Stopping failed: ${describeFailures(failures)}`, { cause: failures[0]!.error, failures });
          }
        }),
      },
    });
    this.#actor = createActor(machine, { input: { reloadAllowed: options.reloadAllowed ?? false }, inspect: options.inspect });
    this.#state = 'Unconfigured';
    this.#actor.subscribe({
      next: (snapshot) => {
        const state = stateOf(snapshot);
        if (state === this.#state) return;
        const change: StateChange = { state, prev: this.#state, error: snapshot.context.error };
        this.#state = state;
        logStateChange(this.#log, change);
        this.#events.emit({ type: 'state', state, prev: change.prev, ...errorField(change.error) });
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
    return stateOf(this.#actor.getSnapshot());
  }

  get error(): unknown {
    return this.#actor.getSnapshot().context.error;
  }

  get generation(): number {
    return this.#code.generation;
  }

  /** The underlying xstate actor (for inspection). */
  get actor(): Actor<typeof lifecycleMachine> {
    return this.#actor;
  }

  get #registry() {
    return this.#code.registry;
  }

  /**
   * Listen to the runtime's events (`'*'` for all): plain JSON-ready data,
   * numbered by `seq`. Returns an unsubscribe function. A listener that
   * throws is logged and disturbs nothing.
   *
   * @example
   * rt.on('reload', (e) => console.log(e.result, e.roles, e.durationMs));
   */
  on<T extends EventType | '*'>(type: T, listener: EventListener<T>): () => void {
    return this.#events.on(type, listener);
  }

  /** Validate everything, then apply. Resolves when RolesConfigured, rejects otherwise. */
  applyConfig(doc: unknown): Promise<void> {
    return this.#exclusive('applyConfig', async () => {
      const started = performance.now();
      let plan: ApplyPlan;
      try {
        // Refuse before running any role code: validating a document that can not be applied helps nobody.
        const refusal = applyRefusal(this.#actor.getSnapshot());
        if (refusal !== undefined) throw new StateError(refusal);
        plan = await this.#engine.plan(doc, this.#registry, 'diff');
      } catch (err) {
        this.#emitApply('rejected', started, undefined, err);
        throw err;
      }
      this.#report = undefined;
      this.#actor.send({ type: 'APPLY', request: { kind: 'apply', plan } satisfies ConfigureRequest });
      const settled = await this.#settle();
      const ok = stateOf(settled) === 'RolesConfigured';
      this.#emitApply(ok ? 'ok' : 'failed', started, this.#report, ok ? undefined : settled.context.error);
      await this.#finish(settled, plan);
    });
  }

  /** Dry run of the validate phase: only validateConfig callbacks run (those applyConfig would run). */
  async validateConfig(doc: unknown): Promise<void> {
    await this.#engine.plan(doc, this.#registry, 'diff');
  }

  /**
   * What applying `next` would start, stop, re-apply and leave alone
   * (docs/hosts.md), without running any role code: no schema parse, no
   * callback. Against what runs now, or against the document `against`.
   * Throws ValidateConfigError for the structural issues applyConfig would
   * report (those of `next` first, then those of `against`).
   *
   * @example
   * const { start, stop, reapply, unchanged } = rt.diffConfig(next);
   * // start: [{ role: 'site', host: 'new.example.com' }], unchanged: [...999 hosts]
   */
  diffConfig(next: unknown, against?: unknown): ConfigDiff {
    if (against === undefined) return this.#engine.diff(next, this.#registry);
    return diffDocuments(next, against, this.#registry);
  }

  /** Hot-reload role code from disk (all module roles, or `roles` and their dependents). */
  reload(opts: ReloadOptions = {}): Promise<void> {
    return this.#exclusive('reload', async () => {
      const refusal = reloadRefusal(this.#actor.getSnapshot());
      if (refusal !== undefined) throw new HotReloadError(refusal);
      const request = this.#reloader.request(this.#code, opts);
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
      state: stateOf(snapshot),
      generation: this.generation,
      error: snapshot.context.error,
      reload: this.#lastReload && reloadStatusOf(this.#lastReload),
      engine: this.#engine,
    });
  }

  /** Loaded files whose content changed on disk, and the roles they affect (ejabberd update_list). */
  updateList(): Promise<{ files: string[]; roles: string[] }> {
    return changedFiles(moduleSources(this.#code));
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

  /** @internal Every application file of the loaded role code (what watch mode watches). */
  loadedFiles(): string[] {
    return loadedFiles(this.#code);
  }

  /** @internal The code that runs now (watch mode maps changed files to their roles with it). */
  runningCode(): RunningCode {
    return this.#code;
  }

  #appliedSelection(): RoleSelection {
    return this.#engine.applied?.doc.roles ?? [];
  }

  #emitApply(result: 'ok' | 'failed' | 'rejected', started: number, report: ConfigureReport | undefined, error: unknown): void {
    const none: InstanceRef[] = [];
    this.#events.emit({
      type: 'apply',
      result,
      durationMs: performance.now() - started,
      started: report?.started ?? none,
      stopped: report?.stopped ?? none,
      applied: report?.applied ?? none,
      ...errorField(error),
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

  /** Wait until the machine leaves its busy states. */
  #settle(): Promise<LifecycleSnapshot> {
    return new Promise<LifecycleSnapshot>((resolve) => {
      let sub: { unsubscribe(): void } | undefined;
      const check = (): boolean => {
        const s = this.#actor.getSnapshot();
        if (isBusy(s)) return false;
        sub?.unsubscribe();
        resolve(s);
        return true;
      };
      if (!check()) sub = this.#actor.subscribe(() => void check());
    });
  }

  /**
   * After an apply or reload settled: onApplyConfig with the state reached
   * (but for the instances the apply left alone), then reject unless RolesConfigured.
   */
  async #finish(snapshot: LifecycleSnapshot, plan?: ApplyPlan): Promise<void> {
    const state = stateOf(snapshot);
    if (this.#engine.applied) await this.#engine.notifyApplied(this.#engine.applied.doc.source, state, plan);
    if (state === 'RolesConfigured') return;
    throw snapshot.context.error ?? new StateError(`Ended in state "${state}"`);
  }
}

function busyError(what: string): BusyError {
  return new BusyError(`Can not ${what}: another state-changing call is in progress`);
}

/**
 * Turn failures into one ApplyConfigError naming every failed role and
 * callback; each failure keeps its own error (a StopRoleError for a stop).
 */
function throwIfFailed(failures: RoleFailure[]): void {
  if (failures.length === 0) return;
  throw new ApplyConfigError(`Applying configuration failed: ${describeFailures(failures)}`, failures);
}
