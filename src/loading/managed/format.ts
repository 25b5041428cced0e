/**
 * Which module format a file is written in, decided the way Node decides it
 * (extension first, then the nearest package.json "type", then syntax), so a
 * role behaves the same under the `managed` loader as under `native`.
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type ModuleFormat = 'esm' | 'cjs' | 'json';
/** `detect`: no extension or package "type" decides; the syntax will (Node 20.19+ does the same). */
export type FormatHint = ModuleFormat | 'detect';

type PackageType = 'module' | 'commonjs' | undefined;

/**
 * Nearest-package.json lookups, memoised per directory. Callers choose the
 * lifetime: one per load for application files (so an edited "type" is seen
 * by the next load), one per loader for node_modules (which do not change
 * under a running service, and are looked up on every load).
 */
export class PackageScopes {
  readonly #byDir = new Map<string, PackageType | null>();

  typeOf(file: string): PackageType {
    const visited: string[] = [];
    let dir = path.dirname(file);
    let found: PackageType | null = null;
    for (;;) {
      const known = this.#byDir.get(dir);
      if (known !== undefined) {
        found = known;
        break;
      }
      visited.push(dir);
      const type = readPackageType(dir);
      if (type !== undefined) {
        found = type;
        break;
      }
      const parent = path.dirname(dir);
      // Node stops at a node_modules folder: a package never inherits the
      // "type" of the application that installed it.
      if (parent === dir || path.basename(dir) === 'node_modules') break;
      dir = parent;
    }
    for (const d of visited) this.#byDir.set(d, found);
    return found ?? undefined;
  }
}

/** `undefined`: no package.json here; `null`: a package.json without a usable "type". */
function readPackageType(dir: string): PackageType | null | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return type === 'module' || type === 'commonjs' ? type : null;
  } catch {
    return null;
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

export const TYPESCRIPT_FILE = /\.[cm]?tsx?$/i;
export const JSX_FILE = /\.[jt]sx$/i;
