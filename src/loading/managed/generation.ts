/**
 * One generation of application code: the module instances created by one
 * `load` call. Entries of that call share instances of common files; another
 * call builds another generation and shares nothing with this one.
 *
 * Nothing here is reachable from a process-global: the loader maps the
 * returned LoadedModules to their generation through a WeakMap, and role code
 * reaches its generation only through the `require`/`import` it was given.
 * `dispose` (on release) drops the records so that even a leftover closure of
 * an old version (a timer, a listener) pins only its own module scope, not the
 * whole graph and its sources.
 * @module
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadedFile } from '../types.js';
import type { ModuleRequest } from './analyze.js';
import { ManagedLoadError, describe } from './errors.js';
import { importNative, importNativeFile, type Externals } from './externals.js';
import { PackageScopes } from './format.js';
import { prepareFile } from './prepare.js';
import type { Resolved, Resolver } from './resolve.js';
import { releaseSourceMap, retainSourceMap } from './source-maps.js';
import type { PreparedFile, TransformCache } from './transform-cache.js';

/** What a generation needs from its loader; shared by every generation of that loader. */
export interface LoaderContext {
  readonly cache: TransformCache;
  readonly resolver: Resolver;
  readonly externals: Externals;
}

interface Dependency {
  readonly resolved: Resolved;
  readonly dynamic: boolean;
}

interface ModuleRecord {
  readonly path: string;
  readonly file: PreparedFile;
  /** Specifier → target; literal ones filled at discovery, others when first required. */
  readonly deps: Map<string, Dependency>;
  module: RoleModule | undefined;
}

/** The `module` object role code sees: the fields CommonJS code commonly reads. */
class RoleModule {
  readonly id: string;
  readonly filename: string;
  readonly path: string;
  exports: unknown = {};
  loaded = false;
  readonly children: RoleModule[] = [];
  readonly paths: string[] = [];
  require!: RoleRequire;

  constructor(filename: string) {
    this.id = filename;
    this.filename = filename;
    this.path = path.dirname(filename);
  }
}

interface RoleRequire {
  (specifier: string): unknown;
  resolve(specifier: string): string;
  /** Always empty: role modules are not in Node's cache, and deleting from it must not throw. */
  cache: Record<string, unknown>;
  main: NodeJS.Module | undefined;
}

export class Generation {
  readonly #records = new Map<string, ModuleRecord>();
  /** ESM externals imported natively before evaluation, by resolved path. */
  readonly #esmViews = new Map<string, object>();
  /** Fresh per generation: an edited package.json "type" takes effect on the next load. */
  readonly #scopes = new PackageScopes();
  /** Source maps this generation keeps alive (released on dispose). */
  readonly scriptNames: string[] = [];
  /** The innermost file whose evaluation threw `error` (what a load error should name). */
  #failure: { error: unknown; path: string } | undefined;
  #disposed = false;

  constructor(private readonly ctx: LoaderContext) {}

  /**
   * Reads, transforms and resolves every application file reachable from the
   * entries, without evaluating anything. Returns the ESM externals that
   * static imports need, to be imported natively before evaluation.
   */
  discover(entries: string[]): Map<string, string> {
    const esmExternals = new Map<string, string>();
    const queue = [...entries];
    for (let i = 0; i < queue.length; i++) {
      const record = this.#addFile(queue[i]);
      for (const [, dep] of record.deps) {
        const target = dep.resolved;
        if (target.kind === 'app') {
          if (!this.#records.has(target.path)) queue.push(target.path);
        } else if (target.kind === 'external' && target.esm && !dep.dynamic && !esmExternals.has(target.path)) {
          esmExternals.set(target.path, record.path);
        }
      }
    }
    return esmExternals;
  }

  async importExternals(esmExternals: Map<string, string>): Promise<void> {
    await Promise.all(
      [...esmExternals].map(async ([file, importer]) => {
        try {
          this.#esmViews.set(file, await this.ctx.externals.importView(file));
        } catch (error) {
          throw new ManagedLoadError(importer, `Cannot import ${file} (imported by ${importer}): ${describe(error)}`, error);
        }
      }),
    );
  }

  /** Evaluates an entry (and its static graph) and returns its exports. Throws what the code threw. */
  evaluateEntry(entry: string): unknown {
    const record = this.#records.get(entry);
    if (!record) throw new Error(`internal error: ${entry} was not discovered`);
    return record.module ? record.module.exports : this.#evaluate(record);
  }

  /** The file whose own evaluation threw `error`, if the error came from evaluating role code. */
  failingFile(error: unknown): string | undefined {
    return this.#failure && this.#failure.error === error ? this.#failure.path : undefined;
  }

  /** Application files reachable from `entry` (itself first), with their hashes and edges. */
  files(entry: string): LoadedFile[] {
    const out: LoadedFile[] = [];
    const seen = new Set<string>([entry]);
    const queue = [entry];
    for (let i = 0; i < queue.length; i++) {
      const record = this.#records.get(queue[i]);
      if (!record) continue;
      const imports: string[] = [];
      for (const [, dep] of record.deps) {
        if (dep.resolved.kind !== 'app') continue;
        const target = dep.resolved.path;
        if (!imports.includes(target)) imports.push(target);
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
      out.push({ path: record.path, sha256: record.file.sha256, imports });
    }
    return out;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    // A leftover closure of the old code (via its require/import.meta) still
    // reaches its record; make that record pin nothing else.
    for (const record of this.#records.values()) record.module = undefined;
    this.#records.clear();
    this.#esmViews.clear();
    for (const name of this.scriptNames) releaseSourceMap(name);
    this.scriptNames.length = 0;
  }

  #addFile(file: string): ModuleRecord {
    const existing = this.#records.get(file);
    if (existing) return existing;
    // Throws ManagedLoadError naming the file: unreadable, syntax error, top-level await.
    const prepared = prepareFile(file, this.ctx.cache, this.#scopes);
    const record: ModuleRecord = { path: file, file: prepared, deps: new Map(), module: undefined };
    this.#records.set(file, record);
    if (prepared.map !== undefined) {
      retainSourceMap(prepared.scriptName, file, prepared.map);
      this.scriptNames.push(prepared.scriptName);
    }
    for (const request of prepared.requests) record.deps.set(request.specifier, this.#resolveRequest(record, request));
    return record;
  }

  #resolveRequest(record: ModuleRecord, request: ModuleRequest): Dependency {
    try {
      const mode = record.file.format === 'esm' ? 'import' : 'require';
      return { resolved: this.ctx.resolver.resolve(record.path, request.specifier, mode), dynamic: request.dynamic };
    } catch (error) {
      throw new ManagedLoadError(
        record.path,
        `Cannot resolve "${request.specifier}" imported by ${record.path}: ${describe(error)}`,
        error,
      );
    }
  }

  /** The dependency for a specifier, resolving (and discovering) on first use when it was not a literal. */
  #dependency(record: ModuleRecord, specifier: string): Resolved {
    const known = record.deps.get(specifier);
    if (known) return known.resolved;
    const dep = this.#resolveRequest(record, { specifier, dynamic: false });
    record.deps.set(specifier, dep);
    if (dep.resolved.kind === 'app' && !this.#records.has(dep.resolved.path)) {
      // Synchronous discovery: its ESM externals will go through require(esm).
      this.discover([dep.resolved.path]);
    }
    return dep.resolved;
  }

  #require(record: ModuleRecord, specifier: string): unknown {
    if (this.#disposed) {
      throw new Error(`${record.path} required "${specifier}" after its version of the role code was released`);
    }
    const target = this.#dependency(record, specifier);
    switch (target.kind) {
      case 'builtin':
        return this.ctx.externals.require(target.id);
      case 'external':
        return this.#esmViews.get(target.path) ?? this.ctx.externals.require(target.path);
      case 'app': {
        const dep = this.#records.get(target.path);
        if (!dep) throw new Error(`internal error: ${target.path} was not discovered`);
        return dep.module ? dep.module.exports : this.#evaluate(dep);
      }
    }
  }

  /** `import()` from role code: app files through this registry, externals natively (Node's semantics). */
  #dynamicImport(record: ModuleRecord, specifier: unknown): Promise<unknown> {
    return new Promise((resolve) => {
      const target = this.#dependency(record, String(specifier));
      if (target.kind === 'builtin') resolve(importNative(target.id));
      else if (target.kind === 'external') resolve(importNativeFile(target.path));
      else resolve(toNamespace(this.#require(record, String(specifier))));
    });
  }

  #resolveUrl(record: ModuleRecord, specifier: string): string {
    const target = this.#dependency(record, specifier);
    return target.kind === 'builtin' ? (target.id.startsWith('node:') ? target.id : `node:${target.id}`) : pathToFileURL(target.path).href;
  }

  #evaluate(record: ModuleRecord): unknown {
    const file = record.path;
    const module = new RoleModule(file);
    const require = this.#makeRequire(record);
    module.require = require;
    // Registered before running, so a cycle gets the partial exports (CommonJS semantics, live through getters).
    record.module = module;
    try {
      const prepared = record.file;
      if (prepared.format === 'json') {
        module.exports = JSON.parse(prepared.json ?? 'null');
      } else {
        // swc marks an ES module only when it exports something; one that exports nothing is one all the same.
        if (prepared.format === 'esm') Object.defineProperty(module.exports, '__esModule', { value: true });
        const meta = prepared.format === 'esm' ? this.#importMeta(record) : undefined;
        const dynamicImport = (specifier: unknown) => this.#dynamicImport(record, specifier);
        prepared.compiled!.call(module.exports, module.exports, require, module, file, module.path, meta, dynamicImport);
      }
      module.loaded = true;
      return module.exports;
    } catch (error) {
      // As Node does: a module that threw is not kept, a later require tries again.
      record.module = undefined;
      if (this.#failure?.error !== error) this.#failure = { error, path: file };
      throw error;
    }
  }

  #makeRequire(record: ModuleRecord): RoleRequire {
    const require = ((specifier: string) => this.#require(record, specifier)) as RoleRequire;
    require.resolve = (specifier: string) => {
      const target = this.#dependency(record, specifier);
      return target.kind === 'builtin' ? target.id : target.path;
    };
    require.cache = Object.create(null) as Record<string, unknown>;
    require.main = undefined;
    return require;
  }

  #importMeta(record: ModuleRecord): object {
    const meta = Object.create(null) as Record<string, unknown>;
    meta.url = pathToFileURL(record.path).href;
    meta.filename = record.path;
    meta.dirname = path.dirname(record.path);
    meta.resolve = (specifier: string) => this.#resolveUrl(record, specifier);
    return meta;
  }
}

/** What `import()` of a CommonJS (or JSON) app file yields in Node: `default` is `module.exports`. */
function toNamespace(exports: unknown): unknown {
  if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) {
    if ((exports as { __esModule?: unknown }).__esModule) return exports;
    const namespace = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(exports)) {
      if (key !== 'default') namespace[key] = (exports as Record<string, unknown>)[key];
    }
    namespace.default = exports;
    return namespace;
  }
  return { default: exports };
}
