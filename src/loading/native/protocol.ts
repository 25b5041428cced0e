/**
 * What the hooks tell the loader, and what the loader tells the hooks thread.
 *
 * With `module.registerHooks` (Node 22.15+/23.5+) the hooks run in-thread and
 * reports are plain function calls. With `module.register` (Node 20) they run
 * in a separate thread, so the same objects travel over a MessagePort and must
 * stay structured-clonable (plain strings only).
 */

/** One application file of a generation was read for evaluation. */
export interface FileReport {
  type: 'file';
  token: string;
  path: string;
  /** sha256 (hex) of the exact bytes handed to Node for this generation. */
  sha256: string;
  /** Node's format for it ('module', 'commonjs', 'json', ...). */
  format: string;
}

/** A file of a generation imported (or required through the ESM loader) an application file. */
export interface EdgeReport {
  type: 'edge';
  token: string;
  from: string;
  to: string;
}

/**
 * A hook failed for a file of a generation. Kept because Node's own errors
 * often do not say which file failed (an unresolvable import names only the
 * missing target on some versions; a TypeScript syntax error only its line).
 */
export interface ErrorReport {
  type: 'error';
  token: string;
  /** The file at fault: the importer for a failed resolution, the file itself for a failed load. */
  path: string;
  specifier?: string;
  /** The message of the hook's error, to match it with the error the import rejects with. */
  message: string;
  /** Where in `path` a syntax error is (TypeScript: the hook's swc transform found it). */
  line?: number;
  column?: number;
}

export type HookReport = FileReport | EdgeReport | ErrorReport;

/** Per-loader configuration the hooks need. */
export interface LoaderConfig {
  /** Absolute (real) paths never re-evaluated. */
  shared: ReadonlySet<string>;
}

/** Main thread -> hooks thread. `id` messages are answered by an `ack` with the same id. */
export type ControlMessage =
  | { type: 'attach'; id: number; loader: string; shared: string[] }
  | { type: 'detach'; loader: string }
  | { type: 'flush'; id: number };

/** Hooks thread -> main thread. */
export type ThreadMessage = HookReport | { type: 'ack'; id: number };
