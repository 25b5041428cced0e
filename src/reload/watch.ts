/**
 * Watch mode: chokidar on the loaded role files, debounced, single-flight.
 * A change that arrives during a reload becomes one more reload after it,
 * never two at once.
 * @module
 */
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../logging/logger.js';
import { logThrown } from '../logging/log-thrown.js';

export interface WatchOptions {
  files: () => string[];
  /** Reload what changed; called never twice at once. */
  onChange: () => Promise<void>;
  debounceMs?: number;
  log: Logger;
}

export interface CodeWatcher {
  /** Start watching files loaded since (after a reload may have added some). */
  refresh(): void;
  close(): Promise<void>;
}

export function watchRoleFiles(options: WatchOptions): CodeWatcher {
  const debounceMs = options.debounceMs ?? 100;
  const watched = new Set<string>();
  const watcher: FSWatcher = watch([], { ignoreInitial: true, awaitWriteFinish: false });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const run = async (): Promise<void> => {
    do {
      again = false;
      try {
        await options.onChange();
      } catch (err) {
        logThrown(options.log, 'error', {}, err, 'reload after a file change failed');
      }
      refresh();
    } while (again);
    running = undefined;
  };
  const trigger = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) again = true;
      else running = run();
    }, debounceMs);
  };
  const refresh = (): void => {
    const add = options.files().filter((f) => !watched.has(f));
    for (const f of add) watched.add(f);
    if (add.length > 0) watcher.add(add);
  };
  watcher.on('change', trigger).on('unlink', trigger).on('add', trigger);
  refresh();
  return {
    refresh,
    async close() {
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}
