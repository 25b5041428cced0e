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
 * the group's alphabetically first part, neighbours taken in name order, so
 * that the message does not depend on which files the walk met first (a
 * new folder early in the alphabet, such as src/admin, must not change it).
 */
function cyclesOf(edges: Map<string, Set<string>>): string[][] {
  const next = (node: string) => [...(edges.get(node) ?? [])].sort();
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next(node)) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group);
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) connect(node);
  return groups
    .map((group) => {
      const members = new Set(group);
      const first = [...group].sort()[0]!;
      // Breadth first from `first` inside the group, back to `first`.
      const from = new Map<string, string>();
      const queue = [first];
      while (queue.length) {
        const node = queue.shift()!;
        for (const to of next(node).filter((n) => members.has(n))) {
          if (to === first) {
            const path = [node];
            while (path[0] !== first) path.unshift(from.get(path[0]!)!);
            return canonical(path);
          }
          if (!from.has(to)) {
            from.set(to, node);
            queue.push(to);
          }
        }
      }
      return canonical([first]);
    })
    .sort((a, b) => a.join().localeCompare(b.join()));
}

/** A cycle read from its alphabetically first part, returning to it: the same cycle always reads the same. */
function canonical(loop: string[]): string[] {
  const start = loop.indexOf([...loop].sort()[0]!);
  const rotated = [...loop.slice(start), ...loop.slice(0, start)];
  return [...rotated, rotated[0]!];
}
