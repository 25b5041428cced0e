/**
 * A plain-text table for a person at a terminal: columns padded to their
 * widest cell, two spaces apart, the last column left ragged.
 * @module
 */
export function formatTable<K extends string>(header: Record<K, string>, rows: readonly Record<K, string>[]): string[] {
  const keys = Object.keys(header) as K[];
  const all = [header, ...rows];
  const widths = keys.map((k) => Math.max(...all.map((row) => row[k].length)));
  return all.map((row) => keys.map((k, i) => (i === keys.length - 1 ? row[k] : row[k].padEnd(widths[i]!))).join('  ').trimEnd());
}
