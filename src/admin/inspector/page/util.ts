// Small helpers of the inspector page: reading untrusted JSON without ever
// throwing, and building DOM nodes whose text is always set as text.

type Dict = Record<string, unknown>;

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dict(v: unknown): Dict {
  return isDict(v) ? v : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A string to show: strings as they are, numbers and booleans spelled, anything else the fallback. */
function str(v: unknown, fallback = ''): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fallback;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A time in ms since the epoch, from a number or an ISO string. */
function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

/** `{ name, message }` of an error field, or undefined when there is none. */
function errorInfo(v: unknown): { name: string; message: string } | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return { name: 'Error', message: v };
  const d = dict(v);
  return { name: str(d.name, 'Error'), message: str(d.message) };
}

/** JSON for a details view; never throws (cycles and BigInts do not come over the wire, but still). */
function safeJson(v: unknown, indent = 2): string {
  try {
    return JSON.stringify(v, null, indent) ?? String(v);
  } catch {
    return String(v);
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function clock(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `role` or `role@host`. */
function instanceName(role: string, host: string | undefined): string {
  return host ? `${role}@${host}` : role;
}

type Child = Node | string | undefined | null | false;

/** An element with classes and children; strings become text nodes, never markup. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  for (const c of children) if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`inspector page: #${id} missing`);
  return el as T;
}

/** Calls `fn`, reporting (not rethrowing) what it throws: odd data must never stop the page. */
function guarded(what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error(`rolekit inspector: ${what} failed`, err);
  }
}
