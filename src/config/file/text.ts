/**
 * From the bytes of a file to the text the YAML parser reads: UTF-8 only, a
 * byte-order mark dropped, control characters refused. A binary file is
 * refused here, at its first bad byte, before the parser sees it.
 * @module
 */
import { formatBytes } from './limits.js';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like the yaml parser's columns. */
  column: number;
}

/** On failure, `text` is what was decoded (for the position of `offset`). */
export type TextResult = { ok: true; text: string } | { ok: false; text: string; offset: number; message: string };

const BOM = '\uFEFF';
/** C0 controls other than tab, LF and CR, and DEL: YAML allows none of them, JSON none unescaped. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function decodeText(input: string | Uint8Array, maxBytes: number): TextResult {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) return { ok: false, text: '', offset: 0, message: tooLarge(size, maxBytes) };
  let text: string;
  if (typeof input === 'string') {
    text = input.startsWith(BOM) ? input.slice(1) : input;
  } else {
    // ignoreBOM: false drops a leading byte-order mark, as editors do when they count columns.
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(input);
    const bad = firstInvalidByte(input, text);
    if (bad) return { ok: false, text, offset: bad.offset, message: `not UTF-8 text: invalid byte 0x${bad.byte} at byte ${bad.at} (is this a binary file?)` };
  }
  const control = CONTROL.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0);
    const message =
      code === 0
        ? 'the file holds a NUL byte (is this a binary file?)'
        : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in a configuration file`;
    return { ok: false, text, offset: control.index, message };
  }
  return { ok: true, text };
}

export function tooLarge(size: number, maxBytes: number): string {
  return `the file is ${formatBytes(size)} (${size} bytes), more than the limit of ${formatBytes(maxBytes)} (${maxBytes} bytes)`;
}

/** For a file whose size was not known before reading (a FIFO): it went past the limit. */
export function overLimit(maxBytes: number): string {
  return `the file is more than the limit of ${formatBytes(maxBytes)} (${maxBytes} bytes)`;
}

/**
 * Where decoding replaced bytes with U+FFFD: the first replacement character
 * that the file did not spell itself (EF BF BD). Returns the text offset, the
 * byte offset and the bad byte in hex.
 */
function firstInvalidByte(bytes: Uint8Array, text: string): { offset: number; at: number; byte: string } | undefined {
  const bomBytes = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let from = 0;
  for (;;) {
    const index = text.indexOf('\uFFFD', from);
    if (index < 0) return undefined;
    const at = bomBytes + Buffer.byteLength(text.slice(0, index), 'utf8');
    if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) {
      return { offset: index, at, byte: (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0') };
    }
    from = index + 1;
  }
}

/** Line and column of an offset into `text`, counting LF line ends (CRLF ends in LF too). */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
