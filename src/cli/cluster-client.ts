/**
 * The admin commands with `--cluster <etcd-url> --name <cluster>`: they talk
 * to etcd (rolekit/cluster), not to one member's admin API. `apply` reads the
 * file as `rolekit start` does and sends only its document; issues print as
 * `<instance>: <path>: <message>` after the error's name. Exit codes as
 * everywhere (exit-codes.ts), 3 when etcd cannot be reached.
 * @module
 */
import { ValidateConfigError, readConfigFile, serializeError } from '../index.js';
import { fileProblem, issueLine, linesTo } from './output.js';
import { EtcdUnavailableError, applyToCluster, clusterStatus, rollingReload, type ClusterStatus, type RollingReloadReport } from '../cluster/index.js';
import { EXIT } from './exit-codes.js';
import { formatTable } from './table.js';

export interface ClusterTarget {
  etcd: string[];
  name: string;
  json?: boolean;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** Print a refusal and give its exit code: 3 for etcd out of reach, 1 for the rest. */
function refused(t: ClusterTarget, error: unknown): number {
  const { err } = linesTo(t);
  if (t.json) err(JSON.stringify({ error: serializeError(error) }));
  else {
    err(`rolekit: ${error instanceof Error ? `${error.name}: ` : ''}${serializeError(error).message.split('\n')[0]}`);
    if (error instanceof ValidateConfigError) {
      for (const issue of error.issues) err(issueLine(issue));
    }
  }
  return error instanceof EtcdUnavailableError ? EXIT.unreachable : EXIT.refused;
}

export async function clusterApply(t: ClusterTarget, file: string, prepareTimeoutMs?: number): Promise<number> {
  const { out, err } = linesTo(t);
  let document;
  try {
    document = (await readConfigFile(file)).document;
  } catch (e) {
    for (const line of fileProblem(file, e)) err(line);
    return EXIT.refused;
  }
  try {
    const { revision } = await applyToCluster({ etcd: t.etcd, name: t.name, document, timeouts: { prepare: prepareTimeoutMs } });
    out(t.json ? JSON.stringify({ revision }) : `${file} committed to cluster "${t.name}" as revision ${revision}`);
    return EXIT.ok;
  } catch (e) {
    return refused(t, e);
  }
}

export function clusterTable(status: ClusterStatus): string[] {
  const rows = Object.entries(status.members)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([instance, m]) => ({
      instance,
      state: m.state,
      revision: String(m.revision) + (m.revision === status.revision ? '' : ' (behind)'),
      generation: String(m.generation),
      error: m.error ? `${m.error.name}: ${m.error.message}` : '',
    }));
  return [
    `cluster: ${status.name}   committed revision: ${status.revision}   members: ${rows.length}`,
    '',
    ...formatTable({ instance: 'INSTANCE', state: 'STATE', revision: 'REVISION', generation: 'GENERATION', error: 'ERROR' }, rows),
  ];
}

export async function clusterStatusCommand(t: ClusterTarget): Promise<number> {
  const { out } = linesTo(t);
  try {
    const status = await clusterStatus({ etcd: t.etcd, name: t.name });
    for (const line of t.json ? [JSON.stringify(status)] : clusterTable(status)) out(line);
    return EXIT.ok;
  } catch (e) {
    return refused(t, e);
  }
}

function reloadLines(report: RollingReloadReport): string[] {
  const lines = report.members.map((m) => `${m.instance}: ${m.result}${m.generation !== undefined ? ` (generation ${m.generation})` : ''}${m.error ? `: ${m.error.message}` : ''}`);
  if (report.skipped.length > 0) lines.push(`not asked (the roll stopped): ${report.skipped.join(', ')}`);
  lines.push(`generations: ${Object.entries(report.generations).map(([i, g]) => `${i}=${g}`).join(' ') || '(none)'}`);
  return lines;
}

export async function clusterReload(t: ClusterTarget, roles: string[]): Promise<number> {
  const { out, err } = linesTo(t);
  try {
    const report = await rollingReload({ etcd: t.etcd, name: t.name, ...(roles.length > 0 ? { roles } : {}) });
    const print = report.result === 'ok' ? out : err;
    for (const line of t.json ? [JSON.stringify(report)] : reloadLines(report)) print(line);
    return report.result === 'ok' ? EXIT.ok : EXIT.refused;
  } catch (e) {
    return refused(t, e);
  }
}
