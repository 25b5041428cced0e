/**
 * `GET /status`: `rt.status()` plus Prosody mod_http_status's `hosts` view and
 * the last reloads, newest first (docs/operations.md, Status).
 * @module
 */
import type { RoleStatus, RolekitEvent, Runtime, RuntimeStatus } from '../index.js';

/** The host key of global role instances (and of a shared role's global part), as in Prosody. */
export const GLOBAL_HOST = '*';

/** Where an error's message says it happened: `/abs/file.ts:12:5`. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

export interface ReloadRecord {
  result: 'ok' | 'failed' | 'rolled-back';
  roles: string[];
  generation: number;
  durationMs: number;
  previousCodeServing: boolean;
  /** ISO time the reload ended. */
  at: string;
  error?: { name: string; message: string; at?: SourceLocation };
}

export interface AdminStatus extends RuntimeStatus {
  hosts: Record<string, Record<string, RoleStatus>>;
  reloads: ReloadRecord[];
  /** Id of the last event of `GET /events`: open the stream with `?lastEventId=` this to miss nothing after this status. */
  lastEventId: string;
  /** Whether reloads are paused (`POST /reload/forbid`). */
  reloadForbidden: boolean;
}

// An absolute POSIX path or file: URL, then :line and an optional :column, as rolekit's load errors write them.
const LOCATION = /((?:file:\/\/)?\/[^\s:()'"]+):(\d+)(?::(\d+))?/;

/** The first `file:line[:column]` in a message, if there is one. */
export function locationIn(message: string): SourceLocation | undefined {
  const m = LOCATION.exec(message);
  if (!m) return undefined;
  return { file: m[1]!, line: Number(m[2]), ...(m[3] !== undefined ? { column: Number(m[3]) } : {}) };
}

export function reloadRecord(event: RolekitEvent<'reload'>): ReloadRecord {
  const { result, roles, generation, durationMs, previousCodeServing, error, time } = event;
  const record: ReloadRecord = { result, roles: [...roles], generation, durationMs, previousCodeServing, at: new Date(time).toISOString() };
  if (error) {
    const at = locationIn(error.message);
    record.error = at ? { name: error.name, message: error.message, at } : { name: error.name, message: error.message };
  }
  return record;
}

/** The last `limit` reloads, newest first, read off the runtime's reload events. */
export class ReloadHistory {
  readonly #limit: number;
  readonly #records: ReloadRecord[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(event: RolekitEvent<'reload'>): void {
    this.#records.unshift(reloadRecord(event));
    if (this.#records.length > this.#limit) this.#records.length = this.#limit;
  }

  list(): ReloadRecord[] {
    return this.#records.slice();
  }
}

/** `{ "*": { role: status }, "example.com": { role: status } }` from status().roles. */
export function hostsOf(status: RuntimeStatus): AdminStatus['hosts'] {
  // Prototype-free maps: a host or role named `__proto__` is a key like any other.
  const hosts: AdminStatus['hosts'] = Object.create(null);
  for (const entry of status.roles) {
    const key = entry.host ?? GLOBAL_HOST;
    const roles = (hosts[key] ??= Object.create(null) as Record<string, RoleStatus>);
    roles[entry.name] = entry.status;
  }
  return hosts;
}

export function adminStatus(rt: Runtime, reloads: ReloadHistory, lastEventId: string): AdminStatus {
  const status = rt.status();
  return { ...status, hosts: hostsOf(status), reloads: reloads.list(), lastEventId, reloadForbidden: rt.isReloadForbidden() };
}
