/**
 * swc's diagnostics as text, for load errors and log lines. `@swc/core` throws an Error whose message is an
 * ASCII-art excerpt of the source, a "Caused by:" list, and the native (Rust)
 * backtrace of the compiler, dozens of lines of mangled symbols that say
 * nothing about the application. A log line gets one line instead:
 * `Expression expected (line 1); caused by: Syntax Error`.
 * @module
 */

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Text without terminal colours (swc diagnostics carry them). */
export function plainText(text: string): string {
  return text.replace(ANSI, '');
}

/** The first non-empty line of a message, trimmed, without colours: what a one-line report keeps. */
export function firstLine(text: string): string {
  const plain = plainText(text);
  return plain.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? plain;
}

/** swc's message without the drawing and the backtrace: `Expression expected`. */
export function swcMessage(text: string): string {
  return firstLine(text).replace(/^[x×]\s+/, '');
}

/** Whether `text` is (or contains) an swc diagnostic: its backtrace section, or its `,-[file:line:col]` frame. */
export function isSwcDiagnostic(text: string): boolean {
  return /^\s*Stack backtrace:\s*$/m.test(text) || /,-\[[^\]\n]*\d+:\d+\]/.test(text.replace(ANSI, ''));
}

/** The diagnostic as one line: its message and location, then the causes swc listed; never the backtrace. */
export function summarizeSwcMessage(text: string): string {
  const plain = text.replace(ANSI, '');
  // The header's line is right, its column is not (swc always says 1): the loaders' own
  // load errors give the exact column; a log line of the raw diagnostic gives the line.
  const line = /,-\[(?:.*:)?(\d+):\d+\]/.exec(plain)?.[1];
  const message = swcMessage(plain);
  const head = line === undefined ? message : `${message} (line ${line})`;
  const causes = causedBy(plain);
  return causes.length > 0 ? `${head}; caused by: ${causes.join('; ')}` : head;
}

/** The entries of swc's "Caused by:" section (anyhow's format: indented, numbered when there are several). */
function causedBy(plain: string): string[] {
  const start = plain.search(/^Caused by:\s*$/m);
  if (start === -1) return [];
  const causes: string[] = [];
  for (const line of plain.slice(start).split('\n').slice(1)) {
    if (/^\s*Stack backtrace:\s*$/.test(line)) break;
    const entry = line.trim().replace(/^\d+:\s*/, '');
    if (entry.length > 0) causes.push(entry);
  }
  return causes;
}

/**
 * A stack whose header is the one-line `summary`, keeping only the JavaScript
 * frames: those after the original message, whose backtrace may hold
 * `at src/lib.rs:12` lines of its own.
 */
export function rebuildStack(type: string, summary: string, stack: string, original: string): string {
  const at = stack.indexOf(original);
  const rest = at === -1 ? stack : stack.slice(at + original.length);
  const frames = rest.split('\n').filter((line) => /^\s+at /.test(line));
  return [`${type}: ${summary}`, ...frames].join('\n');
}
