/**
 * Reads every import in a source tree and checks it against the part rules
 * of parts.json: which part a file belongs to, which parts it may import,
 * and that the parts import each other without a cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface PartRule {
  dir?: string;
  files?: string[];
  may: string[];
}

export interface Rules {
  parts: Record<string, PartRule>;
}

export interface Violation {
  kind: 'forbidden' | 'cycle' | 'unowned';
  message: string;
}

/** Every `.ts` file below `dir`, relative to `root`, with forward slashes. */
function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(root, path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The part a file belongs to: a named file first, else the folder that contains it. */
function partOf(file: string, rules: Rules): string | undefined {
  for (const [name, rule] of Object.entries(rules.parts)) if (rule.files?.includes(file)) return name;
  for (const [name, rule] of Object.entries(rules.parts)) if (rule.dir && file.startsWith(`${rule.dir}/`)) return name;
  return undefined;
}

/** Relative imports of a file (static, re-exports, dynamic, type-only), as repo-relative `.ts` paths. */
export function importsOf(root: string, file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(root, resolve(root, dirname(file), spec)).split(sep).join('/').replace(/\.js$/, '.ts'));
}

/** Check `srcDir` (relative to `root`) against `rules`; an empty list means the tree keeps the architecture. */
export function checkArchitecture(root: string, rules: Rules, srcDir = 'src'): Violation[] {
  const violations: Violation[] = [];
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(root, srcDir)) {
    const from = partOf(file, rules);
    if (from === undefined) {
      violations.push({ kind: 'unowned', message: `${file} belongs to no part of parts.json` });
      continue;
    }
    for (const target of importsOf(root, file)) {
      const to = partOf(target, rules);
      if (to === undefined || to === from) continue;
      if (!rules.parts[from]!.may.includes(to)) {
        violations.push({ kind: 'forbidden', message: `${file} imports ${target}: ${from} may not import ${to}` });
      }
      let set = edges.get(from);
      if (!set) edges.set(from, (set = new Set()));
      set.add(to);
    }
  }
  for (const cycle of cyclesOf(edges)) violations.push({ kind: 'cycle', message: `parts import each other: ${cycle.join(' -> ')}` });
  return violations;
}

/**
 * One cycle per strongly connected group of parts: the shortest one through
 * the group's alphabetically first part. Read off the groups, not off the
 * order a search happens to visit parts in, so adding a part that merely
 * imports into a group (a face importing index) never changes what is reported.
 */
function cyclesOf(edges: Map<string, Set<string>>): string[][] {
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])])].sort();
  const reaches = (from: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) for (const next of edges.get(stack.pop()!) ?? []) if (!seen.has(next) && seen.add(next)) stack.push(next);
    return seen;
  };
  const reach = new Map(nodes.map((n) => [n, reaches(n)]));
  const cycles: string[][] = [];
  const grouped = new Set<string>();
  for (const start of nodes) {
    if (grouped.has(start) || !reach.get(start)!.has(start)) continue;
    const group = new Set(nodes.filter((n) => reach.get(start)!.has(n) && reach.get(n)!.has(start)));
    for (const n of group) grouped.add(n);
    // Breadth-first inside the group, back to start: the shortest loop.
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0 && !previous.has(start)) {
      const node = queue.shift()!;
      for (const next of [...(edges.get(node) ?? [])].sort()) {
        if (!group.has(next) || previous.has(next)) continue;
        previous.set(next, node);
        queue.push(next);
      }
    }
    const loop = [start];
    for (let at = previous.get(start)!; at !== start; at = previous.get(at)!) loop.unshift(at);
    cycles.push(canonical(loop));
  }
  return cycles;
}

/** A cycle read from its alphabetically first part, returning to it: the same cycle always reads the same. */
function canonical(loop: string[]): string[] {
  const start = loop.indexOf([...loop].sort()[0]!);
  const rotated = [...loop.slice(start), ...loop.slice(0, start)];
  return [...rotated, rotated[0]!];
}
