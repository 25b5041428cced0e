/**
 * Where a syntax error is: line and column (1-based; the column counts UTF-16
 * code units, as V8's stack traces do), for load errors of both loaders.
 *
 * Neither source states it plainly. swc's diagnostic is a drawing: an
 * excerpt of the file with a `^` under the error, whose header always says
 * column 1, with tabs expanded and wide characters taking two columns, plus
 * a native backtrace. V8 decorates the stack of a script's SyntaxError with
 * `file:line`, the source line and a caret line (each character before the
 * caret a space, or a tab where the source has one), and says nothing at all
 * for an ES module. So: V8's caret where there is one, else swc's caret,
 * read from a parse of the file with every tab and non-ASCII character
 * replaced by one ASCII character per UTF-16 unit, so that the caret's
 * offset is the column. The drawing and the backtrace never reach a message;
 * they stay in the error's `cause`.
 *
 * Imported by the native loader's hooks thread too: no main-thread state.
 * @module
 */
import { isInstance, messageOf, stackOf } from '../thrown.js';
import { plainText, swcMessage as swcMessageOfText } from '../utils/swc-diagnostic.js';

export interface SourcePosition {
  line: number;
  column: number;
}

/** swc's message without the drawing and the backtrace: `Expression expected`. */
export function swcMessage(error: unknown): string {
  return swcMessageOfText(messageOf(error));
}

/** Code line ` 12 | text` (ASCII theme) or ` 12 │ text` (Unicode theme): the gutter bar's index and the line number. */
const CODE_LINE = /^(\s*(\d+)\s)[|│]/;
/** Marker line `    :      ^` under a code line: the bar at the same index as the code line's. */
const MARKER_LINE = /^\s*[:·]( *)[\^▲┬]/;

/** Line and column of the caret in swc's drawing, as displayed (tabs expanded, wide characters counted twice). */
function caretInDrawing(text: string, source: string[]): SourcePosition | undefined {
  const lines = text.split('\n');
  let code: { line: number; start: number } | undefined;
  for (const row of lines) {
    const codeLine = CODE_LINE.exec(row);
    if (codeLine) {
      // Text starts after "| ".
      code = { line: Number(codeLine[2]), start: codeLine[1]!.length + 2 };
      continue;
    }
    if (code && MARKER_LINE.test(row)) {
      const caret = row.search(/[\^▲┬]/);
      return { line: code.line, column: Math.max(caret - code.start, 0) + 1 };
    }
    if (/^\s*`-+/.test(row)) break;
  }
  // No marker: swc points past the last character (an unexpected end of input),
  // which is shown as the end of the last line that is not blank.
  if (code && code.line <= source.length && source.slice(code.line).every((line) => line.trim() === '')) {
    return { line: code.line, column: source[code.line - 1]!.length + 1 };
  }
  return undefined;
}

/** JavaScript whitespace outside ASCII becomes a space; any other non-ASCII unit an identifier character. */
const NON_ASCII_WHITESPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]/;

function asciiCopy(source: string): string {
  // eslint-disable-next-line no-control-regex
  return source.replace(/[\t\v\f]|[^\u0000-\u007f]/g, (c) => (c.charCodeAt(0) < 0x80 || NON_ASCII_WHITESPACE.test(c) ? ' ' : 'x'));
}

/**
 * The position of the syntax error swc raised for `source`. `parse` must
 * run the same swc call on another text and throw what swc throws. Undefined
 * when the drawing shows no position.
 */
export function swcErrorPosition(error: unknown, source: string, parse: (text: string) => void): SourcePosition | undefined {
  const lines = source.split(/\r?\n/);
  const displayed = caretInDrawing(plainText(messageOf(error)), lines);
  const ascii = asciiCopy(source);
  if (ascii === source || displayed === undefined) return displayed;
  try {
    parse(ascii);
  } catch (again) {
    const exact = caretInDrawing(plainText(messageOf(again)), lines);
    // The copy fails the same way unless a replaced character mattered to the parser;
    // then the displayed position is the best there is.
    if (exact && exact.line === displayed.line && swcMessage(again) === swcMessage(error)) return exact;
  }
  return displayed;
}

/**
 * The position V8 put at the top of a script's SyntaxError stack
 * (`file:line`, the source line, the caret line), and the file as V8 named it.
 */
export function v8SyntaxPosition(error: unknown): (SourcePosition & { file: string }) | undefined {
  if (!isInstance(error, SyntaxError)) return undefined;
  const [where, , underline] = stackOf(error).split('\n');
  const at = /^(.+):(\d+)$/.exec(where ?? '');
  const caret = underline?.indexOf('^') ?? -1;
  if (!at || caret < 0 || !/^[ \t]*\^+\s*$/.test(underline!)) return undefined;
  return { file: at[1]!, line: Number(at[2]), column: caret + 1 };
}

/** `file:line:column`, the form editors and terminals open. */
export function atPosition(file: string, position: SourcePosition | undefined): string {
  return position ? `${file}:${position.line}:${position.column}` : file;
}
