/**
 * From a document path (`hosts.example.com.config.auth.backend`, `roles.1`)
 * to the node of the YAML tree it names, and back from an offset to a path.
 *
 * A path is its keys joined with `.`, and keys may hold dots themselves (a
 * host `a.example.com`), so splitting on `.` is ambiguous. The path is
 * matched against the keys actually present instead: at each mapping every
 * key that is a prefix of the rest of the path is tried, longest first, and a
 * dead end backtracks. Results are memoised per (node, rest), so keys like
 * `a`, `a.a`, `a.a.a` at every level cost a polynomial, not an exponential.
 * @module
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type ParsedNode, type YAMLMap } from 'yaml';
import type { Tree } from './yaml-tree.js';

/** The string a mapping key stands for, or undefined (a key that is not a string scalar). */
export function keyOf(pair: Pair): string | undefined {
  const key = pair.key;
  return isScalar(key) && typeof key.value === 'string' ? key.value : undefined;
}

interface Match {
  /** Offset of the node (for a mapping entry: of its key). */
  offset: number;
  /** How many characters of the path it accounts for. */
  consumed: number;
}

/**
 * The offset of the node a path names; else that of the deepest entry on the
 * way there (a missing key is reported at its parent); undefined when not even
 * the first key matches. `''` is the root.
 */
export function offsetOf(tree: Tree, path: string): number | undefined {
  const root = tree.contents;
  if (!root) return undefined;
  if (path === '') return start(root);
  const memo = new Map<Node, Map<number, Match | undefined>>();
  const best = search(tree, root, path, 0, memo);
  return best?.offset;
}

/** The best match of `path.slice(from)` below `node`: exact if any, else the one that gets furthest. */
function search(tree: Tree, node: Node, path: string, from: number, memo: Map<Node, Map<number, Match | undefined>>): Match | undefined {
  let seen = memo.get(node);
  if (!seen) memo.set(node, (seen = new Map()));
  if (seen.has(from)) return seen.get(from);
  seen.set(from, undefined); // an alias cycle (`&a [*a]`) ends here
  const target = isAlias(node) ? node.resolve(tree) : node;
  let best: Match | undefined;
  const consider = (offset: number, end: number, child: Node | null | undefined): boolean => {
    const here: Match = { offset, consumed: end };
    const deeper = end < path.length && child ? search(tree, child, path, end + 1, memo) : undefined;
    const match = deeper ?? here;
    if (!best || match.consumed > best.consumed) best = match;
    return best.consumed === path.length;
  };
  if (target && isMap(target)) {
    const index = keyIndex(target as YAMLMap);
    // Every key the rest of the path could begin with ends at a dot or at the end: longest first.
    const ends = [path.length];
    for (let i = path.lastIndexOf('.'); i >= from; i = path.lastIndexOf('.', i - 1)) {
      ends.push(i);
      if (i === 0) break;
    }
    for (const end of ends) {
      const pair = index.get(path.slice(from, end));
      if (pair && consider(start(pair.key as Node) ?? 0, end, pair.value as Node | null)) break;
    }
  } else if (target && isSeq(target)) {
    const dot = path.indexOf('.', from);
    const segment = path.slice(from, dot < 0 ? path.length : dot);
    if (/^(0|[1-9]\d*)$/.test(segment)) {
      const item = target.items[Number(segment)] as Node | undefined;
      if (item) consider(start(item) ?? 0, from + segment.length, item);
    }
  }
  seen.set(from, best);
  return best;
}

/**
 * The path of the deepest mapping entry or list item whose text holds
 * `offset` (for a syntax error: the key it belongs to); `''` when none does.
 */
export function pathAt(tree: Tree, offset: number): string {
  const parts: string[] = [];
  let node: ParsedNode | null | undefined = tree.contents;
  // Bounded by the depth limit checked before the tree was composed.
  for (;;) {
    if (isMap(node)) {
      const pair: Pair<ParsedNode, ParsedNode | null> | undefined = node.items.findLast((p) => within(p.key, p.value, offset));
      const key = pair && keyOf(pair as Pair);
      if (!pair || key === undefined) break;
      parts.push(key);
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findLastIndex((item) => within(item, item, offset));
      if (index < 0) break;
      parts.push(String(index));
      node = node.items[index];
    } else break;
  }
  return parts.join('.');
}

function within(first: ParsedNode | null, last: ParsedNode | null, offset: number): boolean {
  const from = first?.range?.[0];
  const to = (last ?? first)?.range?.[2];
  return from !== undefined && to !== undefined && offset >= from && offset <= to;
}

const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/** A mapping's entries by key (the first of duplicates), built once per mapping: 60 000 hosts, one pass. */
function keyIndex(map: YAMLMap): Map<string, Pair> {
  let index = indexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const key = keyOf(pair as Pair);
      if (key !== undefined && !index.has(key)) index.set(key, pair as Pair);
    }
    indexes.set(map, index);
  }
  return index;
}

function start(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}
