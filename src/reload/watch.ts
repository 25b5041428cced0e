/**
 * Watch mode: the folders of the loaded role files (folder-watches.ts),
 * filtered to those files; a save is handed on once the files it touched
 * stopped changing (settle-writes.ts), the loader getting them ready
 * meanwhile (prepare-queue.ts), and reloads are single-flight: changes that
 * settle during a reload become one more reload after it, never two at once.
 * @module
 */
import { dirname, join } from 'node:path';
import type { Logger } from '../logging/logger.js';
import { WriteSettler, type Verdict } from './settle-writes.js';
import { PrepareQueue } from './prepare-queue.js';
import { FolderWatches } from './folder-watches.js';
import { logThrown } from '../logging/log-thrown.js';

export interface WatchOptions {
  files: () => string[];
  /** Reload for these changed files; never called twice at once. */
  onChange: (paths: string[]) => Promise<void>;
  /**
   * Get a changed file ready for the coming reload while its save settles
   * (the loader's prewarm), and say whether it compiles: a file that does not
   * is given longer to be finished (settle-writes.ts). Its content looked
   * steady, but may still change.
   */
  prepare?: (path: string) => Promise<Verdict>;
  /** How long the files of a save must stay unchanged before it counts as written (default 10). */
  quietMs?: number;
  /** How long a file that does not compile must stay unchanged before that counts as written (default 100). */
  failedMs?: number;
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
  const prepare = options.prepare;
  const prepared =
    prepare &&
    new PrepareQueue({
      prepare,
      prepared: (path, asked, verdict) => settler.judged(path, asked, verdict),
      onError: (err) => logThrown(options.log, 'warn', {}, err, 'preparing a changed file failed'),
    });
  const settler: WriteSettler = new WriteSettler({
    quietMs: options.quietMs ?? 10,
    failedMs: options.failedMs ?? 100,
    pollMs: options.pollMs ?? 2,
    unfinishedMs: options.unfinishedMs ?? 250,
    judge: prepared && ((path, asked) => prepared.add(path, asked)),
    onSettled: (paths) => {
      // Prepared ahead or not, the load reads every file as it is now.
      prepared?.clear();
      for (const p of paths) queued.add(p);
      running ??= run();
    },
  });

  const folders = new FolderWatches(
    (folder, name) => {
      if (name === undefined) {
        // The platform did not say which entry: any watched file of the folder may have changed.
        for (const f of files) if (dirname(f) === folder) settler.touch(f);
        return;
      }
      const path = join(folder, name);
      if (files.has(path) || (CODE_FILE.test(name) && options.wholeFolders?.())) settler.touch(path);
    },
    (folder, err) => logThrown(options.log, 'warn', { folder }, err, 'cannot watch a folder of role code'),
  );
  const refresh = (): void => {
    const current = options.files();
    for (const f of current) files.add(f);
    // A folder whose watch was lost (moved away and back) is watched again.
    for (const folder of new Set(current.map((f) => dirname(f)))) folders.add(folder);
  };
  refresh();
  return {
    refresh,
    async close() {
      settler.close();
      prepared?.clear();
      folders.close();
      await running;
    },
  };
}
