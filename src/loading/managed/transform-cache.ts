/**
 * The latest transformed (and compiled) version of each application file, so
 * that a reload re-transforms only the files that changed.
 *
 * Keyed by path and validated by the sha256 of the bytes read: a cache keyed
 * by hash alone would keep one entry per edit and grow for as long as the
 * service is edited; here an edit replaces the entry of its path, so memory
 * depends on the number of files, not on the number of reloads.
 *
 * The compiled function is kept with the transform: calling it again gives a
 * fresh module scope (top-level bindings are its locals), so reusing it is
 * safe and saves V8 a parse per unchanged file per load.
 * @module
 */
import vm from 'node:vm';
import type { ModuleRequest } from './analyze.js';
import type { FormatHint, ModuleFormat } from './format.js';
import { releaseSourceMap, retainSourceMap } from './source-maps.js';
import { DYNAMIC_IMPORT, IMPORT_META } from './transform.js';

/** The CommonJS wrapper's parameters plus the two that stand in for ESM syntax. */
export const MODULE_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', IMPORT_META, DYNAMIC_IMPORT];

export type ModuleFunction = (
  this: unknown,
  exports: unknown,
  require: unknown,
  module: unknown,
  filename: string,
  dirname: string,
  importMeta: unknown,
  dynamicImport: unknown,
) => void;

export interface PreparedFile {
  readonly path: string;
  readonly sha256: string;
  readonly hint: FormatHint;
  readonly format: ModuleFormat;
  /** The JSON text of a .json file (code is held by `compiled` only: V8 keeps the source anyway). */
  readonly json: string | undefined;
  readonly map: string | undefined;
  /** Name V8 reports in stack frames; unique per content when there is a map (see source-maps.ts). */
  readonly scriptName: string;
  readonly requests: readonly ModuleRequest[];
  /** Undefined for JSON. */
  readonly compiled: ModuleFunction | undefined;
}

export function compileModule(code: string, scriptName: string): ModuleFunction {
  // No importModuleDynamically: every import() was rewritten to a parameter,
  // and leaving the option out means Node registers nothing per script.
  return vm.compileFunction(code, MODULE_PARAMETERS, { filename: scriptName }) as unknown as ModuleFunction;
}

export interface TransformCacheStats {
  /** Files transformed with swc (cache misses) since the loader was created. */
  transforms: number;
  /** Files served from the cache. */
  hits: number;
}

export class TransformCache {
  readonly #byPath = new Map<string, PreparedFile>();
  readonly stats: TransformCacheStats = { transforms: 0, hits: 0 };

  get size(): number {
    return this.#byPath.size;
  }

  lookup(path: string, sha256: string, hint: FormatHint): PreparedFile | undefined {
    const entry = this.#byPath.get(path);
    // The hint is part of the key: an edited package.json "type" changes the output for the same bytes.
    if (entry && entry.sha256 === sha256 && entry.hint === hint) {
      this.stats.hits++;
      return entry;
    }
    return undefined;
  }

  /** Whether the cache holds this content of the path (without counting a hit). */
  has(path: string, sha256: string, hint: FormatHint): boolean {
    const entry = this.#byPath.get(path);
    return entry !== undefined && entry.sha256 === sha256 && entry.hint === hint;
  }

  /** Records a fresh transform, replacing (and letting go of) the previous version of the path. */
  store(file: PreparedFile): void {
    this.stats.transforms++;
    const old = this.#byPath.get(file.path);
    if (file.map !== undefined) retainSourceMap(file.scriptName, file.path, file.map);
    if (old?.map !== undefined) releaseSourceMap(old.scriptName);
    this.#byPath.set(file.path, file);
  }

  clear(): void {
    for (const entry of this.#byPath.values()) if (entry.map !== undefined) releaseSourceMap(entry.scriptName);
    this.#byPath.clear();
  }
}
