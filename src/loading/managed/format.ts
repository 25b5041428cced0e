/**
 * Which module format a file is written in, decided the way Node decides it
 * (extension first, then the nearest package.json "type", then syntax), so a
 * role behaves the same under the `managed` loader as under `native`.
 * @module
 */
import path from 'node:path';
import { nearestPackageType, type PackageType } from '../package-type.js';

export type ModuleFormat = 'esm' | 'cjs' | 'json';
/** `detect`: no extension or package "type" decides; the syntax will (Node 20.19+ does the same). */
export type FormatHint = ModuleFormat | 'detect';

/**
 * Nearest-package.json lookups, memoised per directory. Callers choose the
 * lifetime: one per load for application files (so an edited "type" is seen
 * by the next load), one per loader for node_modules (which do not change
 * under a running service, and are looked up on every load).
 */
export class PackageScopes {
  readonly #byDir = new Map<string, PackageType | null>();

  typeOf(file: string): PackageType | undefined {
    return nearestPackageType(path.dirname(file), this.#byDir);
  }
}

export function formatHint(file: string, scopes: PackageScopes): FormatHint {
  switch (path.extname(file).toLowerCase()) {
    case '.json':
      return 'json';
    case '.mjs':
    case '.mts':
      return 'esm';
    case '.cjs':
    case '.cts':
      return 'cjs';
    default: {
      const type = scopes.typeOf(file);
      return type === 'module' ? 'esm' : type === 'commonjs' ? 'cjs' : 'detect';
    }
  }
}

/**
 * Whether an external (node_modules or shared) file is ESM, i.e. must be
 * brought in with a native `import()` rather than `require()`.
 */
export function isEsmFile(file: string, scopes: PackageScopes): boolean {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.mjs' || ext === '.mts') return true;
  // A shared .ts file was loaded by the application through its own hooks (tsx, --experimental-strip-types): same rule.
  if (ext !== '.js' && ext !== '.ts') return false;
  return scopes.typeOf(file) === 'module';
}

