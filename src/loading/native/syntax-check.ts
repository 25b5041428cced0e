/**
 * The native loader's `prewarm`: it has nothing to get ready (Node loads the
 * files itself), but watch mode also asks it whether a saved file compiles, so
 * that a file a stalled writer left cut off mid-statement is given longer to
 * be finished, as under the managed loader. swc parses it on its own threads.
 *
 * A parse error is only a guess of "half-written": a file swc cannot parse
 * but Node could (syntax newer than swc) is reloaded too, 100 ms later
 * instead of 10.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type { Prewarmed } from '../types.js';

type Swc = typeof import('@swc/core');
let swc: Swc | undefined;

export async function checkSyntax(path: string): Promise<Prewarmed> {
  const ext = extname(path).toLowerCase();
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch {
    return 'failed'; // moved away mid-save, or unreadable: the load will say
  }
  if (ext === '.json') {
    try {
      JSON.parse(source);
      return 'compiled';
    } catch {
      return 'failed';
    }
  }
  const typescript = ext === '.ts' || ext === '.mts' || ext === '.cts' || ext === '.tsx';
  const jsx = ext === '.jsx' || ext === '.tsx';
  swc ??= createRequire(import.meta.url)('@swc/core') as Swc;
  const options = typescript ? { syntax: 'typescript' as const, tsx: jsx } : { syntax: 'ecmascript' as const, jsx };
  try {
    // 'unknown': a script or a module, whichever it parses as (CommonJS or ESM).
    await swc.parse(source, { ...options, target: 'es2022', comments: false, isModule: 'unknown' } as unknown as Parameters<Swc['parse']>[1]);
    return 'compiled';
  } catch {
    return 'failed';
  }
}
