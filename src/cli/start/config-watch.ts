/**
 * Watching the configuration file (`watch: true`). Editors save in three
 * ways — write in place, write a new file and rename it over, truncate and
 * then write — and each passes through states that are not the file the
 * operator meant: empty, half-written, briefly missing. So a change is handed
 * on only once the file has stood still: its inode, size and modification
 * time the same before and after a quiet window (docs/configuration.md). The
 * folder is watched rather than the file, so that a file renamed over (a new
 * inode) is still seen.
 * @module
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { watch } from 'chokidar';
import type { Logger } from 'pino';

export interface ConfigFileWatcher {
  close(): Promise<void>;
}

export interface WatchConfigOptions {
  log: Logger;
  /** Called once the file stood still after a change; never concurrently with itself. */
  onChange: () => Promise<void>;
  /** How long the file must stay the same before it is read for good (default 100 ms). */
  quietMs?: number;
}

/** Resolves once the folder is being watched: a save from then on is seen (chokidar misses changes before `ready`). */
export async function watchConfigFile(path: string, options: WatchConfigOptions): Promise<ConfigFileWatcher> {
  const quietMs = options.quietMs ?? 100;
  const folder = dirname(path);
  const watcher = watch(folder, {
    ignoreInitial: true,
    depth: 0,
    ignored: (p: string) => p !== folder && p !== path,
    atomic: false,
  });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let pending = false;
  let closed = false;

  const settled = async (): Promise<void> => {
    // Look, wait, look: a writer that is still at work shows as a difference (or an error) between the two.
    for (;;) {
      const first = await contents(path);
      await new Promise((r) => setTimeout(r, quietMs));
      if (closed) return;
      const second = await contents(path);
      if (first === second && second !== undefined) return;
      if (first === second) {
        // Missing and still missing: a delete, not a save in progress. The next change event brings it back.
        options.log.warn({ file: path }, 'the configuration file is gone; the running configuration stays');
        throw new Gone();
      }
    }
  };
  const run = async (): Promise<void> => {
    while (pending && !closed) {
      pending = false;
      try {
        await settled();
        if (!closed) await options.onChange();
      } catch (err) {
        if (!(err instanceof Gone)) options.log.error({ err }, 'handling a change of the configuration file failed');
      }
    }
    running = undefined;
  };
  const touch = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      pending = true;
      running ??= run();
    }, quietMs);
  };
  watcher.on('all', (_event, p) => {
    if (p === path) touch();
  });
  // chokidar throttles `change` events (none for 50 ms after one, and no trailing one): the raw ones are not.
  watcher.on('raw', (_event, name) => {
    if (name === basename(path)) touch();
  });
  watcher.on('error', (err) => options.log.warn({ err }, 'watching the configuration file failed'));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}

class Gone extends Error {}

/** What changes when a file is written or replaced: its inode, size and modification time (ns). */
async function contents(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return undefined;
  }
}
