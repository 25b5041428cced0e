/**
 * CommonJS roles, loaded through `createRequire` like Node would load them.
 *
 * Unlike ES modules, CommonJS modules can be evicted: `require.cache` is a
 * plain object. Before each load the tracker deletes the cache entries of the
 * application files it evaluated before and unlinks them from every module's
 * `children` (and from `parent`, which a package first required by a role
 * points at), so the new load evaluates them again and the old versions become
 * collectable once the runtime drops its own references.
 *
 * The same applies to CommonJS files reached from ES module roles: Node keeps
 * those in `require.cache` too and would otherwise hand every generation the
 * first instance; `own()` takes them in.
 */
import { readFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import { sha256 } from '../../utils/sha256.js';
import type { Generation } from './generation.js';

/** The parts of Node's CommonJS internals used here (stable for many majors, used by tools like jest and proxyquire). */
interface CjsModule {
  filename: string;
  exports: unknown;
  children: CjsModule[];
  parent?: CjsModule | null | undefined;
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}
type ExtensionHandler = (this: unknown, module: CjsModule, filename: string, ...rest: unknown[]) => unknown;
type LoadFunction = (request: string, parent: CjsModule | undefined, isMain: boolean, ...rest: unknown[]) => unknown;
interface CjsLoader {
  new (id: string, parent: CjsModule | null): CjsModule & { paths: string[]; loaded: boolean; id: string };
  _cache: Record<string, CjsModule | undefined>;
  _extensions: Record<string, ExtensionHandler>;
  _load: LoadFunction;
  _resolveFilename(request: string, parent: CjsModule | undefined, isMain: boolean): string;
}
const Module = nodeModule as unknown as CjsLoader;

/** A parent with the same resolution context as `parent` (directory, lookup paths) and nothing else. */
function standIn(parent: CjsModule): CjsModule {
  const real = parent as CjsModule & { id: string; paths: string[] };
  const module = new Module(real.id, null);
  module.filename = real.filename;
  module.paths = real.paths;
  module.loaded = true;
  return module;
}

export class CommonJsTracker {
  /** Application files this loader evaluated and left in `require.cache`, with the generation that did. */
  readonly #owned = new Map<string, string>();

  /** Record files of an ESM-driven generation that Node put in `require.cache`. */
  own(paths: Iterable<string>, token: string): void {
    for (const path of paths) if (Module._cache[path]) this.#owned.set(path, token);
  }

  /** Evict the files of one generation (`token`) or of all (`undefined`). */
  purge(token?: string): void {
    const removed = new Set<CjsModule>();
    for (const [path, owner] of this.#owned) {
      if (token !== undefined && owner !== token) continue;
      this.#owned.delete(path);
      const cached = Module._cache[path];
      if (cached) {
        delete Module._cache[path];
        removed.add(cached);
      }
    }
    if (removed.size === 0) return;
    // Anything still cached that links to an evicted module would keep it,
    // and everything it references, alive for the life of the process.
    for (const module of Object.values(Module._cache)) {
      if (!module) continue;
      if (module.children.some((child) => removed.has(child))) {
        module.children = module.children.filter((child) => !removed.has(child));
      }
      // `parent` is a deprecated accessor; reading it warns only under --pending-deprecation.
      if (module.parent && removed.has(module.parent)) module.parent = undefined;
    }
  }

  /**
   * Require `entry` afresh and record its application files in `generation`.
   * `isApp` tells application files (evaluated afresh, listed) from packages
   * and shared files.
   */
  load(entry: string, generation: Generation, isApp: (path: string) => boolean): unknown {
    const before = new Set(Object.keys(Module._cache));
    const require = createRequire(entry);
    const original = Module._extensions['.js']!;
    // Hash the very string Node compiles (read once by Node), not a second
    // read of the file that could already hold the next edit. The wrapper is
    // in place only for this synchronous require() and only looks at
    // application files.
    Module._extensions['.js'] = function (this: unknown, module, filename, ...rest) {
      if (!isApp(filename)) return original.call(this, module, filename, ...rest);
      module._compile = function (this: CjsModule, content, name, ...more) {
        // Recorded before compiling, so a syntax error can be traced to its file.
        generation.addFile(name, { sha256: sha256(content as string | Uint8Array), format: 'commonjs' });
        return Object.getPrototypeOf(module)._compile.call(this, content, name, ...more);
      };
      try {
        return original.call(this, module, filename, ...rest);
      } finally {
        // Back to the prototype's method: the module must not keep our closure.
        delete (module as Partial<CjsModule>)._compile;
      }
    };
    // Node 22+ also records a module's requiring parent under private
    // symbols (first and last parent) that JavaScript cannot clear, so a
    // package first required by a role would pin that role's whole old graph
    // for good. While the role loads, such a package is therefore required
    // on behalf of a stand-in that only mirrors the role's location.
    const originalLoad = Module._load;
    Module._load = function (this: unknown, request, parent, isMain, ...rest) {
      if (parent && isApp(parent.filename) && !parent.filename.endsWith('.json')) {
        let filename: string | undefined;
        try {
          filename = Module._resolveFilename(request, parent, isMain);
        } catch {
          filename = undefined; // Let Node raise its own error below.
        }
        if (filename !== undefined && isAbsolute(filename) && !isApp(filename) && !Module._cache[filename]) {
          return originalLoad.call(this, request, standIn(parent), isMain, ...rest);
        }
      }
      return originalLoad.call(this, request, parent, isMain, ...rest);
    };
    let exports: unknown;
    try {
      exports = require(entry);
    } finally {
      Module._extensions['.js'] = original;
      Module._load = originalLoad;
      // Even a failed load leaves the files it did evaluate in the cache.
      for (const path of Object.keys(Module._cache)) {
        if (!before.has(path) && isApp(path)) this.#owned.set(path, generation.token);
      }
    }
    this.#record(entry, generation, isApp);
    return exports;
  }

  /** Edges from `module.children`, which lists every module a module required, first time or cached. */
  #record(entry: string, generation: Generation, isApp: (path: string) => boolean): void {
    const seen = new Set<CjsModule>();
    const visit = (module: CjsModule): void => {
      if (seen.has(module)) return;
      seen.add(module);
      // JSON (and other non-.js) files are not compiled: hash them from disk.
      if (!generation.files.has(module.filename)) {
        generation.addFile(module.filename, { sha256: sha256(readFileSync(module.filename)), format: module.filename.endsWith('.json') ? 'json' : 'commonjs' });
      }
      for (const child of module.children) {
        if (!isApp(child.filename) || this.#owned.get(child.filename) !== generation.token) continue;
        generation.addEdge(module.filename, child.filename);
        visit(child);
      }
    };
    const root = Module._cache[entry];
    if (root) visit(root);
  }
}
