/**
 * `rolekit status` for a person: the state, the last reload, and one row per
 * role instance (host `*` for global roles), errors first so that the line
 * that matters at 3 a.m. is at the top of the table.
 * @module
 */
import { formatTable } from '../table.js';

interface RoleRow {
  name: string;
  host?: string;
  running?: boolean;
  status?: { type?: string; message?: string };
}

interface StatusBody {
  state?: string;
  generation?: number;
  error?: { name?: string; message?: string };
  reload?: { result?: string; previousCodeServing?: boolean; error?: { message?: string }; at?: number | string };
  roles?: RoleRow[];
}

const SEVERITY: Record<string, number> = { error: 0, warn: 1, info: 2, ok: 3 };

export function statusTable(body: unknown): string[] {
  const s = (typeof body === 'object' && body !== null ? body : {}) as StatusBody;
  const lines = [`state: ${s.state ?? '?'}   generation: ${s.generation ?? '?'}`];
  if (s.error?.message) lines.push(`error: ${s.error.name ?? 'Error'}: ${s.error.message}`);
  if (s.reload?.result) {
    const serving = s.reload.result === 'ok' ? '' : s.reload.previousCodeServing ? ' (previous code serving)' : ' (previous code NOT serving)';
    lines.push(`last reload: ${s.reload.result}${serving}${s.reload.error?.message ? `: ${s.reload.error.message}` : ''}`);
  }
  const rows = (Array.isArray(s.roles) ? s.roles : [])
    .map((r) => ({
      host: typeof r.host === 'string' ? r.host : '*',
      role: String(r.name ?? '?'),
      type: String(r.status?.type ?? '?'),
      running: r.running === false ? 'no' : 'yes',
      message: String(r.status?.message ?? ''),
    }))
    .sort((a, b) => (SEVERITY[a.type] ?? 9) - (SEVERITY[b.type] ?? 9) || a.host.localeCompare(b.host) || a.role.localeCompare(b.role));
  lines.push('', ...formatTable({ host: 'HOST', role: 'ROLE', type: 'STATUS', running: 'RUNNING', message: 'MESSAGE' }, rows));
  return lines;
}
