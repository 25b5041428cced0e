/**
 * Where a file lives, as both loaders and the role sources need to know it.
 * Imported by the native loader's hooks thread too: no main-thread state.
 * @module
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_MODULES = /[\\/]node_modules[\\/]/;

/**
 * Whether a file belongs to a package. Packages are shared by every version
 * of role code: re-evaluating them would give each version its own copy of
 * e.g. zod, breaking `instanceof` and doubling memory, and they do not change
 * while the service runs.
 */
export function isInNodeModules(path: string): boolean {
  return NODE_MODULES.test(path);
}

/** Absolute path of a file specifier (path or `file:` URL), or undefined for a package name. */
export function modulePath(entry: string | URL, baseDir: string): string | undefined {
  if (entry instanceof URL) return fileURLToPath(entry);
  if (entry.startsWith('file:')) return fileURLToPath(entry);
  if (entry.startsWith('.') || isAbsolute(entry)) return resolvePath(baseDir, entry);
  return undefined;
}
