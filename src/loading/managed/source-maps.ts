/**
 * Stack traces of managed role code point at the original file and line.
 *
 * Why this exists: Node's source-map support (`--enable-source-maps`,
 * `process.setSourceMapsEnabled(true)`) only registers maps for code that
 * Node's own loaders compile. Code from `vm.compileFunction` is ignored even
 * with an inline `sourceMappingURL` (checked on Node 20.20), so frames would
 * report lines of swc's output. We therefore compose an
 * `Error.prepareStackTrace` that rewrites only frames of scripts registered
 * here and hands every frame to whatever hook was installed before. On Node
 * 20.20 that is Node's own default formatter (exposed as
 * `Error.prepareStackTrace`), which keeps applying Node's source maps to the
 * other frames; where it is undefined we format like Node.
 *
 * Scripts are named `<absolute path>?rolekit=<sha prefix>`: two versions of a
 * file may be alive at once (the old one keeps serving while the new one is
 * checked), and each must be mapped with its own map. The mapped frame reports
 * the plain absolute path.
 *
 * Memory: the registry is process-wide (there is one `Error.prepareStackTrace`)
 * but holds only maps of versions someone still retains; the transform cache
 * retains the latest version of each file and every live generation retains
 * its own, so a released version's map is dropped, not accumulated.
 * @module
 */
import { SourceMap, findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface MapEntry {
  readonly path: string;
  readonly json: string;
  /** Parsed on first use: most versions never appear in a stack trace. */
  parsed: SourceMap | undefined;
  refs: number;
}

const maps = new Map<string, MapEntry>();

export function scriptNameFor(path: string, sha256: string): string {
  return `${path}?rolekit=${sha256.slice(0, 12)}`;
}

export function retainSourceMap(scriptName: string, path: string, json: string): void {
  const entry = maps.get(scriptName);
  if (entry) entry.refs++;
  else maps.set(scriptName, { path, json, parsed: undefined, refs: 1 });
}

export function releaseSourceMap(scriptName: string): void {
  const entry = maps.get(scriptName);
  if (entry && --entry.refs <= 0) maps.delete(scriptName);
}

/** How many versions' maps are held process-wide (tests check it stays flat). */
export function retainedSourceMaps(): number {
  return maps.size;
}

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

let users = 0;
/** Our hook is reachable from `Error.prepareStackTrace` (directly or through a hook composed over it). */
let chained = false;
let previous: PrepareStackTrace | undefined;

function rolekitPrepareStackTrace(error: Error, frames: NodeJS.CallSite[]): unknown {
  const mapped = maps.size === 0 ? frames : frames.map(mapFrame);
  if (typeof previous === 'function' && previous !== rolekitPrepareStackTrace) return previous(error, mapped);
  return formatLikeNode(error, mapped);
}

/**
 * Installs the hook once per process, however many loaders exist. If some
 * other code replaced `Error.prepareStackTrace` after us and then we are
 * installed again, we leave it: reinstalling could put us twice in a chain.
 */
export function installStackTraceHook(): void {
  users++;
  if (chained) return;
  previous = Error.prepareStackTrace as PrepareStackTrace | undefined;
  Error.prepareStackTrace = rolekitPrepareStackTrace;
  chained = true;
}

/**
 * Restores the previous hook when the last loader closes, unless another hook
 * was composed over ours (then ours stays in their chain, mapping nothing once
 * the registry is empty).
 */
export function uninstallStackTraceHook(): void {
  if (users === 0 || --users > 0) return;
  if (Error.prepareStackTrace === rolekitPrepareStackTrace) {
    Error.prepareStackTrace = previous as typeof Error.prepareStackTrace;
    previous = undefined;
    chained = false;
  }
}

function mapFrame(frame: NodeJS.CallSite): NodeJS.CallSite {
  const scriptName = frame.getFileName();
  const entry = scriptName ? maps.get(scriptName) : undefined;
  if (!entry || !scriptName) return frame;
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (line === null || column === null) return new MappedCallSite(frame, scriptName, entry.path, line, column);
  entry.parsed ??= new SourceMap(JSON.parse(entry.json));
  const origin = entry.parsed.findEntry(line - 1, column - 1);
  if (!('originalLine' in origin)) return new MappedCallSite(frame, scriptName, entry.path, line, column);
  return new MappedCallSite(frame, scriptName, entry.path, origin.originalLine + 1, origin.originalColumn + 1);
}

/**
 * For Node versions where `Error.prepareStackTrace` starts undefined: what
 * Node prints without a hook, `String(error)` then one `\n    at <frame>` per
 * frame. Installing a hook there switches Node's own source maps off for every
 * error in the process, so frames of Node-loaded files are mapped through
 * `findSourceMap` as Node would.
 */
function formatLikeNode(error: Error, frames: NodeJS.CallSite[]): string {
  let header: string;
  try {
    header = Error.prototype.toString.call(error);
  } catch {
    header = '<error>';
  }
  const nodeMaps = process.sourceMapsEnabled;
  let out = header;
  for (const frame of frames) out += `\n    at ${nodeMaps && !(frame instanceof MappedCallSite) ? mapWithNode(frame) : frame}`;
  return out;
}

function mapWithNode(frame: NodeJS.CallSite): NodeJS.CallSite {
  try {
    const name = frame.getFileName();
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (!name || line === null || column === null) return frame;
    const map = findSourceMap(name);
    if (!map) return frame;
    const origin = map.findEntry(line - 1, column - 1);
    if (!('originalLine' in origin)) return frame;
    const source = origin.originalSource.startsWith('file://') ? fileURLToPath(origin.originalSource) : origin.originalSource;
    return new MappedCallSite(frame, name, source, origin.originalLine + 1, origin.originalColumn + 1);
  } catch {
    return frame;
  }
}

/**
 * A CallSite reporting the original position. Every method exists (hooks
 * such as vitest's clone call sites by enumerating the prototype) and
 * delegates to the V8 frame except the position ones.
 */
class MappedCallSite implements NodeJS.CallSite {
  readonly #frame: NodeJS.CallSite;
  readonly #scriptName: string;
  readonly #path: string;
  readonly #line: number | null;
  readonly #column: number | null;

  constructor(frame: NodeJS.CallSite, scriptName: string, path: string, line: number | null, column: number | null) {
    this.#frame = frame;
    this.#scriptName = scriptName;
    this.#path = path;
    this.#line = line;
    this.#column = column;
  }

  getFileName(): string | null {
    return this.#path;
  }
  getScriptNameOrSourceURL(): string | null {
    return this.#path;
  }
  getLineNumber(): number | null {
    return this.#line;
  }
  getColumnNumber(): number | null {
    return this.#column;
  }
  getEnclosingColumnNumber(): number | null {
    return this.#frame.getEnclosingColumnNumber();
  }
  getEnclosingLineNumber(): number | null {
    return this.#frame.getEnclosingLineNumber();
  }
  getEvalOrigin(): string | undefined {
    return this.#frame.getEvalOrigin();
  }
  getFunction(): Function | undefined {
    return this.#frame.getFunction();
  }
  getFunctionName(): string | null {
    return this.#frame.getFunctionName();
  }
  getMethodName(): string | null {
    return this.#frame.getMethodName();
  }
  getPosition(): number {
    return this.#frame.getPosition();
  }
  getPromiseIndex(): number | null {
    return this.#frame.getPromiseIndex();
  }
  getScriptHash(): string {
    return this.#frame.getScriptHash();
  }
  getThis(): unknown {
    return this.#frame.getThis();
  }
  getTypeName(): string | null {
    return this.#frame.getTypeName();
  }
  isAsync(): boolean {
    return this.#frame.isAsync();
  }
  isConstructor(): boolean {
    return this.#frame.isConstructor();
  }
  isEval(): boolean {
    return this.#frame.isEval();
  }
  isNative(): boolean {
    return this.#frame.isNative();
  }
  isPromiseAll(): boolean {
    return this.#frame.isPromiseAll();
  }
  isToplevel(): boolean {
    return this.#frame.isToplevel();
  }
  /** V8's own rendering with the location swapped, so every frame shape (async, new, method) stays as V8 prints it. */
  toString(): string {
    const text = this.#frame.toString();
    const generated = `${this.#scriptName}:${this.#frame.getLineNumber()}:${this.#frame.getColumnNumber()}`;
    const original = `${this.#path}:${this.#line}:${this.#column}`;
    const at = text.lastIndexOf(generated);
    if (at >= 0) return text.slice(0, at) + original + text.slice(at + generated.length);
    return text.split(this.#scriptName).join(this.#path);
  }
}
