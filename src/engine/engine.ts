/**
 * The role engine: the running role instances and the apply phase that
 * starts, applies and stops them for a validated plan. It knows nothing of the
 * lifecycle machine; the machine's actors call into it.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import { RoleUnavailableError, StopRoleError, roleLabel, type RoleFailure } from '../errors.js';
import { messageOf, readSafely } from '../thrown.js';
import { createRoleContext, type OwnedRoleContext } from '../roles/context/role-context.js';
import type { RouteTable } from '../http/route-table.js';
import type { AnyRole, LifecycleState } from '../roles/role.js';
import type { StatusOptions, StatusType } from '../roles/context/types.js';
import { TIMEOUT_OF, callRole } from './callbacks.js';
import { instanceRef, statusEvent, type EventBody, type InstanceRef, type RoleCallback } from '../events.js';
import { logThrown } from '../logging/log-thrown.js';
import { InstanceIds, clearSystemError, instanceId, isStatusType, newInstance, setOwnStatus, setSystemError, type RoleInstance } from './instances.js';
import { planApply, type ApplyPlan, type InstancePlan } from './plan.js';
import { diffResolution, type AppliedSection, type AppliedState, type ConfigDiff } from './diff.js';
import { resolveDocument } from './resolve.js';
import { UNCOMPARABLE, plainCopy } from '../utils/deep-equal.js';
import type { Timeouts } from './timeouts.js';
import type { RoleRegistry } from '../roles/registry.js';

/** The contexts of an instance that serve requests: its own and its host parts'. */
function contextsOf(inst: RoleInstance): OwnedRoleContext[] {
  return inst.context ? [...inst.hostParts.values(), inst.context] : [...inst.hostParts.values()];
}

/** Runs around every call into a role's code (the reload layer uses it to attribute new globals to a role). */
export type CallScope = <T>(role: AnyRole, fn: () => Promise<T>) => Promise<T>;

export interface EngineOptions {
  log: Logger;
  timeouts: Timeouts;
  routes: RouteTable;
  scope?: CallScope;
  /** Where callback and status events go. */
  emit: (event: EventBody) => void;
}

/** What one configure run did, for the `apply` event: which instances started, stopped, were applied. */
export interface ConfigureReport {
  failures: RoleFailure[];
  started: InstanceRef[];
  stopped: InstanceRef[];
  applied: InstanceRef[];
}

export interface ConfigureOptions {
  /** True when roles start after a code reload: init sees `ctx.isReload` and `ctx.restored`. */
  isReload: boolean;
  /** Hand-off state by instance id, from the previous version's stop. */
  handoff?: ReadonlyMap<string, unknown>;
}

const passThrough: CallScope = (_role, fn) => fn();

/** How a plan treats what runs: `diff` leaves unchanged host instances alone, `full` validates and applies everything. */
export type PlanMode = 'diff' | 'full';

/** A global instance's last apply completed: nothing to compare, global instances are re-applied every time. */
const GLOBAL_APPLIED: AppliedSection = Object.freeze({ raw: UNCOMPARABLE });

export class RoleEngine {
  readonly instances = new Map<string, RoleInstance>();
  /** The plan last applied (whatever the outcome); undefined before the first apply. */
  applied: ApplyPlan | undefined;
  #order: string[] = [];
  readonly #ids = new InstanceIds();
  #options: EngineOptions;
  /** Runs around every call into role code; the validate phase uses it too. */
  readonly scope: CallScope;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.scope = options.scope ?? passThrough;
  }

  /** The service API of a running role; a host's own instance wins over the global one. */
  service(name: string, host?: string): unknown {
    const inst = (host !== undefined && this.instances.get(instanceId(name, host))) || this.instances.get(instanceId(name, undefined));
    if (!inst || !inst.running) {
      throw new RoleUnavailableError(`${roleLabel(name, host)} is not running`);
    }
    return inst.service;
  }

  /** Set an instance's status from outside the apply (the reload reports on the version it replaced). */
  setStatus(id: string, type: StatusType, message: string): void {
    const inst = this.instances.get(id);
    if (inst) this.#setOwnStatus(inst, type, message);
  }

  // Every status change goes through these three, so that each visible change is one `status` event.

  /** A status the role set (ctx.setStatus) or a tolerated failure: Prosody's rule (instances.ts). */
  #setOwnStatus(inst: RoleInstance, type: StatusType, message: string | undefined, options?: StatusOptions): void {
    if (setOwnStatus(inst, type, message, options)) this.#emitStatus(inst);
  }

  /**
   * ctx.setStatus, called by role code with anything: an unknown type is taken as `info`
   * and logged (Prosody does the same), a message that is not a string is described.
   */
  #ctxSetStatus(inst: RoleInstance, type: unknown, message: unknown, options: unknown): void {
    let known: StatusType = 'info';
    if (isStatusType(type)) known = type;
    else this.#options.log.error({ role: inst.name, host: inst.host }, `setStatus: invalid status type ${messageOf(type)}, assuming "info"`);
    const text = message === undefined || typeof message === 'string' ? message : messageOf(message);
    const override = readSafely(options, 'override');
    const shown = inst.status;
    this.#setOwnStatus(inst, known, text, typeof override === 'boolean' ? { override } : undefined);
    // A role reporting its own error is one log line, as a failed callback is (the callback gate
    // logs those); the same error said again is not a new line.
    if (known === 'error' && inst.status !== shown && (shown.type !== 'error' || shown.message !== inst.status.message)) {
      this.#options.log.warn({ role: inst.name, host: inst.host, status: inst.status }, `${roleLabel(inst.name, inst.host)} status error${text === undefined ? '' : `: ${text}`}`);
    }
  }

  #setSystemError(inst: RoleInstance, message: string): void {
    setSystemError(inst, message);
    this.#emitStatus(inst);
  }

  #emitStatus(inst: RoleInstance): void {
    this.#options.emit(statusEvent(instanceRef(inst.name, inst.host), inst.status));
  }

  /**
   * The validate phase of `doc` against `registry` (the running code's, or a
   * reload's new one): what would run, with validateConfig called for every
   * instance (`full`), or for every instance but the unchanged host instances
   * and per-host parts (`diff`, a plain apply: docs/hosts.md).
   */
  plan(doc: unknown, registry: RoleRegistry, mode: PlanMode = 'full'): Promise<ApplyPlan> {
    return planApply(doc, {
      registry,
      previous: (name, host) => this.previousSection(name, host),
      call: (role, host, fn) => this.#callRole(role, host, 'validateConfig', fn),
      applied: mode === 'diff' ? this.#appliedState : undefined,
      idOf: this.#ids.of,
    });
  }

  /** What applying `doc` with `registry` would start, stop, re-apply and leave alone; runs no role code. */
  diff(doc: unknown, registry: RoleRegistry): ConfigDiff {
    return diffResolution(resolveDocument(doc, registry, this.#ids.of), this.#appliedState);
  }

  /** The running instances, as the diff reads them. */
  readonly #appliedState: AppliedState = {
    get: (id) => {
      const inst = this.instances.get(id);
      return inst?.running ? inst : undefined;
    },
    stopOrder: () => this.stopOrder((inst) => inst.running),
  };

  /** Section currently applied for an instance, or for a shared role's per-host part (validateConfig's `prev`). */
  previousSection(name: string, host: string | undefined): unknown {
    const inst = this.instances.get(instanceId(name, host));
    if (inst) return inst.section;
    if (host === undefined) return undefined;
    return this.instances.get(instanceId(name, undefined))?.hostParts.get(host)?.ctx.config;
  }

  /** Running instances in stop order: dependents first. */
  stopOrder(filter: (inst: RoleInstance) => boolean = () => true): RoleInstance[] {
    const out: RoleInstance[] = [];
    let known = 0;
    for (let i = this.#order.length - 1; i >= 0; i--) {
      const inst = this.instances.get(this.#order[i]!);
      if (inst === undefined) continue;
      known++;
      if (filter(inst)) out.push(inst);
    }
    if (known === this.instances.size) return out;
    // Instances the last plan did not order (none, as configure keeps them): last in, first out.
    const ordered = new Set(this.#order);
    const extra = [...this.instances.values()].filter((inst) => !ordered.has(inst.id) && filter(inst)).reverse();
    return [...extra, ...out];
  }

  /**
   * The copies of what one configure run applied, by the section object: the
   * hosts that inherit a top-level section share one copy of it, so the next
   * apply compares each (section, copy) pair once (diff.ts), not once a host.
   */
  #copies = new WeakMap<object, unknown>();

  #copyOf(raw: unknown): unknown {
    if (typeof raw !== 'object' || raw === null) return plainCopy(raw);
    let copy = this.#copies.get(raw);
    if (copy === undefined) this.#copies.set(raw, (copy = plainCopy(raw)));
    return copy;
  }

  /**
   * The apply phase for a validated plan: stop what is no longer enabled
   * (dependents first), then init (when not running) and applyConfig every
   * enabled instance, dependencies first. A failing role does not stop the
   * others; roles depending on it are skipped. Returns every failure.
   */
  async configure(plan: ApplyPlan, options: ConfigureOptions): Promise<ConfigureReport> {
    // A caller may change its section objects between applies: copies are shared within one run only.
    this.#copies = new WeakMap();
    const report: ConfigureReport = { failures: [], started: [], stopped: [], applied: [] };
    const wanted = new Map<string, AnyRole>();
    for (const p of plan.instances) wanted.set(p.id, p.role);
    const gone = this.stopOrder((i) => wanted.get(i.id) !== i.role);
    const wasRunning = gone.filter((i) => i.running);
    await this.stopInstances(gone, report.failures);
    for (const inst of wasRunning) report.stopped.push(instanceRef(inst.name, inst.host));
    for (const inst of gone) this.instances.delete(inst.id);
    // A replaced instance's status was reported: say when its successor starts from a clean one.
    const goneStatus = new Map<string, StatusType>();
    for (const i of gone) goneStatus.set(i.id, i.status.type);
    this.#order = Array.from(wanted.keys());
    for (const p of plan.instances) {
      let inst = this.instances.get(p.id);
      // Left alone (docs/hosts.md). The plan saw what runs a moment ago; the check is that nothing moved since.
      if (p.unchanged && inst?.running && inst.role === p.role && inst.applied) continue;
      if (!inst) {
        inst = newInstance(p.role, p.host);
        const before = goneStatus.get(p.id);
        if (before !== undefined && before !== inst.status.type) this.#options.emit(statusEvent(instanceRef(inst.name, inst.host), inst.status));
      }
      this.instances.set(p.id, inst);
      await this.#bring(inst, p, options, report);
    }
    this.applied = plan;
    // Ids of documents planned but not applied, and of instances gone, once they outnumber what runs.
    if (this.#ids.size > 2 * this.instances.size + 64) this.#ids.prune((id) => this.instances.has(id));
    return report;
  }

  async #bring(inst: RoleInstance, p: InstancePlan, options: ConfigureOptions, report: ConfigureReport): Promise<void> {
    const { failures } = report;
    inst.applied = undefined;
    const missing = p.role.dependencies.find((dep) => !this.#dependencyRunning(dep, p.host));
    if (missing !== undefined) {
      // Cartridge semantics: the dependent is skipped, not stopped; the next apply retries.
      const what = inst.running ? 'applyConfig skipped' : 'not started';
      this.#setSystemError(inst, `${what}: dependency "${missing}" is not running`);
      return;
    }
    if (!inst.running) {
      inst.role = p.role;
      const ok = await this.#init(inst, p, options, failures);
      if (!ok) return;
      report.started.push(instanceRef(inst.name, inst.host));
    }
    inst.section = p.section;
    inst.context!.setConfig(p.section);
    try {
      // No callback, no timer: with thousands of roles the time limit's setTimeout is most of the cost.
      if (inst.role.applyConfig) await this.#call(inst, 'applyConfig', () => inst.role.applyConfig!(p.section, inst.context!.ctx));
    } catch (err) {
      this.#fail(inst, failures, { phase: 'applyConfig', host: inst.host, error: err }, 'applyConfig failed');
      return;
    }
    if (!(await this.#syncHostParts(inst, p, failures))) return;
    inst.applied = inst.host === undefined ? GLOBAL_APPLIED : { raw: this.#copyOf(p.raw) };
    report.applied.push(instanceRef(inst.name, inst.host));
    if (clearSystemError(inst)) this.#emitStatus(inst);
  }

  /**
   * Record a failure of one of the role's callbacks: in the apply's list, and as the role's error status.
   * `thrown` is what the role threw (for a stop, the cause of the StopRoleError in the list): never
   * asked `instanceof`, which a Proxy's trap can answer by throwing.
   */
  #fail(inst: RoleInstance, failures: RoleFailure[], failure: Omit<RoleFailure, 'role'>, what: string, thrown = failure.error): void {
    this.#setSystemError(inst, `${what}: ${messageOf(thrown)}`);
    failures.push({ role: inst.name, ...failure });
  }

  #dependencyRunning(dep: string, host: string | undefined): boolean {
    const own = host !== undefined ? this.instances.get(instanceId(dep, host)) : undefined;
    return (own ?? this.instances.get(instanceId(dep, undefined)))?.running === true;
  }

  async #init(inst: RoleInstance, p: InstancePlan, options: ConfigureOptions, failures: RoleFailure[]): Promise<boolean> {
    const owned = this.#createContext(inst, p.section, inst.host, options);
    try {
      inst.service = await this.#call(inst, 'init', () => inst.role.init?.(owned.ctx));
    } catch (err) {
      await this.#release(inst, owned);
      inst.service = undefined;
      this.#fail(inst, failures, { phase: 'init', host: inst.host, error: err }, 'init failed');
      return false;
    }
    inst.context = owned;
    inst.running = true;
    return true;
  }

  /** Shared roles: addHost for hosts that enabled the role, release the parts of hosts that dropped it. */
  async #syncHostParts(inst: RoleInstance, p: InstancePlan, failures: RoleFailure[]): Promise<boolean> {
    for (const [host, part] of inst.hostParts) {
      if (p.hostSections.has(host)) continue;
      inst.hostParts.delete(host);
      inst.partSections.delete(host);
      await this.#drain(inst, part, performance.now() + this.#options.timeouts.drain, host);
      await this.#release(inst, part, host);
    }
    for (const [host, { section, raw, unchanged }] of p.hostSections) {
      const existing = inst.hostParts.get(host);
      if (existing) {
        // addHost runs once per host; the part's ctx.config follows every apply that changed its section.
        if (unchanged) continue;
        existing.setConfig(section);
        inst.partSections.set(host, this.#copyOf(raw));
        continue;
      }
      const part = this.#createContext(inst, section, host, { isReload: false });
      try {
        await this.#call(inst, 'addHost', () => inst.role.addHost?.(part.ctx), host);
        inst.hostParts.set(host, part);
        inst.partSections.set(host, this.#copyOf(raw));
      } catch (err) {
        await this.#release(inst, part);
        this.#fail(inst, failures, { phase: 'addHost', host, error: err }, `addHost for "${host}" failed`);
        return false;
      }
    }
    return true;
  }

  /**
   * Stop instances in the order given (dependents first), each as `#stopInstance`
   * does. Every one of them stops taking new requests at once, and they share
   * one drain deadline, so that the whole batch waits at most `timeouts.drain`
   * for requests in flight. Returns each instance's hand-off state by id.
   */
  async stopInstances(list: readonly RoleInstance[], failures: RoleFailure[]): Promise<Map<string, unknown>> {
    for (const inst of list) for (const owned of contextsOf(inst)) owned.gate.close();
    const deadline = performance.now() + this.#options.timeouts.drain;
    const handoff = new Map<string, unknown>();
    for (const inst of list) handoff.set(inst.id, await this.#stopInstance(inst, failures, deadline));
    return handoff;
  }

  /**
   * Stop one instance: its host parts, then the instance itself. Each first
   * drains (its routes take no new requests, the requests inside finish with
   * the context alive, at most until `deadline`), then its signal aborts, its
   * own `stop` runs, and everything its context recorded is released. A stop
   * that throws or times out still counts as stopped. Returns the hand-off
   * state `stop` returned.
   */
  async #stopInstance(inst: RoleInstance, failures: RoleFailure[], deadline: number): Promise<unknown> {
    let handoff: unknown;
    for (const [host, part] of inst.hostParts) {
      await this.#drain(inst, part, deadline, host);
      await this.#release(inst, part, host);
    }
    inst.hostParts.clear();
    inst.partSections.clear();
    inst.applied = undefined;
    if (inst.context) await this.#drain(inst, inst.context, deadline);
    if (inst.running && inst.context) {
      const ctx = inst.context.ctx;
      // The signal goes first, so that work in flight ends while (not after) the role's stop waits for it.
      inst.context.abort();
      try {
        handoff = await this.#call(inst, 'stop', () => inst.role.stop?.(ctx));
      } catch (err) {
        const label = `${roleLabel(inst.name, inst.host)} stop failed`;
        const error = new StopRoleError(`${label}: ${messageOf(err)}`, { cause: err });
        this.#fail(inst, failures, { phase: 'stop', host: inst.host, error }, label, err);
      }
    }
    if (inst.context) await this.#release(inst, inst.context);
    inst.context = undefined;
    inst.running = false;
    inst.service = undefined;
    return handoff;
  }

  /** Wait for a context's requests in flight; those still inside at the deadline are answered 503. */
  async #drain(inst: RoleInstance, owned: OwnedRoleContext, deadline: number, host = inst.host): Promise<void> {
    if (await owned.gate.drain(deadline)) return;
    this.#options.log.warn({ role: inst.name, host }, `requests in flight outlived timeouts.drain (${this.#options.timeouts.drain} ms): answered 503`);
  }

  /** Stop every instance, dependents first, and forget them. */
  async stopAll(): Promise<RoleFailure[]> {
    const failures: RoleFailure[] = [];
    const list = this.stopOrder();
    await this.stopInstances(list, failures);
    for (const inst of list) this.instances.delete(inst.id);
    this.#order = [];
    return failures;
  }

  /**
   * After the machine settled: every running role's onApplyConfig, but for
   * the instances `plan` (the apply's, when it was one) left alone; errors
   * only show in its status.
   */
  async notifyApplied(full: unknown, state: LifecycleState, plan?: ApplyPlan): Promise<void> {
    const ids = plan ? plan.instances.filter((p) => !p.unchanged).map((p) => p.id) : this.#order;
    for (const id of ids) {
      const inst = this.instances.get(id);
      if (!inst?.running || !inst.role.onApplyConfig) continue;
      try {
        await this.#call(inst, 'onApplyConfig', () => inst.role.onApplyConfig!(full, state));
      } catch (err) {
        // Never fatal (Cartridge): the gate logged it; the role's status shows it.
        this.#setOwnStatus(inst, 'warn', `onApplyConfig failed: ${messageOf(err)}`);
      }
    }
  }

  #createContext(
    inst: RoleInstance,
    section: unknown,
    host: string | undefined,
    options: ConfigureOptions,
  ): OwnedRoleContext {
    const handoffKey = instanceId(inst.name, host);
    return createRoleContext({
      name: inst.name,
      host,
      config: section,
      isReload: options.isReload,
      restored: options.handoff?.get(handoffKey),
      log: this.#options.log.child(host === undefined ? { role: inst.name } : { role: inst.name, host }),
      routes: this.#options.routes,
      setStatus: (type, message, options) => this.#ctxSetStatus(inst, type, message, options),
      service: (name, fromHost) => this.service(name, fromHost),
    });
  }

  async #release(inst: RoleInstance, owned: OwnedRoleContext, host = inst.host): Promise<void> {
    const errors = await owned.release(this.#options.timeouts.stop);
    for (const err of errors) {
      logThrown(this.#options.log, 'warn', { role: inst.name, host }, err, 'releasing a resource failed');
    }
  }

  #call<T>(inst: RoleInstance, callback: RoleCallback, fn: () => T | Promise<T>, host = inst.host): Promise<Awaited<T>> {
    // A callback the role does not define is not called: no event, no scope, no timer.
    if (typeof inst.role[callback] !== 'function') return Promise.resolve(undefined as Awaited<T>);
    return this.#callRole(inst.role, host, callback, fn);
  }

  /** The one way into role code: globals scope, time limit, `callback` event, failure log line. */
  #callRole<T>(role: AnyRole, host: string | undefined, callback: RoleCallback, fn: () => T | Promise<T>): Promise<Awaited<T>> {
    const { log, emit, timeouts } = this.#options;
    const timeoutMs = timeouts[TIMEOUT_OF[callback]];
    return this.scope(role, () => callRole({ role: role.name, host, callback, timeoutMs, log, emit }, fn));
  }
}
