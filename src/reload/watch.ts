/**
 * Watch mode: chokidar on the folders of the loaded role files, filtered to
 * those files; a save is handed on once the files it touched stopped
 * changing (settle-writes.ts), and reloads are single-flight: changes that
 * settle during a reload become one more reload after it, never two at once.
 *
 * Folders, not files: chokidar watching a file path follows it across a
 * rename over it, but can lose it for good once it is deleted and created
 * again (the fs.watch of the old inode dies, nothing watches the name); a
 * watched folder sees the name come back.
 * @module
 */
import { dirname, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../logging/logger.js';
import { WriteSettler } from './settle-writes.js';
import { logThrown } from '../logging/log-thrown.js';

export interface WatchOptions {
  files: () => string[];
  /** Reload for these changed files; never called twice at once. */
  onChange: (paths: string[]) => Promise<void>;
  /** How long the files of a save must stay unchanged before it counts as written (default 20). */
  quietMs?: number;
  /** How often files with an event are stat'ed until then (default 2: a change is seen at most that late). */
  pollMs?: number;
  /** How long an empty or missing file must stay so before that counts as written (default 250). */
  unfinishedMs?: number;
  /**
   * While this answers true, any code file in the folder of a watched file counts too: after a
   * reload failed on an import of a file that did not exist yet, creating that file is the fix.
   */
  wholeFolders?: () => boolean;
  log: Logger;
}

/** Files role code can be made of; not dotfiles (editors' swap and lock files), not temp names. */
const CODE_FILE = /^[^.].*\.(?:[cm]?[jt]sx?|json)$/;

export interface CodeWatcher {
  /** Start watching files loaded since (a reload may have added some). */
  refresh(): void;
  close(): Promise<void>;
}

export function watchRoleFiles(options: WatchOptions): CodeWatcher {
  const files = new Set<string>();
  const folders = new Set<string>();
  const watcher: FSWatcher = watch([], {
    ignoreInitial: true,
    depth: 0,
    // Only the role files (a live set: files a reload adds are let in), and their folders.
    ignored: (path: string) => !files.has(path) && !folders.has(path),
    // chokidar would hold an unlink back 100 ms to see whether the file comes back;
    // the settler already waits for a deleted-then-created file to stand still.
    atomic: false,
  });
  const queued = new Set<string>();
  let running: Promise<void> | undefined;

  const run = async (): Promise<void> => {
    while (queued.size > 0) {
      const paths = [...queued];
      queued.clear();
      try {
        await options.onChange(paths);
      } catch (err) {
        logThrown(options.log, 'error', {}, err, 'reload after a file change failed');
      }
      refresh();
    }
    running = undefined;
  };
  const settler = new WriteSettler({
    quietMs: options.quietMs ?? 20,
    pollMs: options.pollMs ?? 2,
    unfinishedMs: options.unfinishedMs ?? 250,
    onSettled: (paths) => {
      for (const p of paths) queued.add(p);
      running ??= run();
    },
  });
  const refresh = (): void => {
    const add = options.files().filter((f) => !files.has(f));
    for (const f of add) files.add(f);
    const newFolders = [...new Set(add.map((f) => dirname(f)))].filter((d) => !folders.has(d));
    for (const d of newFolders) folders.add(d);
    // The files too: a folder already watched has read its entries, and would only notice one it
    // skipped before at its next change.
    if (add.length > 0) watcher.add([...newFolders, ...add]);
  };
  watcher.on('all', (event, path) => {
    if ((event === 'change' || event === 'add' || event === 'unlink') && files.has(path)) settler.touch(path);
  });
  // chokidar drops a file's `change` events for 50 ms after one (no trailing event): a second save
  // (a formatter after the editor) would be lost. Its raw fs.watch events are not throttled.
  watcher.on('raw', (_event, name, details) => {
    const at = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (typeof at !== 'string') return;
    if (files.has(at)) return settler.touch(at);
    if (typeof name !== 'string') return;
    const path = join(at, name);
    if (files.has(path) || (folders.has(at) && CODE_FILE.test(name) && options.wholeFolders?.())) settler.touch(path);
  });
  refresh();
  return {
    refresh,
    async close() {
      settler.close();
      await watcher.close();
      await running;
    },
  };
}
