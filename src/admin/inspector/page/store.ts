// What the page knows: the last ./status answer, and what the event stream
// told since. Every event is read defensively: a missing field is a blank,
// an unknown type is kept for the log and otherwise ignored.

interface Ev {
  type: string;
  seq: number | undefined;
  time: number | undefined;
  raw: Dict;
}

interface CallbackRun {
  seq: number | undefined;
  role: string;
  host: string | undefined;
  callback: string;
  /** End time (the event's time) and length. */
  end: number | undefined;
  durationMs: number;
  ok: boolean;
  error: { name: string; message: string } | undefined;
}

/** One apply or reload, with the callbacks reported since the previous one. */
interface Operation {
  key: string;
  kind: 'apply' | 'reload';
  result: string;
  end: number | undefined;
  durationMs: number | undefined;
  generation: number | undefined;
  error: { name: string; message: string } | undefined;
  callbacks: CallbackRun[];
}

interface ReloadEntry {
  key: string;
  time: number | undefined;
  result: string;
  roles: string[];
  generation: number | undefined;
  durationMs: number | undefined;
  previousCodeServing: boolean | undefined;
  error: { name: string; message: string } | undefined;
  /** The operation key when this reload was seen on the stream (its callbacks are known). */
  op: string | undefined;
}

interface RoleRow {
  role: string;
  host: string | undefined;
  enabled: boolean | undefined;
  running: boolean | undefined;
  type: string;
  message: string;
  time: number | undefined;
}

const LOG_LIMIT = 500;
const OPS_LIMIT = 40;
const HISTORY_LIMIT = 50;
const KNOWN_TYPES = ['state', 'apply', 'reload', 'callback', 'status'];

const store = {
  status: undefined as Dict | undefined,
  state: '',
  prev: '',
  stateError: undefined as { name: string; message: string } | undefined,
  generation: undefined as number | undefined,
  reloadForbidden: undefined as boolean | undefined,
  roles: [] as RoleRow[],
  log: [] as Ev[],
  /** Events taken since the page opened (the log's rows are added by this count). */
  logTotal: 0,
  ops: [] as Operation[],
  pending: [] as CallbackRun[],
  failures: new Map<string, CallbackRun>(),
  streamReloads: [] as ReloadEntry[],
  statusReloads: [] as ReloadEntry[],
  selectedOp: undefined as string | undefined,
  connection: 'connecting' as 'connecting' | 'live' | 'reconnecting' | 'unauthorized',
};

function toEvent(data: unknown): Ev {
  const raw = dict(data);
  return { type: str(raw.type, 'unknown'), seq: num(raw.seq), time: timeOf(raw.time), raw };
}

function refs(v: unknown): string[] {
  return list(v).map((r) => {
    const d = dict(r);
    return instanceName(str(d.role, str(r, '?')), str(d.host) || undefined);
  });
}

function reloadEntry(d: Dict, time: number | undefined, op: string | undefined): ReloadEntry {
  const result = str(d.result, '?');
  const generation = num(d.generation);
  return {
    key: `${time ?? '?'}|${result}|${generation ?? '?'}`,
    time,
    result,
    roles: list(d.roles).map((r) => str(r, '?')),
    generation,
    durationMs: num(d.durationMs),
    previousCodeServing: typeof d.previousCodeServing === 'boolean' ? d.previousCodeServing : undefined,
    error: errorInfo(d.error),
    op,
  };
}

function roleRow(d: Dict): RoleRow {
  const status = dict(d.status);
  return {
    role: str(d.name, str(d.role, '?')),
    host: str(d.host) || undefined,
    enabled: typeof d.enabled === 'boolean' ? d.enabled : undefined,
    running: typeof d.running === 'boolean' ? d.running : undefined,
    type: str(status.type, 'info'),
    message: str(status.message),
    time: timeOf(status.time),
  };
}

/** Takes a ./status answer: rt.status() plus `hosts`, maybe a list of recent reloads. */
function takeStatus(data: unknown): void {
  const d = dict(data);
  store.status = d;
  if (typeof d.state === 'string') store.state = d.state;
  store.generation = num(d.generation) ?? store.generation;
  store.stateError = errorInfo(d.error);
  if (typeof d.reloadForbidden === 'boolean') store.reloadForbidden = d.reloadForbidden;
  // `hosts` is built from `roles` (src/admin/status.ts): the rows are all in `roles`.
  store.roles = list(d.roles).map((r) => roleRow(dict(r)));
  const reloads = list(d.reloads);
  const entries = reloads.map((r) => {
    const e = dict(r);
    return reloadEntry(e, timeOf(e.time ?? e.at), undefined);
  });
  const last = dict(d.reload);
  if (!entries.length && Object.keys(last).length) entries.push(reloadEntry(last, timeOf(last.at ?? last.time), undefined));
  store.statusReloads = entries;
}

/** The reload history: what ./status listed and what the stream brought, once each, newest first. */
function reloadHistory(): ReloadEntry[] {
  const byKey = new Map<string, ReloadEntry>();
  for (const e of store.statusReloads) byKey.set(e.key, e);
  for (const e of store.streamReloads) byKey.set(e.key, e);
  return [...byKey.values()].sort((a, b) => (b.time ?? 0) - (a.time ?? 0)).slice(0, HISTORY_LIMIT);
}

/**
 * The generation of a role's code, when the page can know it: the generation
 * of the last successful reload that restarted it; 0 while nothing was ever
 * reloaded. Undefined otherwise (the page did not see that history).
 */
function roleGeneration(role: string): number | undefined {
  for (const r of reloadHistory()) if (r.result === 'ok' && r.roles.includes(role)) return r.generation;
  return store.generation === 0 ? 0 : undefined;
}

function takeCallback(e: Ev): void {
  const d = e.raw;
  const run: CallbackRun = {
    seq: e.seq,
    role: str(d.role, '?'),
    host: str(d.host) || undefined,
    callback: str(d.callback, '?'),
    end: e.time,
    durationMs: Math.max(0, num(d.durationMs) ?? 0),
    ok: d.ok !== false,
    error: errorInfo(d.error),
  };
  store.pending.push(run);
  if (store.pending.length > 2000) store.pending.splice(0, store.pending.length - 2000);
  if (!run.ok) store.failures.set(instanceName(run.role, run.host), run);
}

function takeOperation(e: Ev, kind: 'apply' | 'reload'): Operation {
  const d = e.raw;
  const op: Operation = {
    key: `${kind}:${e.seq ?? store.ops.length}:${e.time ?? ''}`,
    kind,
    result: str(d.result, '?'),
    end: e.time,
    durationMs: num(d.durationMs),
    generation: num(d.generation),
    error: errorInfo(d.error),
    callbacks: store.pending,
  };
  store.pending = [];
  store.ops.push(op);
  if (store.ops.length > OPS_LIMIT) store.ops.splice(0, store.ops.length - OPS_LIMIT);
  if (kind === 'reload') {
    store.streamReloads.push(reloadEntry(d, e.time, op.key));
    if (store.streamReloads.length > HISTORY_LIMIT) store.streamReloads.shift();
    if (op.generation !== undefined && op.result === 'ok') store.generation = op.generation;
  }
  return op;
}

function takeStatusEvent(e: Ev): void {
  const d = e.raw;
  const row = roleRow({ role: d.role, host: d.host, status: d.status });
  const at = store.roles.findIndex((r) => r.role === row.role && r.host === row.host);
  if (at >= 0) store.roles[at] = { ...store.roles[at]!, type: row.type, message: row.message, time: row.time };
  else store.roles.push(row);
}

/** Takes one event off the stream; says which parts of the page it changed. */
function takeEvent(e: Ev): { state?: boolean; roles?: boolean; ops?: boolean; refetch?: boolean } {
  store.log.push(e);
  store.logTotal++;
  if (store.log.length > LOG_LIMIT) store.log.splice(0, store.log.length - LOG_LIMIT);
  switch (e.type) {
    case 'state':
      store.prev = str(e.raw.prev, store.state);
      store.state = str(e.raw.state, store.state);
      store.stateError = errorInfo(e.raw.error);
      return { state: true };
    case 'callback':
      takeCallback(e);
      return { roles: true };
    case 'status':
      takeStatusEvent(e);
      return { roles: true };
    case 'apply':
    case 'reload':
      takeOperation(e, e.type);
      return { ops: true, roles: true, refetch: true };
    default:
      return {};
  }
}
