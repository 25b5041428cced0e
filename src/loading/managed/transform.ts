/**
 * One file in, CommonJS function-body code out (plus what it requests).
 *
 * swc converts ESM and TypeScript to CommonJS whose exports are getters (live
 * bindings, so cycles and `export let` behave as in ESM). Two things CommonJS
 * cannot say are handed to the evaluator as extra parameters instead:
 * - `import.meta` becomes the identifier {@link IMPORT_META} (swc's global
 *   replacement runs before its CommonJS pass, which would otherwise turn
 *   `import.meta.url` into a `require("url")` call and leave bare `import.meta`
 *   as a syntax error);
 * - every `import(...)` keeps its position but its keyword is overwritten with
 *   {@link DYNAMIC_IMPORT}, an identifier of the same length, so columns (and
 *   the source map) stay valid and the call reaches the managed registry
 *   instead of Node's loader, which would cache the app file forever.
 * @module
 */
import { parse, parseSync, transform, transformSync, type Options, type Output, type ParserConfig, type Program } from '@swc/core';
import { analyze, type ModuleRequest } from './analyze.js';
import type { FormatHint, ModuleFormat } from './format.js';
import { JSX_FILE, parserFor } from '../swc-parser.js';

export const IMPORT_META = '__rolekit_import_meta';
/** Must be exactly as long as `import`: it overwrites the keyword in place. */
export const DYNAMIC_IMPORT = '$rkimp';

export interface TransformOutput {
  format: ModuleFormat;
  /** Code to evaluate as a function body (JSON: the JSON text). Has an inline source map when `map` is set. */
  code: string;
  /** The source map as JSON, when the code is not the source itself. */
  map: string | undefined;
  requests: ModuleRequest[];
  topLevelAwait: boolean;
}

/** A call into swc the transform needs: made synchronously by a load, on swc's threads by a prewarm. */
type SwcCall = { parse: [code: string, options: ParseOptions] } | { transform: [code: string, options: Options] };

export function transformModule(file: string, source: string, hint: FormatHint): TransformOutput {
  const steps = transformSteps(file, source, hint);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    const call = step.value;
    step = steps.next('parse' in call ? parseSync(...call.parse) : transformSync(...call.transform));
  }
}

/** The same transform with swc's work off the event loop (its thread pool): for work done ahead of a load. */
export async function transformModuleAsync(file: string, source: string, hint: FormatHint): Promise<TransformOutput> {
  const steps = transformSteps(file, source, hint);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    const call = step.value;
    step = steps.next('parse' in call ? await parse(...call.parse) : await transform(...call.transform));
  }
}

/** The transform, once, whichever way its swc calls are made: it yields each call and is resumed with the answer. */
function* transformSteps(file: string, source: string, hint: FormatHint): Generator<SwcCall, TransformOutput, Program | Output> {
  if (hint === 'json') return { format: 'json', code: source, map: undefined, requests: [], topLevelAwait: false };
  const parser = parserFor(file);
  let program: Program | undefined;
  let format: ModuleFormat;
  if (hint === 'detect') {
    // Node 20.19+ treats a file as ESM when it only parses as a module.
    program = (yield parseCall(source, parser, 'unknown')) as Program;
    format = program.type === 'Module' ? 'esm' : 'cjs';
  } else {
    format = hint;
  }
  if (format === 'cjs' && parser.syntax === 'ecmascript' && !JSX_FILE.test(file)) {
    // Plain CommonJS runs as written: exact lines, no source map needed.
    program ??= (yield parseCall(source, parser, false)) as Program;
    const analysis = analyze(program);
    return {
      format,
      code: rewriteDynamicImports(neutraliseHashbang(source), analysis.dynamicImportOffsets, file),
      map: undefined,
      requests: analysis.requests,
      topLevelAwait: false,
    };
  }
  const output = (yield { transform: [source, swcOptions(file, format, parser)] }) as Output;
  const map = output.map;
  const analysis = analyze((yield parseCall(output.code, { syntax: 'ecmascript' }, format === 'esm' ? true : 'unknown')) as Program);
  let code = rewriteDynamicImports(neutraliseHashbang(output.code), analysis.dynamicImportOffsets, file);
  if (map !== undefined) code += `\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(map).toString('base64')}\n`;
  return { format, code, map, requests: analysis.requests, topLevelAwait: format === 'esm' && analysis.topLevelAwait };
}

type ParseOptions = NonNullable<Parameters<typeof parseSync>[1]>;

function parseCall(code: string, parser: ParserConfig, isModule: boolean | 'unknown'): SwcCall {
  // `isModule` is missing from ParseOptions' type but honoured by swc (and
  // needed: 'unknown' is how syntax detection works).
  return { parse: [code, { ...parser, target: 'es2022', comments: false, isModule } as unknown as ParseOptions] };
}

function swcOptions(file: string, format: ModuleFormat, parser: ParserConfig): Options {
  return {
    filename: file,
    // Never pick up a .swcrc of the application: the output contract is ours.
    swcrc: false,
    configFile: false,
    sourceMaps: true,
    inlineSourcesContent: true,
    isModule: format === 'esm' ? true : 'unknown',
    module: {
      type: 'commonjs',
      ignoreDynamic: true,
      importInterop: 'swc',
      // A CommonJS TypeScript file keeps `this === module.exports` at top level.
      allowTopLevelThis: format === 'cjs',
    },
    jsc: {
      parser,
      // Node 20 runs ES2023; es2022 keeps classes, private fields, etc. untouched.
      target: 'es2022',
      keepClassNames: true,
      transform: { optimizer: { globals: { vars: { 'import.meta': IMPORT_META } } } },
    },
  };
}

/** `#!` is only valid at the very start of a script, not inside a function body; `//` keeps columns. */
function neutraliseHashbang(code: string): string {
  return code.startsWith('#!') ? `//${code.slice(2)}` : code;
}

function rewriteDynamicImports(code: string, offsets: number[], file: string): string {
  if (offsets.length === 0) return code;
  const bytes = Buffer.from(code, 'utf8');
  for (const offset of offsets) {
    if (bytes.toString('latin1', offset, offset + 6) !== 'import') {
      throw new Error(`internal error: cannot locate a dynamic import() in the compiled code of ${file}`);
    }
    bytes.write(DYNAMIC_IMPORT, offset, 'latin1');
  }
  return bytes.toString('utf8');
}
