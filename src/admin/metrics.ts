/**
 * `GET /metrics` with prom-client, driven by the runtime's events and
 * `rt.status()` alone (docs/operations.md, Metrics).
 *
 * Each admin has registries of its own, so two runtimes in one process never
 * collide. There are two, with the same metrics, because prom-client renames a
 * counter in place when it writes OpenMetrics (`rolekit_reloads_total` becomes
 * family `rolekit_reloads`): one registry answers in Prometheus text, the other
 * in OpenMetrics, and each event updates both.
 *
 * Process metrics (prom-client's defaults) are process-wide facts, collected
 * once per process and merged into every admin's registries: each
 * `collectDefaultMetrics` starts an event-loop delay monitor that it never
 * stops, so one per admin would leak one per admin created.
 * @module
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type RegistryContentType } from 'prom-client';
import { LIFECYCLE_STATES, type RoleStatus, type RolekitEvent, type Runtime, type StatusType } from '../index.js';
import { GLOBAL_HOST } from './status.js';

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
export const OPENMETRICS_CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;

const STATUS_VALUE: Readonly<Record<StatusType, number>> = { ok: 0, info: 1, warn: 2, error: 3 };
const RELOAD_RESULTS = ['ok', 'failed', 'rolled-back'] as const;

type Format = RegistryContentType;
type AnyRegistry = Registry<RegistryContentType>;

function newRegistry(format: Format): AnyRegistry {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(format);
  return registry;
}

const processRegistries = new Map<Format, AnyRegistry>();

/** prom-client's default process metrics, registered once per process and format. */
function processRegistry(format: Format): AnyRegistry {
  let registry = processRegistries.get(format);
  if (!registry) {
    registry = newRegistry(format);
    collectDefaultMetrics({ register: registry });
    processRegistries.set(format, registry);
  }
  return registry;
}

/** The rolekit metrics on one registry. */
class MetricSet {
  readonly registry: AnyRegistry;
  readonly roleStatus: Gauge<'host' | 'role'>;
  readonly state: Gauge<'state'>;
  readonly reloads: Counter<'result'>;
  readonly reloadDuration: Histogram;
  readonly applyDuration: Histogram;

  constructor(format: Format, processMetrics: boolean) {
    const own = newRegistry(format);
    const registers = [own as Registry];
    this.roleStatus = new Gauge({
      name: 'rolekit_role_status',
      help: 'Status of each running role instance: 0 ok, 1 info, 2 warn, 3 error (host "*": global)',
      labelNames: ['host', 'role'],
      registers,
    });
    this.state = new Gauge({ name: 'rolekit_state', help: 'Lifecycle state: 1 for the current one, 0 for the others', labelNames: ['state'], registers });
    this.reloads = new Counter({ name: 'rolekit_reloads_total', help: 'Code reloads that ended, by result', labelNames: ['result'], registers });
    this.reloadDuration = new Histogram({
      name: 'rolekit_reload_duration_seconds',
      help: 'How long code reloads took, whatever their result',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.applyDuration = new Histogram({
      name: 'rolekit_apply_duration_seconds',
      help: 'How long configuration applies took (ok or failed; refused ones are not counted)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    for (const result of RELOAD_RESULTS) this.reloads.inc({ result }, 0);
    this.registry = processMetrics ? (Registry.merge([own, processRegistry(format)] as Registry[]) as AnyRegistry) : own;
  }
}

export interface MetricsOptions {
  /** prom-client's default process metrics (default true). */
  processMetrics?: boolean;
}

export class AdminMetrics {
  readonly #sets: readonly [MetricSet, MetricSet];
  /** Whether the last apply was ok (and no reload came since): then every instance was running. */
  #lastApplyOk = false;

  constructor(rt: Runtime, options: MetricsOptions = {}) {
    const processMetrics = options.processMetrics ?? true;
    this.#sets = [new MetricSet(PROMETHEUS_CONTENT_TYPE, processMetrics), new MetricSet(OPENMETRICS_CONTENT_TYPE, processMetrics)];
    this.#setState(rt.state);
    this.#syncRoles(rt);
  }

  /** Update the metrics for one event of `rt.on('*')`. */
  onEvent(rt: Runtime, event: RolekitEvent): void {
    switch (event.type) {
      case 'state':
        this.#setState(event.state);
        // Stopped: no role runs any more, so none has a series.
        if (event.state === 'Stopped') for (const set of this.#sets) set.roleStatus.reset();
        return;
      case 'status':
        this.#setRole(event.host, event.role, event.status);
        return;
      case 'reload':
        for (const set of this.#sets) {
          set.reloads.inc({ result: event.result });
          set.reloadDuration.observe(event.durationMs / 1000);
        }
        this.#syncRoles(rt);
        this.#lastApplyOk = false;
        return;
      case 'apply':
        if (event.result === 'rejected') return;
        for (const set of this.#sets) set.applyDuration.observe(event.durationMs / 1000);
        // After an ok apply that followed an ok one, every instance that went is in `stopped` (all
        // were running), and status changes came as status events: the series are right as they
        // are, and a 1000-role re-apply does not rebuild them.
        if (event.result !== 'ok' || !this.#lastApplyOk || event.started.length > 0 || event.stopped.length > 0) this.#syncRoles(rt);
        this.#lastApplyOk = event.result === 'ok';
        return;
      default:
        return;
    }
  }

  /** The metrics text in the format the client asked for (OpenMetrics when its Accept names it). */
  async render(accept: string | undefined): Promise<{ body: string; contentType: string }> {
    const set = accept !== undefined && /application\/openmetrics-text/i.test(accept) ? this.#sets[1] : this.#sets[0];
    return { body: await set.registry.metrics(), contentType: set.registry.contentType };
  }

  #setState(current: string): void {
    for (const set of this.#sets) for (const state of LIFECYCLE_STATES) set.state.set({ state }, state === current ? 1 : 0);
  }

  #setRole(host: string | undefined, role: string, status: RoleStatus): void {
    const value = STATUS_VALUE[status.type] ?? STATUS_VALUE.error;
    for (const set of this.#sets) set.roleStatus.set({ host: host ?? GLOBAL_HOST, role }, value);
  }

  /**
   * Role series from rt.status() after an apply or a reload: exactly the
   * instances enabled now, so that a stopped role's or a removed host's series goes.
   */
  #syncRoles(rt: Runtime): void {
    const { roles } = rt.status();
    for (const set of this.#sets) set.roleStatus.reset();
    for (const entry of roles) this.#setRole(entry.host, entry.name, entry.status);
  }
}
