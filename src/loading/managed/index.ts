/**
 * The `managed` loader: rolekit's own module registry for application role
 * code (docs/concepts.md, README).
 *
 * Each `load` evaluates every application file of the entries' graphs afresh
 * from disk: swc turns ESM/TypeScript into CommonJS with live-binding exports,
 * Node resolves specifiers, `vm.compileFunction` evaluates, and externals
 * (node_modules, builtins, `shared` files) come from Node itself so they are
 * one instance for every version. A load is async only to read nothing
 * twice and to `import()` ESM externals natively; role code then runs
 * synchronously, so top-level await is refused (use the `native` loader).
 *
 * Process-wide effects: one `Error.prepareStackTrace` hook (source-maps.ts),
 * installed on creation and removed by the last `close()`.
 * @module
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { LoadedModule, LoaderOptions, Prewarmed, RoleLoader } from '../types.js';
import { ManagedLoadError, describe } from './errors.js';
import { Externals } from './externals.js';
import { Generation, type LoaderContext } from './generation.js';
import { Resolver } from './resolve.js';
import { installStackTraceHook, releaseSourceMap, uninstallStackTraceHook } from './source-maps.js';
import { TransformCache } from './transform-cache.js';
import { prewarmFile } from './prepare.js';
import { PackageScopes } from './format.js';
import { isInNodeModules } from '../paths.js';
import { isInstance } from '../../thrown.js';

export { ManagedLoadError } from './errors.js';
export { retainedSourceMaps } from './source-maps.js';

export interface ManagedLoaderStats {
  /** Files transformed by swc since creation (a cache miss each). */
  readonly transforms: number;
  /** Files whose cached transform was reused. */
  readonly cacheHits: number;
  /** Files in the transform cache (one entry per path, whatever the number of edits). */
  readonly cachedFiles: number;
  /** Generations loaded and not yet released (or collected). */
  readonly liveGenerations: number;
}

export interface ManagedLoader extends RoleLoader {
  readonly kind: 'managed';
  /** Counters for tests and diagnostics. */
  readonly stats: ManagedLoaderStats;
}

interface GenerationHandle {
  readonly generation: Generation;
  /** LoadedModules of this generation not yet released; the generation is disposed at zero. */
  pending: number;
}

export function createManagedLoader(options: LoaderOptions = {}): ManagedLoader {
  const cache = new TransformCache();
  const resolver = new Resolver(options.shared);
  const ctx: LoaderContext = { cache, resolver, externals: new Externals() };
  /** LoadedModule → its generation; weak so an unreleased, dropped result is not pinned by the loader. */
  const owners = new WeakMap<LoadedModule, GenerationHandle>();
  /**
   * Keeps a generation (and so its source maps, see the finalizer) alive while
   * its entry's exports or its role object are, even if the caller kept only
   * those and dropped the LoadedModule.
   */
  const anchors = new WeakMap<object, Generation>();
  /**
   * The source-map names each live generation retains (the generation's own
   * array, emptied when it releases them). The loader never holds a
   * generation itself, not even through a WeakRef: a WeakRef keeps its target
   * alive until the current job ends, and a service reloading in one long
   * async chain would keep every generation it loaded.
   */
  const live = new Set<string[]>();
  // Safety net for results dropped without release(): once the generation is
  // collected, give back the source maps it retained.
  const finalizer = new FinalizationRegistry<string[]>((scriptNames) => {
    live.delete(scriptNames);
    releaseAll(scriptNames);
  });
  let closed = false;
  installStackTraceHook();

  const dispose = (handle: GenerationHandle) => {
    finalizer.unregister(handle);
    live.delete(handle.generation.scriptNames);
    handle.generation.dispose();
  };

  return {
    kind: 'managed',

    get stats(): ManagedLoaderStats {
      return {
        transforms: cache.stats.transforms,
        cacheHits: cache.stats.hits,
        cachedFiles: cache.size,
        liveGenerations: live.size,
      };
    },

    async load(entries: string[]): Promise<LoadedModule[]> {
      if (closed) throw new Error('the managed loader was closed');
      resolver.forgetApplicationPaths();
      const generation = new Generation(ctx);
      const roots = entries.map(entryPath);
      let evaluating: string | undefined;
      try {
        const esmExternals = generation.discover(roots);
        if (esmExternals.size > 0) await generation.importExternals(esmExternals);
        if (closed) throw new ManagedLoadError(roots[0] ?? '', `the managed loader was closed while loading ${roots.join(', ')}`);
        const results: LoadedModule[] = [];
        for (let i = 0; i < roots.length; i++) {
          evaluating = roots[i];
          const exports = generation.evaluateEntry(roots[i]) as Record<string, unknown>;
          results.push({ entry: path.resolve(entries[i]), exports, files: [] });
        }
        evaluating = undefined;
        // After evaluation: files required by non-literal specifiers during evaluation are included too.
        for (let i = 0; i < roots.length; i++) results[i].files = generation.files(roots[i]);

        const handle: GenerationHandle = { generation, pending: results.length };
        for (const result of results) {
          owners.set(result, handle);
          anchor(anchors, result.exports, generation);
          if (result.exports != null) anchor(anchors, (result.exports as { default?: unknown }).default, generation);
        }
        live.add(generation.scriptNames);
        // Held value and token do not reference the generation strongly from the registry's side.
        finalizer.register(generation, generation.scriptNames, handle);
        return results;
      } catch (error) {
        generation.dispose();
        if (isInstance(error, ManagedLoadError)) throw error;
        const file = generation.failingFile(error) ?? evaluating ?? roots[0] ?? '<no entry>';
        throw new ManagedLoadError(file, `Error while evaluating ${file}: ${describe(error)}`, error);
      }
    },

    async prewarm(file: string): Promise<Prewarmed> {
      // A package's files come from Node, never from the cache: nothing to get ready.
      if (closed || !path.isAbsolute(file) || isInNodeModules(file)) return 'skipped';
      return (await prewarmFile(file, cache, new PackageScopes(), () => !closed)) ? 'compiled' : 'failed';
    },

    release(modules: LoadedModule[]): void {
      for (const module of modules) {
        const handle = owners.get(module);
        if (!handle) continue;
        owners.delete(module);
        if (--handle.pending === 0) dispose(handle);
      }
    },

    close(): void {
      if (closed) return;
      closed = true;
      // Generations still referenced by their users keep working; only what
      // they retained process-wide (source maps) is given back.
      for (const scriptNames of live) releaseAll(scriptNames);
      live.clear();
      cache.clear();
      resolver.clear();
      uninstallStackTraceHook();
    },
  };
}

function anchor(anchors: WeakMap<object, Generation>, value: unknown, generation: Generation): void {
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) anchors.set(value, generation);
}

function releaseAll(scriptNames: string[]): void {
  for (const name of scriptNames) releaseSourceMap(name);
  scriptNames.length = 0;
}

/** Entries are resolved to real paths so they match what Node's resolver answers for imports of them. */
function entryPath(entry: string): string {
  const absolute = path.resolve(entry);
  try {
    return realpathSync(absolute);
  } catch (error) {
    throw new ManagedLoadError(absolute, `Cannot read ${absolute}: ${describe(error)}`, error);
  }
}
