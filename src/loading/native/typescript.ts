/**
 * TypeScript role files are transformed by our load hook with @swc/core rather
 * than left to Node: Node 20 cannot load `.ts` at all, and Node 22+ only strips
 * erasable syntax (no enums, namespaces, parameter properties). The output
 * stays ESM and carries an inline source map, which Node applies to stack
 * traces once source maps are enabled (see source-maps.ts), so errors point to
 * the `.ts` line. Imported by the hooks thread too (Node 20).
 */
import { createRequire } from 'node:module';
import { messageOf } from '../../thrown.js';

type Swc = typeof import('@swc/core');

// Loaded on first use, synchronously, because registerHooks hooks are sync;
// processes with no TypeScript roles never load the native binding.
let swc: Swc | undefined;
function getSwc(): Swc {
  swc ??= createRequire(import.meta.url)('@swc/core') as Swc;
  return swc;
}

/** Transform one TypeScript file to an ES module with an inline source map. */
export function transformTypeScript(source: string, path: string): string {
  try {
    return transform(source, path);
  } catch (error) {
    // swc reports a syntax error as a plain Error whose message ends in a
    // native backtrace of no use to anyone; keep the part that shows the code.
    const text = messageOf(error);
    const message = text.split(/\n\s*(?:Caused by:|Stack backtrace:)/)[0]!.trimEnd();
    throw new SyntaxError(`TypeScript transform failed:\n${message}`, { cause: error });
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

/**
 * True when `source` is not a valid ES module (or CommonJS script) according
 * to swc. Used only on the error path to find which file of a graph holds a
 * syntax error, because V8's SyntaxError for an ES module names no file.
 */
export function hasSyntaxError(source: string, path: string, commonjs: boolean): boolean {
  try {
    // A CommonJS body is a function body (top-level `return` is allowed), so
    // it is parsed wrapped the way Node wraps it.
    getSwc().parseSync(commonjs ? `(function (exports, require, module, __filename, __dirname) {${source}\n})` : source, {
      syntax: /\.[mc]?ts$/.test(path) ? 'typescript' : 'ecmascript',
      script: commonjs,
      target: 'es2022',
    });
    return false;
  } catch {
    return true;
  }
}
