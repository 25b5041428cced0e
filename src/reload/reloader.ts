/**
 * Transactional hot reload of role code (API.md section 4), a fixed script:
 *
 * 1. `prepare` (state ReloadingRoles): import the new code, register it in a
 *    scratch registry and validate the applied document against it. Any
 *    failure here leaves the old roles running, untouched.
 * 2. Still in `prepare`: hold requests for the routes being replaced, stop the
 *    old roles dependents-first collecting their hand-off state, remove their
 *    globals, swap the registry.
 * 3. `configure` (state ConfiguringRoles): start the new roles with the
 *    hand-off. If they fail, stop them and start the previous code again with
 *    the same hand-off and configuration (rolled back).
 * @module
 */
import type { Logger } from '../logging/logger.js';
import { HotReloadError, ValidateConfigError, describeFailures, errorSummary, type RoleFailure } from '../errors.js';
import { RoleRegistry } from '../roles/registry.js';
import type { AnyRole } from '../roles/role.js';
import type { LazyLoader } from '../loading/lazy-loader.js';
import type { RoleLoader } from '../loading/types.js';
import { loadModuleRoles, type ModuleSource, type RoleSource } from './role-sources.js';
import type { RouteTable } from '../http/route-table.js';
import type { RequestHold } from '../http/request-hold.js';
import type { RoleEngine } from '../engine/engine.js';
import { planApply, type ApplyPlan } from '../engine/plan.js';
import { instanceId } from '../engine/instances.js';
import { isInstance } from '../thrown.js';
import { logThrown } from '../logging/log-thrown.js';
import type { GlobalsTracker, GlobalsTransaction } from './globals.js';
import { reloadRolesArgument } from './role-names.js';
import { changedFiles } from './update-list.js';

export interface ReloadOptions {
  /** Reload only these roles and every enabled role that depends on them. */
  roles?: string[];
}

export interface ReloadStatus {
  result: 'ok' | 'failed' | 'rolled-back';
  previousCodeServing: boolean;
  error?: { name: string; message: string };
  /** ISO time the reload ended. */
  at: string;
  /** Roles that were restarted (or were to be). */
  roles: string[];
  durationMs: number;
}

export interface ReloaderParts {
  sources: RoleSource[];
  registry: RoleRegistry;
  engine: RoleEngine;
  loader: LazyLoader;
  routes: RouteTable;
  hold: RequestHold;
  globals: GlobalsTracker;
  log: Logger;
  validateTimeoutMs: number;
}

/** What `request` resolved from the caller's options: which roles, which modules. */
interface ReloadRequest {
  affected: string[];
  reimport: ModuleSource[];
}

/** What `prepare` hands to `configure`: everything needed to go forward or back. */
interface ReloadToken {
  request: ReloadRequest;
  plan: ApplyPlan;
  handoff: Map<string, unknown>;
  restarted: Set<string>;
  previous: { registry: RoleRegistry; sources: RoleSource[] };
  loaded: ModuleSource[];
  releaseHold: () => void;
  started: number;
  /** Undoes what the new code did to globalThis if it is rejected. */
  globals: GlobalsTransaction;
  /** Old versions whose stop failed: shown in the status of the instance that replaced them. */
  stopFailures: RoleFailure[];
}

/**
 * The error of a reload that failed after the old roles stopped. It carries
 * `previousCodeServing` (ReloadOutcome) so that the machine's ReloadError knows what serves.
 */
function reloadFailure(message: string, previousCodeServing: boolean, failures: RoleFailure[]): HotReloadError {
  return Object.assign(new HotReloadError(message, { cause: failures[0]?.error }), { previousCodeServing });
}

export class Reloader {
  registry: RoleRegistry;
  sources: RoleSource[];
  generation = 0;
  lastStatus: ReloadStatus | undefined;
  readonly #parts: ReloaderParts;
  /** Roles that came from modules: only their globals are tracked (object roles are never reloaded). */
  readonly #moduleRoles = new WeakSet<AnyRole>();

  constructor(parts: ReloaderParts) {
    this.#parts = parts;
    this.registry = parts.registry;
    this.sources = parts.sources;
    for (const s of this.moduleSources) this.#moduleRoles.add(s.role);
  }

  get moduleSources(): ModuleSource[] {
    return this.sources.filter((s): s is ModuleSource => s.kind === 'module');
  }

  #getLoader(): Promise<RoleLoader> {
    return this.#parts.loader.get();
  }

  /** Resolve reload options against the registry; rejects bad options and unknown roles before any state change. */
  request(opts: unknown): ReloadRequest {
    const modules = this.moduleSources;
    const roles = reloadRolesArgument(opts);
    let targets: string[];
    if (roles !== undefined) {
      for (const name of roles) {
        if (!this.registry.has(name)) throw new HotReloadError(`Can not reload unknown role "${name}"`);
      }
      targets = roles;
    } else {
      targets = modules.map((s) => s.role.name);
    }
    const affected = this.registry.getDependents(targets);
    const set = new Set(affected);
    return { affected, reimport: modules.filter((s) => set.has(s.role.name)) };
  }

  /** The ReloadingRoles half: load and validate, then stop the old roles. */
  async prepare(input: unknown): Promise<ReloadToken> {
    const request = input as ReloadRequest;
    const started = performance.now();
    const { engine, globals, log } = this.#parts;
    let loaded: ModuleSource[] = [];
    let registry: RoleRegistry;
    let plan: ApplyPlan;
    const sources = [...this.sources];
    const tx = globals.begin();
    try {
      const loader = await this.#getLoader();
      loaded = await globals.load(
        () => loadModuleRoles(loader, request.reimport),
        (mods) => mods.map((m) => m.role),
      );
      for (const mod of loaded) this.#moduleRoles.add(mod.role);
      for (const mod of loaded) sources[sources.findIndex((s) => s.kind === 'module' && s.path === mod.path)] = mod;
      registry = new RoleRegistry(sources.map((s) => s.role));
      plan = await this.#plan(engine.applied?.doc.source ?? {}, registry);
    } catch (err) {
      // Rejected code leaves no global behind (and gives back what it overwrote).
      globals.abort(tx, loaded.map((m) => m.role));
      const error = new HotReloadError(`Reload failed, the previous code keeps running: ${describe(err)}`, { cause: err });
      this.#record('failed', true, error, request.affected, started);
      throw error;
    }

    // Point of no return: the old roles stop. Every instance whose role is
    // affected, replaced or gone is restarted.
    const wanted = new Map(plan.instances.map((p) => [p.id, p]));
    const affected = new Set(request.affected);
    const restart = engine.stopOrder((inst) => affected.has(inst.name) || wanted.get(inst.id)?.role !== inst.role);
    const restarted = new Set(restart.map((i) => i.id));
    const releaseHold = this.#parts.hold.hold(
      this.#parts.routes.snapshot((e) => restarted.has(instanceId(e.role, e.host))),
    );
    const stopFailures: RoleFailure[] = [];
    let handoff: Map<string, unknown>;
    try {
      // A failed stop is logged where it happens (callRole); the role counts as stopped.
      handoff = await engine.stopInstances(restart, stopFailures);

      for (const old of request.reimport) {
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
    const previous = { registry: this.registry, sources: this.sources };
    this.registry = registry;
    this.sources = sources;
    return { request, plan, handoff, restarted, previous, loaded, releaseHold, started, globals: tx, stopFailures };
  }

  /** The ConfiguringRoles half of a reload: start the new code, or roll back to the old. */
  async configure(input: unknown): Promise<void> {
    const token = input as ReloadToken;
    const { engine, log } = this.#parts;
    try {
      const failures = await engine.configure(token.plan, { isReload: true, handoff: token.handoff });
      if (failures.length === 0) {
        this.#parts.globals.commit(token.globals);
        this.generation += 1;
        (await this.#getLoader()).release(token.request.reimport.map((s) => s.loaded));
        // The new version runs, but its predecessor did not stop cleanly: say so where operators look.
        for (const f of token.stopFailures) {
          engine.setStatus(instanceId(f.role, f.host), 'warn', `the previous version's stop failed: ${errorSummary(f.error).message}`);
        }
        this.#record('ok', false, undefined, token.request.affected, token.started);
        log.info({ generation: this.generation, roles: token.request.affected }, 'reloaded role code');
        return;
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
      this.#record(rolledBack ? 'rolled-back' : 'failed', rolledBack, error, token.request.affected, token.started);
      throw error;
    } finally {
      token.releaseHold();
    }
  }

  /** Stop the new roles and start the previous code with the same hand-off and configuration; returns what failed. */
  async #rollback(token: ReloadToken): Promise<RoleFailure[]> {
    const { engine, globals, log } = this.#parts;
    const failures: RoleFailure[] = [];
    await engine.stopInstances(
      engine.stopOrder((i) => token.restarted.has(i.id) || !token.previous.registry.has(i.name)),
      failures,
    );
    globals.abort(
      token.globals,
      token.loaded.map((m) => m.role),
    );
    this.registry = token.previous.registry;
    this.sources = token.previous.sources;
    (await this.#getLoader()).release(token.loaded.map((s) => s.loaded));
    try {
      const plan = await this.#plan(token.plan.doc.source, this.registry);
      failures.push(...(await engine.configure(plan, { isReload: true, handoff: token.handoff })));
    } catch (err) {
      // Callback failures are logged where they happen (callRole); this one is not a callback's.
      logThrown(log, 'error', {}, err, 'rollback: the previous code could not be planned');
      failures.push({ role: '*', phase: 'init', error: err });
    }
    return failures;
  }

  /** The validate phase of the applied document against a registry (new code, or the previous one on rollback). */
  #plan(doc: unknown, registry: RoleRegistry): Promise<ApplyPlan> {
    const { engine, log } = this.#parts;
    return planApply(doc, {
      registry,
      previous: (name, host) => engine.previousSection(name, host),
      timeoutMs: this.#parts.validateTimeoutMs,
      log,
      scope: engine.scope,
    });
  }

  #record(
    result: ReloadStatus['result'],
    previousCodeServing: boolean,
    error: unknown,
    roles: string[],
    started: number,
  ): void {
    this.lastStatus = {
      result,
      previousCodeServing,
      ...(error !== undefined ? { error: errorSummary(error) } : {}),
      at: new Date().toISOString(),
      roles,
      durationMs: performance.now() - started,
    };
  }

  updateList(): Promise<{ files: string[]; roles: string[] }> {
    return changedFiles(this.moduleSources);
  }

  /** Every application file of the loaded role code (what watch mode watches). */
  loadedFiles(): string[] {
    return [...new Set(this.moduleSources.flatMap((s) => s.loaded.files.map((f) => f.path)))];
  }

  /** Whether a role came from a module (only those get their globals tracked). */
  isModuleRole(role: AnyRole): boolean {
    return this.#moduleRoles.has(role);
  }

  async close(): Promise<void> {
    await this.#parts.loader.close();
  }
}

function describe(err: unknown): string {
  const message = errorSummary(err).message;
  return isInstance(err, ValidateConfigError) ? `the new code rejects the configuration: ${message}` : message;
}
