/**
 * Load failures name the file at fault (absolute path) in the message, so the
 * reload report is actionable without digging into `cause`, which keeps the
 * original error (swc diagnostic, V8 SyntaxError, the role's own throw, ...).
 * @module
 */
import { messageOf } from '../../thrown.js';
import { firstLine } from '../../utils/swc-diagnostic.js';

export class ManagedLoadError extends Error {
  /** Absolute path of the file that failed. */
  readonly file: string;

  constructor(file: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ManagedLoadError';
    this.file = file;
  }
}

/** First line of an error's message, without terminal colours (swc diagnostics carry both). */
export function describe(error: unknown): string {
  return firstLine(messageOf(error));
}
