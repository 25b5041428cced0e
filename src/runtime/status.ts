/**
 * `rt.status()`: plain JSON-ready data for operators (docs/concepts.md, README).
 * @module
 */
import { errorSummary } from '../errors.js';
import type { LifecycleStateName } from '../machines/lifecycle.js';
import type { RoleStatus } from '../roles/context/types.js';
import type { ErrorInfo, RolekitEvent } from '../events.js';
import type { RoleEngine } from '../engine/engine.js';

/** The last reload, as status() reports it (read off the last `reload` event). */
export interface ReloadStatus {
  result: 'ok' | 'failed' | 'rolled-back';
  previousCodeServing: boolean;
  error?: ErrorInfo;
  /** ISO time the reload ended. */
  at: string;
  /** Roles that were restarted (or were to be). */
  roles: string[];
  durationMs: number;
}

/** A reload event as status().reload. */
export function reloadStatusOf(event: RolekitEvent<'reload'>): ReloadStatus {
  const { result, previousCodeServing, error, roles, durationMs, time } = event;
  return { result, previousCodeServing, ...(error ? { error } : {}), at: new Date(time).toISOString(), roles, durationMs };
}

export interface RoleStatusEntry {
  name: string;
  host?: string;
  enabled: boolean;
  running: boolean;
  status: RoleStatus;
}

export interface RuntimeStatus {
  state: LifecycleStateName;
  generation: number;
  error?: { name: string; message: string };
  reload?: ReloadStatus;
  roles: RoleStatusEntry[];
}

export function buildStatus(input: {
  state: LifecycleStateName;
  generation: number;
  error: unknown;
  reload: ReloadStatus | undefined;
  engine: RoleEngine;
}): RuntimeStatus {
  const roles: RoleStatusEntry[] = [];
  // After a shutdown, no instance is left: the roles were stopped on purpose, which is no error
  // (a dashboard reading the status of a stopping service must not see every role fail).
  const shutDown = input.state === 'ShuttingDown' || input.state === 'Stopped';
  for (const p of input.engine.applied?.instances ?? []) {
    const inst = input.engine.instances.get(p.id);
    roles.push({
      name: p.role.name,
      ...(p.host !== undefined ? { host: p.host } : {}),
      enabled: true,
      running: inst?.running ?? false,
      status: inst ? { ...inst.status } : missingStatus(shutDown),
    });
  }
  return {
    state: input.state,
    generation: input.generation,
    ...(input.error !== undefined ? { error: errorSummary(input.error) } : {}),
    ...(input.reload !== undefined ? { reload: input.reload } : {}),
    roles,
  };
}

/** The status of an enabled role with no instance: stopped on purpose by a shutdown, else not started. */
function missingStatus(shutDown: boolean): RoleStatus {
  const time = new Date().toISOString();
  return shutDown ? { type: 'info', message: 'stopped', time } : { type: 'error', message: 'not started', time };
}
