/**
 * Where a specifier points, and whether rolekit manages that file.
 *
 * Resolution is Node's own (`createRequire(importer).resolve`), so relative
 * paths, package "exports"/"main", directories and symlinks behave exactly as
 * for any CommonJS file. Two additions: bare specifiers imported by ESM files
 * are looked up with the import conditions (esm-resolve.ts), so role code
 * gets the same build of a dual package as the application; and the
 * TypeScript convention of writing `./helper.js` for `./helper.ts` is tried
 * when Node finds nothing.
 *
 * Classification: builtins, anything under a `node_modules` folder, native
 * addons, and the files the application declared `shared` are *external*:
 * Node loads them once and every version of role code gets that instance.
 * Everything else is application code, evaluated afresh by each load.
 * @module
 */
import { realpathSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { forgetApplicationResolutions } from '../resolution-cache.js';
import { isInNodeModules } from '../paths.js';
import { PackageExports } from './esm-resolve.js';
import { isEsmFile, PackageScopes } from './format.js';

export type Resolved =
  | { readonly kind: 'builtin'; readonly id: string }
  | { readonly kind: 'app'; readonly path: string }
  /** `esm`: must be imported natively (cannot be required on every Node 20). */
  | { readonly kind: 'external'; readonly path: string; readonly esm: boolean };

const TS_FOR_JS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const TS_EXTENSIONLESS = ['.ts', '.tsx', '.mts', '.cts', '/index.ts', '/index.tsx'];

export class Resolver {
  readonly #shared = new Set<string>();
  /** External files do not change under a running service: their package scopes are read once. */
  readonly #externalScopes = new PackageScopes();
  readonly #packageExports = new PackageExports();
  /** One resolve function per importing file (bounded by the number of application files). */
  readonly #resolvers = new Map<string, NodeJS.RequireResolve>();

  constructor(shared: Iterable<string> | undefined) {
    for (const file of shared ?? []) {
      const absolute = path.resolve(file);
      this.#shared.add(absolute);
      // Node's resolver answers real paths; accept the declared path either way.
      try {
        this.#shared.add(realpathSync(absolute));
      } catch {
        // A shared file that does not exist simply never matches.
      }
    }
  }

  /**
   * `mode` is how the importing file asks: `import` for ESM files (their
   * imports became `require` calls in the compiled code), `require` for
   * CommonJS. Throws Node's error (code MODULE_NOT_FOUND,
   * ERR_PACKAGE_PATH_NOT_EXPORTED, ...) when nothing is found.
   */
  resolve(importer: string, specifier: string, mode: 'import' | 'require'): Resolved {
    if (isBuiltin(specifier)) return { kind: 'builtin', id: specifier };
    const resolved = (mode === 'import' ? this.#packageExports.resolve(specifier, importer) : undefined) ?? this.#resolvePath(importer, specifier);
    if (isBuiltin(resolved)) return { kind: 'builtin', id: resolved };
    if (this.#shared.has(resolved) || isInNodeModules(resolved) || resolved.endsWith('.node')) {
      return { kind: 'external', path: resolved, esm: isEsmFile(resolved, this.#externalScopes) };
    }
    return { kind: 'app', path: resolved };
  }

  /**
   * Called at the start of each load: a load resolves afresh, so Node's memory
   * of where specifiers pointed inside the application (a file since moved or
   * renamed) is dropped. Package answers are kept.
   */
  forgetApplicationPaths(): void {
    forgetApplicationResolutions((file) => !isInNodeModules(file));
  }

  clear(): void {
    this.#resolvers.clear();
  }

  #resolvePath(importer: string, specifier: string): string {
    let resolve = this.#resolvers.get(importer);
    if (!resolve) {
      resolve = createRequire(importer).resolve;
      this.#resolvers.set(importer, resolve);
    }
    try {
      return resolve(specifier);
    } catch (error) {
      for (const candidate of typeScriptCandidates(specifier)) {
        try {
          return resolve(candidate);
        } catch {
          // try the next spelling
        }
      }
      throw error;
    }
  }
}

/** `./a.js` → `./a.ts`, `./a.tsx`; `./a` → `./a.ts`, ... (relative or absolute specifiers only). */
function typeScriptCandidates(specifier: string): string[] {
  if (!(specifier.startsWith('.') || path.isAbsolute(specifier))) return [];
  const ext = path.extname(specifier);
  const replacements = TS_FOR_JS[ext];
  if (replacements) return replacements.map((r) => specifier.slice(0, -ext.length) + r);
  if (ext === '' || specifier.endsWith('/')) return TS_EXTENSIONLESS.map((r) => specifier.replace(/\/$/, '') + r);
  return [];
}
