/**
 * Turning a failed load into an Error that names the failing file, and for a
 * syntax error the line and column in it.
 *
 * Node's own errors are uneven about it: a throw during evaluation has the
 * file in its stack, a missing export has it on the stack's first line, an
 * unresolvable import names only the importer (Node 20) or the target, a
 * CommonJS syntax error has file, line and caret on top of its stack, and a
 * syntax error in an ES module names no file at all. So the loader combines,
 * most specific first: V8's syntax-error position, the application files in
 * the stack (innermost first), the failures the hooks reported (TypeScript
 * syntax errors with their position), a syntax check of the generation's
 * files (only for a SyntaxError without a location), and finally the entry.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { atPosition, v8SyntaxPosition, type SourcePosition } from '../syntax-errors.js';
import type { Generation } from './generation.js';
import { tokenOf } from './token.js';
import { findSyntaxError } from './typescript.js';
import { isInstance, messageOf, readSafely, stackOf } from '../../thrown.js';

/** The file at fault and, for a syntax error, where in it. */
export interface Failure {
  path: string;
  position?: SourcePosition | undefined;
}

/** `file:` URLs and absolute paths as they appear in V8 stacks: `(file:///a/b.js?x:1:2)`, `at /a/b.js:1:2`, `/a/b.js:3` + newline. */
const LOCATION = /(file:\/\/[^\s()]+?|\/[^\s():]+?):\d+(?::\d+)?(?=[\s)]|$)/gm;

/** A path of this load from a location in a stack: a URL of another generation (or none) is not this load's doing. */
function pathOfLoad(where: string, generation: Generation): string | undefined {
  if (where.startsWith('file:') && tokenOf(where) !== generation.token) return undefined;
  const path = where.startsWith('file:') ? fileURLToPath(where) : where;
  // CommonJS frames are plain paths: accept the files this load evaluated.
  return generation.files.has(path) ? path : undefined;
}

function stackFile(error: unknown, generation: Generation): Failure | undefined {
  const stack = stackOf(error);
  for (const match of stack.matchAll(LOCATION)) {
    const path = pathOfLoad(match[1]!, generation);
    if (path !== undefined) return { path };
  }
  return undefined;
}

/** A CommonJS (script) SyntaxError: V8 put `file:line`, the line and a caret on top of the stack. */
function v8SyntaxFailure(error: unknown, generation: Generation): Failure | undefined {
  const at = v8SyntaxPosition(error);
  const path = at && pathOfLoad(at.file, generation);
  return path === undefined ? undefined : { path, position: { line: at!.line, column: at!.column } };
}

/**
 * A failure reported by the hooks with the very message the import rejected
 * with. Matching by message, not just taking the last failure, matters: Node
 * loads a graph's files concurrently, and a role may catch a failed optional
 * import, so the last hook failure need not be the one that sank the load.
 */
function hookFailure(error: unknown, generation: Generation): Failure | undefined {
  const message = messageOf(error);
  const failure = generation.failures.findLast((f) => f.message === message);
  return failure && { path: failure.path, position: failure.position };
}

/** For CommonJS: `Cannot find module` carries the chain of requiring files, innermost first. */
function requireStackFile(error: unknown): Failure | undefined {
  const stack = readSafely(error, 'requireStack');
  return Array.isArray(stack) && typeof stack[0] === 'string' ? { path: stack[0] } : undefined;
}

function syntaxErrorFile(error: unknown, generation: Generation): Failure | undefined {
  if (!isInstance(error, SyntaxError)) return undefined;
  for (const [path, record] of generation.files) {
    if (record.format !== 'module' && record.format !== 'commonjs') continue;
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const found = findSyntaxError(source, path, record.format === 'commonjs');
    if (found) return { path, position: found.position };
  }
  return undefined;
}

/** The file at fault for `error`, raised while loading `entry`. */
export function failingFile(error: unknown, entry: string, generation: Generation): Failure {
  return (
    v8SyntaxFailure(error, generation) ??
    stackFile(error, generation) ??
    requireStackFile(error) ??
    hookFailure(error, generation) ??
    syntaxErrorFile(error, generation) ?? { path: entry }
  );
}

export function loadError(entry: string, failure: Failure, cause: unknown): Error {
  const reason = messageOf(cause);
  const at = atPosition(failure.path, failure.position);
  const where = failure.path === entry ? at : `${at} (imported by role ${entry})`;
  // `file` as the managed loader's errors have it: watch mode watches it so that fixing it retries.
  return Object.assign(new Error(`Cannot load ${where}: ${reason}`, { cause }), { file: failure.path });
}
