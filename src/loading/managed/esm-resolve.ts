/**
 * Bare package specifiers imported from ESM role code resolve with Node's
 * *import* conditions.
 *
 * Why: `createRequire().resolve` applies the "require" condition, so a dual
 * package (zod, hono, ...) would give role code its CommonJS build while the
 * application (and rolekit itself) use the ESM build: two instances of the
 * same library in one process, `instanceof` failing between them, state not
 * shared. Node has no public API to resolve with import conditions from an
 * arbitrary parent on Node 20 (`import.meta.resolve(s, parent)` is behind a
 * flag), so this implements the part of Node's ESM resolver that differs:
 * finding the package and reading its "exports" map. Anything else (no
 * "exports", `#imports`, self-references, not found) returns undefined and the
 * caller uses Node's resolver as for CommonJS.
 * @module
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The conditions Node's ESM loader uses on this process (Node 20.19+: with module-sync). */
export const IMPORT_CONDITIONS: ReadonlySet<string> = new Set([
  'node',
  'import',
  'node-addons',
  ...((process.features as { require_module?: boolean }).require_module ? ['module-sync'] : []),
  ...userConditions(),
]);

/** `--conditions x` / `-C x` given to node (command line or NODE_OPTIONS) apply to ESM resolution too. */
function userConditions(): string[] {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = /^(?:--conditions|-C)=(.+)$/.exec(arg);
    if (eq) out.push(eq[1]);
    else if ((arg === '--conditions' || arg === '-C') && args[i + 1]) out.push(args[++i]);
  }
  return out;
}

interface PackageJson {
  exports?: unknown;
}

/** Package lookups and package.json reads, per loader: node_modules do not change under a running service. */
export class PackageExports {
  readonly #manifests = new Map<string, PackageJson | null>();

  resolve(specifier: string, importer: string, conditions: ReadonlySet<string> = IMPORT_CONDITIONS): string | undefined {
    const parsed = parsePackageSpecifier(specifier);
    if (!parsed) return undefined;
    for (let dir = path.dirname(importer); ; dir = path.dirname(dir)) {
      const packageDir = path.join(dir, 'node_modules', parsed.name);
      const manifest = this.#manifest(path.join(packageDir, 'package.json'));
      if (manifest) {
        // Found the package Node would use; without "exports" its "main" is the same for both loaders.
        if (manifest.exports === undefined || manifest.exports === null) return undefined;
        const target = resolveExports(manifest.exports, parsed.subpath, conditions);
        if (typeof target !== 'string') return undefined;
        try {
          return realpathSync(path.join(packageDir, target));
        } catch {
          return undefined;
        }
      }
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  #manifest(file: string): PackageJson | null {
    let manifest = this.#manifests.get(file);
    if (manifest === undefined) {
      try {
        manifest = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
      } catch {
        manifest = null;
      }
      this.#manifests.set(file, manifest);
    }
    return manifest;
  }
}

function parsePackageSpecifier(specifier: string): { name: string; subpath: string } | undefined {
  if (specifier === '' || specifier.startsWith('.') || specifier.startsWith('#') || path.isAbsolute(specifier)) return undefined;
  if (specifier.includes(':')) return undefined; // node:, file:, data: ...
  const parts = specifier.split('/');
  const nameParts = specifier.startsWith('@') ? 2 : 1;
  if (parts.length < nameParts || parts.slice(0, nameParts).some((p) => p === '')) return undefined;
  const name = parts.slice(0, nameParts).join('/');
  const rest = parts.slice(nameParts).join('/');
  return { name, subpath: rest ? `./${rest}` : '.' };
}

/** PACKAGE_EXPORTS_RESOLVE: exact subpath, else the longest matching `*` pattern. */
function resolveExports(exports: unknown, subpath: string, conditions: ReadonlySet<string>): string | null | undefined {
  const map = isSubpathMap(exports) ? (exports as Record<string, unknown>) : { '.': exports };
  if (Object.hasOwn(map, subpath) && !subpath.includes('*')) return resolveTarget(map[subpath], undefined, conditions);
  let bestKey: string | undefined;
  let bestMatch = '';
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star < 0 || key.indexOf('*', star + 1) >= 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.length >= key.length && subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
      if (bestKey === undefined || prefix.length > bestKey.indexOf('*') || (prefix.length === bestKey.indexOf('*') && key.length > bestKey.length)) {
        bestKey = key;
        bestMatch = subpath.slice(prefix.length, subpath.length - suffix.length);
      }
    }
  }
  return bestKey === undefined ? undefined : resolveTarget(map[bestKey], bestMatch, conditions);
}

function isSubpathMap(exports: unknown): boolean {
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return false;
  return Object.keys(exports).some((key) => key.startsWith('.'));
}

/** A target: a "./" path, an array of fallbacks, or a conditions object (first matching key in order). */
function resolveTarget(target: unknown, patternMatch: string | undefined, conditions: ReadonlySet<string>): string | null | undefined {
  if (typeof target === 'string') {
    if (!target.startsWith('./')) return null;
    return patternMatch === undefined ? target : target.split('*').join(patternMatch);
  }
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = resolveTarget(item, patternMatch, conditions);
      if (typeof resolved === 'string') return resolved;
    }
    return null;
  }
  if (target !== null && typeof target === 'object') {
    for (const [key, value] of Object.entries(target)) {
      if (key !== 'default' && !conditions.has(key)) continue;
      const resolved = resolveTarget(value, patternMatch, conditions);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  return null;
}
