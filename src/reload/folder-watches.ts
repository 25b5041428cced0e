/**
 * One `fs.watch` per folder of the role files, and nothing else: every event
 * of an entry (a write, a rename over it, a delete and a create) comes
 * straight from the file system, unthrottled, with the entry's name.
 *
 * Folders, not files: a watch on a file follows its inode, and is lost for
 * good when the file is deleted and created again; the folder sees the name
 * come back. Not chokidar: watch mode used only the raw events it passes on,
 * and chokidar re-read the whole folder (a readdir and an lstat per entry,
 * twice) on every burst of events, on the event loop, while a save was being
 * written; with a 20-file save that was ~10 ms of a 50 ms budget.
 * @module
 */
import { watch, type FSWatcher } from 'node:fs';

export type FolderEvent = (folder: string, name: string | undefined) => void;

export class FolderWatches {
  readonly #handles = new Map<string, FSWatcher>();
  readonly #onEvent: FolderEvent;
  readonly #onError: (folder: string, err: unknown) => void;

  /** `name` is undefined when the platform did not say which entry changed. */
  constructor(onEvent: FolderEvent, onError: (folder: string, err: unknown) => void) {
    this.#onEvent = onEvent;
    this.#onError = onError;
  }

  has(folder: string): boolean {
    return this.#handles.has(folder);
  }

  /** Watch `folder` (again, if its watch was lost); false when it cannot be watched now. */
  add(folder: string): boolean {
    if (this.#handles.has(folder)) return true;
    let handle: FSWatcher;
    try {
      handle = watch(folder, (_type, name) => this.#onEvent(folder, typeof name === 'string' ? name : undefined));
    } catch (err) {
      // Missing (moved away), or out of watches (ENOSPC, EMFILE).
      this.#onError(folder, err);
      return false;
    }
    // The folder was removed or became unreadable: this watch is over, a later add() may begin a new one.
    handle.on('error', (err) => {
      this.#drop(folder, handle);
      this.#onError(folder, err);
    });
    this.#handles.set(folder, handle);
    return true;
  }

  close(): void {
    for (const [folder, handle] of this.#handles) this.#drop(folder, handle);
  }

  #drop(folder: string, handle: FSWatcher): void {
    handle.close();
    if (this.#handles.get(folder) === handle) this.#handles.delete(folder);
  }
}
