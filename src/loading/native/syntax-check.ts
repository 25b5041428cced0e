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
import { extname } from 'node:path';
import type { Prewarmed } from '../types.js';
import { parserFor } from '../swc-parser.js';
import { getSwc } from './typescript.js';

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
  const swc = getSwc();
  try {
    // 'unknown': a script or a module, whichever it parses as (CommonJS or ESM).
    await swc.parse(source, { ...parserFor(path), target: 'es2022', comments: false, isModule: 'unknown' } as unknown as Parameters<typeof swc.parse>[1]);
    return 'compiled';
  } catch {
    return 'failed';
  }
}
