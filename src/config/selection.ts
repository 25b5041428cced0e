/**
 * How a document (or a caller of Cartridge's role queries) says which roles
 * it enables: a list of names, or a `{ name: enabled }` map.
 * @module
 */

export type RoleSelection = readonly string[] | Readonly<Record<string, boolean>>;

/** The names a selection enables, own keys only (a map's inherited members never count). */
export function selectedNames(sel: RoleSelection | undefined): string[] {
  if (sel === undefined) return [];
  if (Array.isArray(sel)) return [...sel];
  return Object.entries(sel)
    .filter(([, on]) => on)
    .map(([name]) => name);
}
