/**
 * The `native` loader: role code runs under Node's own module loader, with
 * module customization hooks doing the one thing Node does not, evaluating an
 * application's files afresh on each load. ES modules keep their exact
 * semantics (live bindings, top-level await, import attributes, cycles)
 * because Node itself evaluates them.
 *
 *   ESM entry (.mjs, .ts, .mts, .js under "type": "module"): imported as
 *     `file:///…/role.js?rolekit-gen=<loader>.<n>`; the hooks (hooks.ts) carry
 *     the query to the whole graph and report files and edges.
 *   CommonJS entry (.cjs, other .js): `createRequire(entry)(entry)` after
 *     evicting this loader's earlier files from `require.cache` (commonjs.ts).
 *
 * The price (see bench/loaders/native-memory.mjs): Node cannot evict an ES
 * module, so every reload of an ESM or TypeScript role keeps its old graph in
 * memory for the life of the process. CommonJS graphs are evicted.
 */
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { forgetApplicationResolutions } from '../resolution-cache.js';
import type { LoadedModule, LoaderOptions, Prewarmed, RoleLoader } from '../types.js';
import { isApplicationPath, isCommonJsEntry } from './classify.js';
import { checkSyntax } from './syntax-check.js';
import { CommonJsTracker } from './commonjs.js';
import { failingFile, loadError } from './errors.js';
import { Generation } from './generation.js';
import { hookHost } from './hook-host.js';
import type { HookReport } from './protocol.js';
import { withToken } from './token.js';

/** Real path when the file exists: Node keys modules by real path, and so do the hooks' reports. */
function realPath(path: string): string {
  const absolute = resolvePath(path);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

export function createNativeLoader(options: LoaderOptions = {}): RoleLoader {
  const id = randomBytes(4).toString('hex');
  const shared = new Set<string>();
  for (const path of options.shared ?? []) shared.add(realPath(path));

  const host = hookHost();
  const generations = new Map<string, Generation>();
  // Which generation a returned module belongs to, without keeping it alive.
  const generationOf = new WeakMap<LoadedModule, Generation>();
  const commonjs = new CommonJsTracker();
  let counter = 0;
  let closed = false;

  const sink = (report: HookReport): void => {
    generations.get(report.token)?.apply(report);
  };
  const ready = host.attach(id, { shared }, sink);
  const isApp = (path: string): boolean => isApplicationPath(path) && !shared.has(path);

  /** ES module files that Node placed in `require.cache` (CommonJS reached from ESM) must be evicted too. */
  const ownCommonJs = (generation: Generation): void => {
    const paths: string[] = [];
    for (const [path, record] of generation.files) if (record.format === 'commonjs') paths.push(path);
    commonjs.own(paths, generation.token);
  };

  async function load(entries: string[]): Promise<LoadedModule[]> {
    if (closed) throw new Error('native loader: load() after close()');
    await ready;
    const generation = new Generation(`${id}.${++counter}`);
    generations.set(generation.token, generation);
    // "On the next load": the previous generations' CommonJS files leave the
    // cache now, so this load evaluates them again.
    commonjs.purge();
    // Node's CommonJS resolver would answer paths of files since moved (resolution-cache.ts).
    forgetApplicationResolutions(isApp);

    const modules: LoadedModule[] = [];
    let entry = '';
    try {
      for (const given of entries) {
        entry = realPath(given);
        let exports: Record<string, unknown>;
        if (isCommonJsEntry(entry)) {
          exports = commonjs.load(entry, generation, isApp) as Record<string, unknown>;
        } else {
          // Sequential on purpose: a later entry then reuses the modules an
          // earlier one evaluated (one generation), and a failure is
          // attributable to one entry.
          exports = (await import(withToken(pathToFileURL(entry).href, generation.token))) as Record<string, unknown>;
        }
        modules.push({ entry, exports, files: [] });
      }
      await host.flush();
    } catch (error) {
      await host.flush();
      ownCommonJs(generation);
      generations.delete(generation.token);
      throw loadError(entry, failingFile(error, entry, generation), error);
    }
    ownCommonJs(generation);
    generation.modules = modules;
    generation.refresh();
    for (const module of modules) generationOf.set(module, generation);
    return modules;
  }

  function release(modules: LoadedModule[]): void {
    for (const module of modules) {
      const generation = generationOf.get(module);
      if (!generation) continue;
      generationOf.delete(module);
      generation.modules = generation.modules.filter((m) => m !== module);
      if (generation.modules.length > 0) continue;
      generations.delete(generation.token);
      // CommonJS files still cached for that generation (a file the newer
      // generation no longer requires, or no newer load yet) can go now.
      commonjs.purge(generation.token);
    }
  }

  function close(): void {
    if (closed) return;
    closed = true;
    host.detach(id);
    generations.clear();
    commonjs.purge();
  }

  async function prewarm(file: string): Promise<Prewarmed> {
    return closed || !isApp(file) ? 'skipped' : checkSyntax(file);
  }

  return { kind: 'native', load, release, close, prewarm };
}
