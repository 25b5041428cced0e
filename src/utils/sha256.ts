/**
 * sha256 (hex) of a file's bytes or text: how loaded files are recorded and
 * compared (update_list). Imported by the native loader's hooks thread too.
 * @module
 */
import { createHash } from 'node:crypto';

export function sha256(source: string | ArrayBuffer | ArrayBufferView): string {
  const hash = createHash('sha256');
  if (typeof source === 'string') hash.update(source, 'utf8');
  else if (source instanceof ArrayBuffer) hash.update(new Uint8Array(source));
  else hash.update(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  return hash.digest('hex');
}
