/**
 * Which files are "application files" (evaluated afresh on each load) and how
 * an entry is to be loaded (ESM through `import()`, CommonJS through
 * `createRequire`). Imported by the hooks thread too: no main-thread state.
 */
import { dirname, extname } from 'node:path';
import { isInNodeModules } from '../paths.js';
import { nearestPackageType } from '../package-type.js';

/** Application files are evaluated afresh; packages are shared (see isInNodeModules). */
export function isApplicationPath(path: string): boolean {
  return !isInNodeModules(path);
}

/** TypeScript files are transformed by the load hook (swc), on every Node version. */
export function isTypeScript(path: string): boolean {
  const ext = extname(path);
  return ext === '.ts' || ext === '.mts';
}

/**
 * How Node itself would treat the entry: `.cjs` is CommonJS, `.mjs`/`.ts`/`.mts`
 * are ES modules, and `.js` follows the `type` of the nearest package.json
 * (missing or "commonjs" means CommonJS). Read fresh on each call because a
 * package.json may be edited between loads, like the code.
 */
export function isCommonJsEntry(path: string): boolean {
  const ext = extname(path);
  if (ext === '.cjs') return true;
  if (ext !== '.js') return false;
  return nearestPackageType(dirname(path)) !== 'module';
}

