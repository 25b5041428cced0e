/**
 * Transactional hot reload of role code (docs/reload.md), a fixed script:
 *
 * 1. `prepare` (state ReloadingRoles): import the new code, register it in a
 *    scratch registry and validate the applied document against it. Any
 *    failure here leaves the old roles running, untouched.
 * 2. Still in `prepare`: hold requests for the routes being replaced, stop the
 *    old roles dependents-first (draining each) collecting their hand-off
 *    state, remove their globals.
 * 3. `configure` (state ConfiguringRoles): start the new roles with the
 *    hand-off. If they fail, stop them and start the previous code again with
 *    the same hand-off and configuration (rolled back).
 *
 * The reloader keeps no code of its own: it is handed the running code and a
 * successful reload returns the next one. Every outcome is a `reload` event.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import { HotReloadError, ValidateConfigError, describeFailures, type RoleFailure } from '../errors.js';
import { errorField, type EventBody, type ReloadEvent } from '../events.js';
import type { LazyLoader } from '../loading/lazy-loader.js';
import { importPackageRole, loadModuleRoles, type ModuleSource, type RoleSource } from './role-sources.js';
import type { RouteTable } from '../http/route-table.js';
import type { RequestHold } from '../http/request-hold.js';
import type { RoleEngine } from '../engine/engine.js';
import type { ApplyPlan } from '../engine/plan.js';
import { instanceId } from '../engine/instances.js';
import { isInstance, messageOf } from '../thrown.js';
import { logThrown } from '../logging/log-thrown.js';
import type { GlobalsTracker, GlobalsTransaction } from './globals.js';
import { reloadArgument } from './role-names.js';
import { moduleListChange } from './module-list.js';
import { runningCode, type RunningCode } from './running-code.js';

export interface ReloadOptions {
  /** Reload only these roles and every enabled role that depends on them. */
  roles?: string[];
  /**
   * The new list of role modules: it replaces every role given as a module
   * specifier (role objects stay). Modules not listed before are loaded, those
   * no longer listed are dropped; with no `roles`, the modules kept are not
   * re-imported. Relative paths are resolved against `baseDir`.
   */
  modules?: (string | URL)[];
  /**
   * The document to apply with the new code (default: the applied one),
   * validated against the new code before the old roles stop. A reload that
   * fails or is rolled back leaves the previous document applied.
   */
  config?: unknown;
}

export interface ReloaderParts {
  engine: RoleEngine;
  /** Where relative module specifiers of `reload({ modules })` are resolved from. */
  baseDir: string;
  loader: LazyLoader;
  routes: RouteTable;
  hold: RequestHold;
  globals: GlobalsTracker;
  log: Logger;
  emit: (event: EventBody) => void;
}

/** What `request` resolved from the caller's options against the running code: which roles, which modules. */
export interface ReloadRequest {
  code: RunningCode;
  /** Roles whose code is re-imported, and their dependents: restarted. */
  affected: string[];
  reimport: ModuleSource[];
  /** The sources the next code starts from (the running ones, less those `modules` dropped), in order. */
  base: readonly RoleSource[];
  /** Sources `modules` dropped: their roles stop, their code is released. */
  removed: RoleSource[];
  /** Module files and packages `modules` added. */
  addedFiles: { specifier: string; path: string }[];
  addedPackages: { specifier: string; path: string | undefined }[];
  /** The document to apply with the new code, when one was given. */
  config: { value: unknown } | undefined;
}

/** What `prepare` hands to `configure`: everything needed to go forward or back. */
export interface ReloadToken {
  request: ReloadRequest;
  next: RunningCode;
  plan: ApplyPlan;
  handoff: Map<string, unknown>;
  restarted: Set<string>;
  loaded: ModuleSource[];
  releaseHold: () => void;
  started: number;
  /** Undoes what the new code did to globalThis if it is rejected. */
  globals: GlobalsTransaction;
  /** Old versions whose stop failed: shown in the status of the instance that replaced them. */
  stopFailures: RoleFailure[];
  /** The document applied before the reload: what a rollback applies again. */
  previousDocument: unknown;
}

/**
 * The error of a reload that failed after the old roles stopped. It carries
 * `previousCodeServing` (ReloadOutcome) so that the machine's ReloadError knows what serves.
 */
function reloadFailure(message: string, previousCodeServing: boolean, failures: RoleFailure[]): HotReloadError {
  return Object.assign(new HotReloadError(message, { cause: failures[0]?.error }), { previousCodeServing });
}

/** The module code a reload replaces or drops: what it stops, and releases once the new code runs. */
function replacedModules(request: ReloadRequest): ModuleSource[] {
  return [...request.reimport, ...request.removed.filter((s): s is ModuleSource => s.kind === 'module')];
}

export class Reloader {
  readonly #parts: ReloaderParts;

  constructor(parts: ReloaderParts) {
    this.#parts = parts;
  }

  /** Resolve reload options against the running code; rejects bad options and unknown roles before any state change. */
  request(code: RunningCode, opts: unknown): ReloadRequest {
    const { roles, modules: entries, config } = reloadArgument(opts);
    if (roles !== undefined) {
      for (const name of roles) {
        if (!code.registry.has(name)) throw new HotReloadError(`Can not reload unknown role "${name}"`);
      }
    }
    const change = entries ? moduleListChange(code, entries, this.#parts.baseDir) : undefined;
    const removedNames = new Set((change?.removed ?? []).map((s) => s.role.name));
    const base = change?.base ?? code.sources;
    const modules = base.filter((s): s is ModuleSource => s.kind === 'module');
    // A new module list alone re-imports nothing it keeps; `roles` (or neither option) says what to re-import.
    const targets = roles ?? (entries ? [] : modules.map((s) => s.role.name));
    const affected = code.registry.getDependents(targets).filter((name) => !removedNames.has(name));
    const set = new Set(affected);
    return {
      code,
      affected,
      reimport: modules.filter((s) => set.has(s.role.name)),
      base,
      removed: change?.removed ?? [],
      addedFiles: change?.addedFiles ?? [],
      addedPackages: change?.addedPackages ?? [],
      config,
    };
  }

  /** The ReloadingRoles half: load and validate, then stop the old roles. */
  async prepare(request: ReloadRequest): Promise<ReloadToken> {
    const started = performance.now();
    const { engine, globals, log } = this.#parts;
    const previousDocument = engine.applied?.doc.source ?? {};
    let loaded: ModuleSource[] = [];
    let next: RunningCode;
    let plan: ApplyPlan;
    const tx = globals.begin();
    try {
      const loader = await this.#parts.loader.get();
      // One load for the re-imported and the added files: a file both import is one instance.
      const files = [...request.reimport.map((s) => ({ specifier: s.specifier, path: s.path })), ...request.addedFiles];
      loaded = await globals.load(
        () => loadModuleRoles(loader, files),
        (mods) => mods.map((m) => m.role),
      );
      const byPath = new Map(loaded.map((m) => [m.path, m]));
      const packages: RoleSource[] = [];
      for (const p of request.addedPackages) {
        packages.push({ kind: 'package', specifier: p.specifier, role: await importPackageRole(p.specifier, p.path, this.#parts.baseDir) });
      }
      const added = request.addedFiles.map((f) => byPath.get(f.path)!);
      const kept = request.base.map((s) => (s.kind === 'module' && request.reimport.includes(s) && byPath.get(s.path)) || s);
      const sources: RoleSource[] = [...kept, ...added, ...packages];
      next = runningCode(sources, request.code.generation + 1);
      plan = await engine.plan(request.config ? request.config.value : previousDocument, next.registry);
    } catch (err) {
      // Rejected code leaves no global behind (and gives back what it overwrote).
      globals.abort(tx, loaded.map((m) => m.role));
      const error = new HotReloadError(`Reload failed, the previous code keeps running: ${describe(err)}`, { cause: err });
      this.#report(request, started, 'failed', true, error);
      throw error;
    }

    // Point of no return: the old roles stop. Every instance whose role is
    // affected, replaced or gone is restarted.
    const wanted = new Map(plan.instances.map((p) => [p.id, p]));
    const affected = new Set(request.affected);
    const restart = engine.stopOrder((inst) => affected.has(inst.name) || wanted.get(inst.id)?.role !== inst.role);
    const restarted = new Set(restart.map((i) => i.id));
    const releaseHold = this.#parts.hold.hold(this.#parts.routes.snapshot((e) => restarted.has(instanceId(e.role, e.host))));
    const stopFailures: RoleFailure[] = [];
    let handoff: Map<string, unknown>;
    try {
      // A failed stop is logged where it happens (the callback gate); the role counts as stopped.
      handoff = await engine.stopInstances(restart, stopFailures);
      for (const old of replacedModules(request)) {
        const successor = loaded.find((m) => m.path === old.path)?.role;
        const removed = globals.removeReplaced(old.role, successor);
        if (removed.length > 0) log.info({ role: old.role.name, globals: removed }, 'removed globals of replaced code');
      }
    } catch (err) {
      // Nothing above should throw (a failing stop is recorded, not thrown); if something does,
      // held requests must still not wait for a swap that will never end (503 until the hold times out).
      releaseHold();
      throw err;
    }
    return { request, next, plan, handoff, restarted, loaded, releaseHold, started, globals: tx, stopFailures, previousDocument };
  }

  /** The ConfiguringRoles half of a reload: start the new code and return it, or roll back to the old and throw. */
  async configure(token: ReloadToken): Promise<RunningCode> {
    const { engine } = this.#parts;
    try {
      const { failures } = await engine.configure(token.plan, { isReload: true, handoff: token.handoff });
      if (failures.length === 0) {
        this.#parts.globals.commit(token.globals);
        (await this.#parts.loader.get()).release(replacedModules(token.request).map((s) => s.loaded));
        // The new version runs, but its predecessor did not stop cleanly: say so where operators look.
        for (const f of token.stopFailures) {
          engine.setStatus(instanceId(f.role, f.host), 'warn', `the previous version's stop failed: ${messageOf(f.error)}`);
        }
        this.#report(token.request, token.started, 'ok', false, undefined, token.next.generation);
        return token.next;
      }
      const rollbackFailures = await this.#rollback(token);
      const rolledBack = rollbackFailures.length === 0;
      const summary = describeFailures(failures);
      const error = reloadFailure(
        rolledBack
          ? `Reload rolled back, the previous code is serving again: ${summary}`
          : `Reload failed and the previous code could not be started again: ${summary}; ` +
              `starting the previous code failed: ${describeFailures(rollbackFailures)}`,
        rolledBack,
        failures,
      );
      this.#report(token.request, token.started, rolledBack ? 'rolled-back' : 'failed', rolledBack, error);
      throw error;
    } finally {
      token.releaseHold();
    }
  }

  /** Stop the new roles and start the previous code with the same hand-off and configuration; returns what failed. */
  async #rollback(token: ReloadToken): Promise<RoleFailure[]> {
    const { engine, globals, log } = this.#parts;
    const previous = token.request.code.registry;
    const failures: RoleFailure[] = [];
    await engine.stopInstances(
      engine.stopOrder((i) => token.restarted.has(i.id) || !previous.has(i.name)),
      failures,
    );
    globals.abort(
      token.globals,
      token.loaded.map((m) => m.role),
    );
    (await this.#parts.loader.get()).release(token.loaded.map((s) => s.loaded));
    try {
      const plan = await engine.plan(token.previousDocument, previous);
      failures.push(...(await engine.configure(plan, { isReload: true, handoff: token.handoff })).failures);
    } catch (err) {
      // Callback failures are logged where they happen (the callback gate); this one is not a callback's.
      logThrown(log, 'error', {}, err, 'rollback: the previous code could not be planned');
      failures.push({ role: '*', phase: 'init', error: err });
    }
    return failures;
  }

  #report(
    request: ReloadRequest,
    started: number,
    result: ReloadEvent['result'],
    previousCodeServing: boolean,
    error: unknown,
    generation = request.code.generation,
  ): void {
    this.#parts.emit({
      type: 'reload',
      result,
      roles: [...request.affected, ...request.removed.map((s) => s.role.name)],
      generation,
      durationMs: performance.now() - started,
      previousCodeServing,
      ...errorField(error),
    });
  }
}

function describe(err: unknown): string {
  const message = messageOf(err);
  return isInstance(err, ValidateConfigError) ? `the new code rejects the configuration: ${message}` : message;
}
