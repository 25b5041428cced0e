/**
 * The contract between the runtime and the two loaders of role code
 * (`managed` and `native`, docs/reload.md).
 *
 * A loader evaluates role modules *afresh from disk*: every application file in
 * the module graph of an entry is evaluated again on each `load`, while
 * `node_modules`, `node:` builtins and files the loader was told are shared
 * (loaded by the application before `createRuntime`) are taken from Node as
 * usual and shared by every version.
 */

/** One application file of a loaded graph, with the hash it had when it was read. */
export interface LoadedFile {
  /** Absolute path on disk. */
  path: string;
  /** sha256 (hex) of the file's bytes at the moment it was read for this load. */
  sha256: string;
  /** Absolute paths of the application files this file imports (static and literal dynamic imports, requires). */
  imports: string[];
}

/** The result of loading one entry module (a role file). */
export interface LoadedModule {
  /** Absolute path of the entry file. */
  entry: string;
  /** The entry's module namespace (ESM) or `module.exports` (CommonJS). The role is `exports.default` (or `module.exports` itself for CJS). */
  exports: Record<string, unknown>;
  /** Every application file of the graph, the entry first. */
  files: LoadedFile[];
}

export interface RoleLoader {
  readonly kind: 'managed' | 'native';
  /**
   * Load each entry afresh from disk. Rejects with an Error whose message names
   * the failing file (syntax error, throw on import, unresolvable import,
   * top-level await under `managed`), with the original error as `cause`.
   */
  load(entries: string[]): Promise<LoadedModule[]>;
  /** Forget what the loader holds for a replaced version so that it can be collected. */
  release(modules: LoadedModule[]): void;
  /** Undo process-wide effects (hooks cannot be unregistered on Node 20; then this only stops tracking). */
  close(): void;
  /**
   * Optional: get an application file ready for a coming load (read and
   * transform it, evaluate nothing), so that the load after a save does less.
   * Says whether the file compiled; `skipped` for a file the loader does not
   * transform (a package's). Never rejects: a file that cannot be prepared is
   * the next load's to report.
   */
  prewarm?(file: string): Promise<Prewarmed>;
}

export type Prewarmed = 'compiled' | 'failed' | 'skipped';

export interface LoaderOptions {
  /**
   * Absolute paths of files that are shared by every version (never
   * re-evaluated): files the application loaded before `createRuntime`.
   * `node_modules` and builtins are always shared.
   */
  shared?: Iterable<string>;
}
