/**
 * The "type" of the nearest package.json, as Node reads it: the first
 * package.json up from a folder decides (even an invalid one, which then says
 * nothing), and the walk stops at a node_modules folder, so a package never
 * inherits the "type" of the application that installed it. Both loaders ask
 * this; the native loader's hooks thread too (no main-thread state).
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type PackageType = 'module' | 'commonjs';

/** `undefined`: no package.json in `dir`; `null`: a package.json without a usable "type". */
function readPackageType(dir: string): PackageType | null | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return type === 'module' || type === 'commonjs' ? type : null;
  } catch {
    return null;
  }
}

/**
 * The "type" that applies to files in `dir` (`undefined` when none says).
 * `memo` remembers the answer for every folder walked through, for callers
 * that ask often and know how long package.json files stay as they are.
 */
export function nearestPackageType(dir: string, memo?: Map<string, PackageType | null>): PackageType | undefined {
  const visited: string[] = [];
  let found: PackageType | null = null;
  for (let d = dir; ; ) {
    const known = memo?.get(d);
    if (known !== undefined) {
      found = known;
      break;
    }
    visited.push(d);
    const type = readPackageType(d);
    if (type !== undefined) {
      found = type;
      break;
    }
    const parent = dirname(d);
    if (parent === d || basename(d) === 'node_modules') break;
    d = parent;
  }
  if (memo) for (const d of visited) memo.set(d, found);
  return found ?? undefined;
}
