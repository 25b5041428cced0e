/**
 * ejabberd's update_list for role code: the sha256 every loaded file had when
 * it was evaluated, against the file on disk now. A file anywhere in a role's
 * module graph (a helper two imports deep too) names that role.
 * @module
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ModuleSource } from './role-sources.js';
import { sha256 } from '../utils/sha256.js';

async function sha256OfFile(path: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(path));
  } catch {
    return undefined; // deleted or unreadable: counts as changed
  }
}

function sha256OfFileSync(path: string): string | undefined {
  try {
    return sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}

export async function changedFiles(sources: readonly ModuleSource[]): Promise<{ files: string[]; roles: string[] }> {
  const known = loadedHashes(sources);
  const changed = new Set<string>();
  await Promise.all(
    [...known].map(async ([path, hash]) => {
      if ((await sha256OfFile(path)) !== hash) changed.add(path);
    }),
  );
  return { files: [...changed].sort(), roles: rolesOf(sources, changed) };
}

/**
 * The roles whose loaded files among `paths` changed on disk. Synchronous:
 * watch mode asks about the few files a save touched, right before it
 * reloads, where a thread-pool round trip per file costs more than the read.
 */
export function changedRolesAmong(sources: readonly ModuleSource[], paths: readonly string[]): string[] {
  const known = loadedHashes(sources);
  const changed = new Set(paths.filter((path) => known.has(path) && sha256OfFileSync(path) !== known.get(path)));
  return rolesOf(sources, changed);
}

function loadedHashes(sources: readonly ModuleSource[]): Map<string, string> {
  const known = new Map<string, string>();
  for (const source of sources) for (const f of source.loaded.files) known.set(f.path, f.sha256);
  return known;
}

function rolesOf(sources: readonly ModuleSource[], changed: ReadonlySet<string>): string[] {
  return sources.filter((s) => s.loaded.files.some((f) => changed.has(f.path))).map((s) => s.role.name);
}
