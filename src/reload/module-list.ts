/**
 * `reload({ modules })`: the running code's sources against a new list of
 * role modules. Roles given as objects are not in any list and stay; a
 * source given as a specifier stays when the new list names the same file
 * (or package), and is dropped otherwise; what the list names that no source
 * has is added. A file is the same file whatever specifier names it
 * (`./a.js`, an absolute path, a `file:` URL).
 * @module
 */
import { HotReloadError } from '../errors.js';
import { isInNodeModules, modulePath } from '../loading/paths.js';
import type { RoleSource } from './role-sources.js';
import type { RunningCode } from './running-code.js';

export interface ModuleListChange {
  /** The running sources the next code keeps, in their order. */
  base: RoleSource[];
  removed: RoleSource[];
  addedFiles: { specifier: string; path: string }[];
  addedPackages: { specifier: string; path: string | undefined }[];
}

export function moduleListChange(code: RunningCode, entries: readonly (string | URL)[], baseDir: string): ModuleListChange {
  const files = new Map<string, string>();
  const packages = new Map<string, string | undefined>();
  for (const entry of entries) {
    const specifier = String(entry);
    const path = modulePath(entry, baseDir);
    const key = path !== undefined && !isInNodeModules(path) ? path : undefined;
    if (key !== undefined) {
      if (files.has(key)) throw new HotReloadError(`reload: modules lists "${specifier}" twice`);
      files.set(key, specifier);
    } else {
      if (packages.has(specifier)) throw new HotReloadError(`reload: modules lists "${specifier}" twice`);
      packages.set(specifier, path);
    }
  }
  const base: RoleSource[] = [];
  const removed: RoleSource[] = [];
  const keptFiles = new Set<string>();
  const keptPackages = new Set<string>();
  for (const source of code.sources) {
    if (source.kind === 'object') base.push(source);
    else if (source.kind === 'module' && files.has(source.path)) {
      base.push(source);
      keptFiles.add(source.path);
    } else if (source.kind === 'package' && packages.has(source.specifier)) {
      base.push(source);
      keptPackages.add(source.specifier);
    } else removed.push(source);
  }
  return {
    base,
    removed,
    addedFiles: [...files].filter(([path]) => !keptFiles.has(path)).map(([path, specifier]) => ({ specifier, path })),
    addedPackages: [...packages].filter(([specifier]) => !keptPackages.has(specifier)).map(([specifier, path]) => ({ specifier, path })),
  };
}
