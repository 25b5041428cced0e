/**
 * From a path on disk to a compiled, cached {@link PreparedFile}: read the
 * bytes once, hash exactly those bytes (the hash the runtime sees is the hash
 * of what runs), and transform + compile only when the cache does not already
 * hold that content.
 *
 * Everything here is synchronous on purpose: the same step serves discovery
 * during `load` and a non-literal `require(name)` made by role code at run time.
 * @module
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { atPosition, swcErrorPosition, swcMessage, v8SyntaxPosition, type SourcePosition } from '../syntax-errors.js';
import { ManagedLoadError, describe } from './errors.js';
import { formatHint, type FormatHint, type PackageScopes } from './format.js';
import { scriptNameFor } from './source-maps.js';
import { transformModule, transformModuleAsync, type TransformOutput } from './transform.js';
import { compileModule, type ModuleFunction, type PreparedFile, type TransformCache } from './transform-cache.js';
import { sha256 as sha256Of } from '../../utils/sha256.js';

export function prepareFile(file: string, cache: TransformCache, scopes: PackageScopes): PreparedFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new ManagedLoadError(file, `Cannot read ${file}: ${describe(error)}`, error);
  }
  const sha256 = sha256Of(bytes);
  const hint = formatHint(file, scopes);
  const cached = cache.lookup(file, sha256, hint);
  if (cached) return cached;

  const source = sourceOf(bytes);
  let output: TransformOutput;
  try {
    output = transformModule(file, source, hint);
  } catch (error) {
    const position = swcErrorPosition(error, source, (text) => transformModule(file, text, hint));
    throw new ManagedLoadError(file, `Syntax error in ${atPosition(file, position)}: ${swcMessage(error)}`, error);
  }
  const prepared = compiledFile(file, sha256, hint, output);
  cache.store(prepared);
  return prepared;
}

/**
 * Transform and compile `file` into the cache ahead of a load (watch mode does
 * it while a save settles), so that the load finds it ready; false when it
 * cannot be read or does not compile (yet: it may be half-written), which is
 * left for the load to read again and report. Nothing is evaluated. swc works
 * on its own threads meanwhile, so that several files are transformed at once
 * and the event loop goes on.
 */
export async function prewarmFile(file: string, cache: TransformCache, scopes: PackageScopes, isOpen: () => boolean): Promise<boolean> {
  try {
    const bytes = readFileSync(file);
    const sha256 = sha256Of(bytes);
    const hint = formatHint(file, scopes);
    if (cache.lookup(file, sha256, hint)) return true;
    const output = await transformModuleAsync(file, sourceOf(bytes), hint);
    const prepared = compiledFile(file, sha256, hint, output);
    // A load may have prepared the same content meanwhile (keep its entry), or the loader closed.
    if (isOpen() && !cache.has(file, sha256, hint)) cache.store(prepared);
    return true;
  } catch {
    return false;
  }
}

function sourceOf(bytes: Buffer): string {
  const source = bytes.toString('utf8');
  return source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
}

/** The transform's output checked and compiled; throws a ManagedLoadError naming the file. */
function compiledFile(file: string, sha256: string, hint: FormatHint, output: TransformOutput): PreparedFile {
  if (output.topLevelAwait) {
    // Checked before compiling (V8 would only say "await is only valid in async functions").
    throw new ManagedLoadError(
      file,
      `${file} uses top-level await, which the managed loader cannot express in CommonJS; load this role with loader: 'native'`,
    );
  }
  const scriptName = output.map === undefined ? file : scriptNameFor(file, sha256);
  let compiled: ModuleFunction | undefined;
  if (output.format === 'json') {
    try {
      JSON.parse(output.code);
    } catch (error) {
      throw new ManagedLoadError(file, `Invalid JSON in ${file}: ${describe(error)}`, error);
    }
  } else {
    try {
      // Compiling now (not at first evaluation) surfaces V8 syntax errors before any module of the graph runs.
      compiled = compileModule(output.code, scriptName);
    } catch (error) {
      const position = originalPosition(v8SyntaxPosition(error), output.map);
      throw new ManagedLoadError(file, `Syntax error in ${atPosition(file, position)}: ${describe(error)}`, error);
    }
  }
  return {
    path: file,
    sha256,
    hint,
    format: output.format,
    json: output.format === 'json' ? output.code : undefined,
    map: output.map,
    scriptName,
    requests: output.requests,
    compiled,
  };
}

/**
 * V8 rejects a few things swc lets through (a name declared twice, say); its
 * position is in the code swc emitted, so it is mapped back to the file.
 */
function originalPosition(position: SourcePosition | undefined, map: string | undefined): SourcePosition | undefined {
  if (!position || map === undefined) return position;
  const origin = new SourceMap(JSON.parse(map) as ConstructorParameters<typeof SourceMap>[0]).findEntry(position.line - 1, position.column - 1);
  return 'originalLine' in origin ? { line: origin.originalLine + 1, column: origin.originalColumn + 1 } : undefined;
}
