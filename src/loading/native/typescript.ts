/**
 * TypeScript role files are transformed by our load hook with @swc/core rather
 * than left to Node: Node 20 cannot load `.ts` at all, and Node 22+ only strips
 * erasable syntax (no enums, namespaces, parameter properties). The output
 * stays ESM and carries an inline source map, which Node applies to stack
 * traces once source maps are enabled (see source-maps.ts), so errors point to
 * the `.ts` line. Imported by the hooks thread too (Node 20).
 */
import { createRequire } from 'node:module';
import { swcErrorPosition, swcMessage, type SourcePosition } from '../syntax-errors.js';

type Swc = typeof import('@swc/core');

// Loaded on first use, synchronously, because registerHooks hooks are sync;
// processes with no TypeScript roles never load the native binding.
let swc: Swc | undefined;
export function getSwc(): Swc {
  swc ??= createRequire(import.meta.url)('@swc/core') as Swc;
  return swc;
}

/**
 * swc's syntax error as a SyntaxError of one line (`Expression expected`)
 * and its position; swc's own error, with its drawing of the code and a
 * native backtrace, is the cause.
 */
export class TypeScriptSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly position: SourcePosition | undefined,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** Transform one TypeScript file to an ES module with an inline source map. */
export function transformTypeScript(source: string, path: string): string {
  try {
    return transform(source, path);
  } catch (error) {
    const position = swcErrorPosition(error, source, (text) => transform(text, path));
    throw new TypeScriptSyntaxError(swcMessage(error), position, error);
  }
}

function transform(source: string, path: string): string {
  return getSwc().transformSync(source, {
    filename: path,
    // Never pick up a .swcrc from the application: the output must be ESM
    // with a map whatever the project's own build uses.
    swcrc: false,
    configFile: false,
    sourceMaps: 'inline',
    // Node needs only the mappings to fix stack traces; the original text
    // would be kept, inside the evaluated source, for every reload.
    inlineSourcesContent: false,
    isModule: true,
    jsc: {
      parser: { syntax: 'typescript', tsx: false },
      // Node 20 runs ES2022 natively: nothing is downlevelled that need not be.
      target: 'es2022',
    },
    module: { type: 'es6' },
  }).code;
}

/** Wrapped the way Node wraps a CommonJS body, so that a top-level `return` parses. */
const COMMONJS_HEAD = '(function (exports, require, module, __filename, __dirname) {';

/**
 * Whether `source` fails to parse as an ES module (or CommonJS script)
 * according to swc, and where. Used only on the error path, because V8's
 * SyntaxError for an ES module names neither the file nor the position.
 */
export function findSyntaxError(source: string, path: string, commonjs: boolean): { position: SourcePosition | undefined } | undefined {
  const options: Parameters<Swc['parseSync']>[1] = {
    syntax: /\.[mc]?ts$/.test(path) ? 'typescript' : 'ecmascript',
    script: commonjs,
    target: 'es2022',
  };
  const parse = (text: string): void => void getSwc().parseSync(text, options);
  const text = commonjs ? `${COMMONJS_HEAD}${source}\n})` : source;
  try {
    parse(text);
    return undefined;
  } catch (error) {
    const shown = swcErrorPosition(error, text, parse);
    // The wrapper's head shifts the columns of line 1.
    if (shown && commonjs && shown.line === 1) return { position: { line: 1, column: Math.max(shown.column - COMMONJS_HEAD.length, 1) } };
    return { position: shown };
  }
}
