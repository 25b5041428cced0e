/**
 * Which files are "application files" (evaluated afresh on each load) and how
 * an entry is to be loaded (ESM through `import()`, CommonJS through
 * `createRequire`). Imported by the hooks thread too: no main-thread state.
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, join, sep } from 'node:path';
import { isInNodeModules } from '../paths.js';

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
  return packageType(dirname(path)) !== 'module';
}

function packageType(dir: string): string | undefined {
  for (let d = dir; ; ) {
    let text: string | undefined;
    try {
      text = readFileSync(join(d, 'package.json'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        const type = (JSON.parse(text) as { type?: unknown }).type;
        return typeof type === 'string' ? type : undefined;
      } catch {
        // Node stops at the nearest package.json even when it is invalid.
        return undefined;
      }
    }
    const parent = dirname(d);
    if (parent === d || d.endsWith(`${sep}node_modules`)) return undefined;
    d = parent;
  }
}
