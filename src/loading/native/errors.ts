/**
 * Turning a failed load into an Error that names the failing file.
 *
 * Node's own errors are uneven about it: a throw during evaluation has the
 * file in its stack, a missing export has it on the stack's first line, an
 * unresolvable import names only the importer (Node 20) or the target, and a
 * syntax error in an ES module names no file at all. So the loader combines,
 * most specific first: the application files in the stack (innermost first),
 * the failures the hooks reported, a syntax check of the generation's files
 * (only for a SyntaxError without a location), and finally the entry.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Generation } from './generation.js';
import { tokenOf } from './token.js';
import { hasSyntaxError } from './typescript.js';

/** `file:` URLs and absolute paths as they appear in V8 stacks: `(file:///a/b.js?x:1:2)`, `at /a/b.js:1:2`, `/a/b.js:3` + newline. */
const LOCATION = /(file:\/\/[^\s()]+?|\/[^\s():]+?):\d+(?::\d+)?(?=[\s)]|$)/gm;

function stackFile(error: unknown, generation: Generation): string | undefined {
  const stack = error instanceof Error ? String(error.stack ?? '') : '';
  for (const match of stack.matchAll(LOCATION)) {
    const where = match[1]!;
    let path: string;
    if (where.startsWith('file:')) {
      // A URL of another generation (or none) is not this load's doing.
      if (tokenOf(where) !== generation.token) continue;
      path = fileURLToPath(where);
    } else {
      path = where;
    }
    // CommonJS frames are plain paths: accept the files this load evaluated.
    if (generation.files.has(path)) return path;
  }
  return undefined;
}

/**
 * A failure reported by the hooks with the very message the import rejected
 * with. Matching by message, not just taking the last failure, matters: Node
 * loads a graph's files concurrently, and a role may catch a failed optional
 * import, so the last hook failure need not be the one that sank the load.
 */
function hookFailure(error: unknown, generation: Generation): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return generation.failures.findLast((failure) => failure.message === message)?.path;
}

/** For CommonJS: `Cannot find module` carries the chain of requiring files, innermost first. */
function requireStackFile(error: unknown): string | undefined {
  const stack = (error as { requireStack?: unknown } | null)?.requireStack;
  return Array.isArray(stack) && typeof stack[0] === 'string' ? stack[0] : undefined;
}

function syntaxErrorFile(error: unknown, generation: Generation): string | undefined {
  if (!(error instanceof SyntaxError)) return undefined;
  for (const [path, record] of generation.files) {
    if (record.format !== 'module' && record.format !== 'commonjs') continue;
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    if (hasSyntaxError(source, path, record.format === 'commonjs')) return path;
  }
  return undefined;
}

/** The absolute path of the file at fault for `error`, raised while loading `entry`. */
export function failingFile(error: unknown, entry: string, generation: Generation): string {
  return (
    stackFile(error, generation) ??
    requireStackFile(error) ??
    hookFailure(error, generation) ??
    syntaxErrorFile(error, generation) ??
    entry
  );
}

export function loadError(entry: string, file: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const where = file === entry ? file : `${file} (imported by role ${entry})`;
  // `file` as the managed loader's errors have it: watch mode watches it so that fixing it retries.
  return Object.assign(new Error(`Cannot load ${where}: ${reason}`, { cause }), { file });
}
