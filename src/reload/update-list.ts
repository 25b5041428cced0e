/**
 * ejabberd's update_list for role code: the sha256 every loaded file had when
 * it was evaluated, against the file on disk now. A file anywhere in a role's
 * module graph (a helper two imports deep too) names that role.
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { ModuleSource } from './role-sources.js';
import { sha256 } from '../utils/sha256.js';

export async function sha256OfFile(path: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(path));
  } catch {
    return undefined; // deleted or unreadable: counts as changed
  }
}

export async function changedFiles(sources: readonly ModuleSource[]): Promise<{ files: string[]; roles: string[] }> {
  const known = new Map<string, string>();
  for (const source of sources) for (const f of source.loaded.files) known.set(f.path, f.sha256);
  const changed = new Set<string>();
  await Promise.all(
    [...known].map(async ([path, hash]) => {
      if ((await sha256OfFile(path)) !== hash) changed.add(path);
    }),
  );
  const roles = sources.filter((s) => s.loaded.files.some((f) => changed.has(f.path))).map((s) => s.role.name);
  return { files: [...changed].sort(), roles };
}
