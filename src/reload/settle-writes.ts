/**
 * When has an editor finished saving? A file event says a write began, not
 * that it ended: editors truncate and write in several chunks, write a temp
 * file and rename it over, or delete and create, and no event says which
 * write of a burst was the last, so events alone cannot say when the content
 * is final.
 *
 * The settler watches the files themselves instead: once a file had an event,
 * it is stat'ed every `pollMs`, and the batch is settled when every file in it
 * kept the same fingerprint (inode, size, mtime, ctime, or "missing") for
 * `quietMs`, with no event in between. Every write moves size or mtime and
 * every rename or re-creation moves the inode, so a half-written file is one
 * that is still changing.
 *
 * Two kinds of content are given longer, because they are what a save looks
 * like halfway: an empty or missing file (before an in-place or a
 * delete-and-create save's first byte) must stand still for `unfinishedMs`,
 * and a file that does not compile (cut off mid-statement, where a stalled
 * writer usually leaves it) for `failedMs`. What compiles is known when a
 * `judge` is given: once the burst of writes is over, it is asked about each
 * file (watch mode has the loader transform it, work the reload then does not
 * repeat), and the batch waits for its answers. A real syntax error is only
 * reported that much later. A writer that pauses longer than `quietMs` in the
 * middle of a save, at a point where what it wrote so far compiles, cannot be
 * told from two saves.
 *
 * The batch is one decision: files saved together (a git checkout, a
 * refactoring, a formatter) settle together, and a file that keeps changing
 * holds the others back rather than letting half of a change through.
 * @module
 */
import { statSync } from 'node:fs';
import type { Prewarmed } from '../loading/types.js';

/** A file's identity and content version as the file system reports it, or 'missing'. */
export type Fingerprint = string;

/** The fingerprint of a file that is empty or missing: what a save looks like halfway through. */
export const UNFINISHED = /^(missing|empty:.*)$/;

/**
 * Synchronous on purpose: a stat of a file the kernel just wrote is answered
 * from its inode cache in microseconds, while the thread-pool round trip of an
 * async stat costs more than that on the event loop, and a save's files are
 * stat'ed every pollMs until they settle.
 */
export function fingerprintOf(path: string): Fingerprint {
  try {
    const s = statSync(path, { bigint: true, throwIfNoEntry: false });
    if (s === undefined) return 'missing';
    return `${s.size === 0n ? 'empty:' : ''}${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Between a delete and a create, the file is missing: a state that must last quietMs too.
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : `error:${code ?? String(err)}`;
  }
}

export interface SettleOptions {
  /** How long every file of a batch must stay unchanged. */
  quietMs: number;
  /** How often pending files are stat'ed. */
  pollMs: number;
  /**
   * How long a file must stay empty or missing before that counts as settled:
   * a truncate-then-write or delete-then-create save passes through those
   * states, and an editor stalled right there (a loaded machine) must not
   * have an empty file applied. Only a stalled save or a real deletion waits this long.
   */
  unfinishedMs: number;
  /** How long a file that does not compile must stay unchanged (used with `judge`). */
  failedMs: number;
  /** Called with the paths of a settled batch; the next event starts a new batch. */
  onSettled: (paths: string[]) => void;
  /**
   * Asked once per content of a pending file (not empty or missing) that has
   * not changed for `pollMs`: that file's write is probably over, while other
   * files of the save may still be arriving (the work overlaps the writer's).
   * The answer comes later, through {@link WriteSettler.judged}, naming the
   * same `asked` fingerprint; the batch does not settle before it (or before
   * `failedMs`, if it never comes).
   */
  judge?: (path: string, asked: Fingerprint) => void;
  fingerprint?: (path: string) => Fingerprint;
}

/** What the judge said of a file's content (the loader's prewarm): `skipped` when it has nothing to say about that file. */
export type Verdict = Prewarmed;

interface Pending {
  fingerprint: Fingerprint | undefined;
  /** When the file was last seen changing (an event, or a new fingerprint). */
  since: number;
  /** The fingerprint the judge was last asked about. */
  asked: Fingerprint | undefined;
  /** Its answer, or undefined while it is awaited (or was never asked for). */
  verdict: Verdict | undefined;
}

export class WriteSettler {
  readonly #options: SettleOptions;
  readonly #fingerprint: (path: string) => Fingerprint;
  readonly #pending = new Map<string, Pending>();
  /** Cancels the next poll, when one is scheduled. */
  #cancel: (() => void) | undefined;
  #closed = false;
  /** The last poll found the batch settled; the next one, after the event loop read its I/O, confirms. */
  #settling = false;

  constructor(options: SettleOptions) {
    this.#options = options;
    this.#fingerprint = options.fingerprint ?? fingerprintOf;
  }

  /** A file event for `path`: its content may still be changing. */
  touch(path: string): void {
    if (this.#closed) return;
    const entry = this.#pending.get(path);
    if (entry) entry.since = performance.now();
    else this.#pending.set(path, { fingerprint: undefined, since: performance.now(), asked: undefined, verdict: undefined });
    // Look soon, to take the first fingerprint, unless a look is already coming.
    if (this.#cancel === undefined) this.#schedule(0);
  }

  /** The judge's answer about `path` as it was when `asked` was its fingerprint. */
  judged(path: string, asked: Fingerprint, verdict: Verdict): void {
    const entry = this.#pending.get(path);
    // The content may have moved on since it was asked: an answer about another content counts for nothing.
    if (entry === undefined || entry.fingerprint !== asked) return;
    entry.verdict = verdict;
    // The last answer awaited may let the batch go: look now rather than at the next poll.
    if (!this.#settling && this.#cancel !== undefined && this.#allJudged()) {
      this.#cancel();
      this.#schedule(0);
    }
  }

  /** Files with an event whose batch has not settled yet. */
  get pending(): number {
    return this.#pending.size;
  }

  close(): void {
    this.#closed = true;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#pending.clear();
  }

  #allJudged(): boolean {
    for (const entry of this.#pending.values()) if (entry.verdict === undefined && entry.fingerprint !== undefined && !UNFINISHED.test(entry.fingerprint)) return false;
    return true;
  }

  /** How long `entry` must have been unchanged before its batch may settle. */
  #needed(entry: Pending): number {
    const { quietMs, unfinishedMs, failedMs, judge } = this.#options;
    if (entry.fingerprint !== undefined && UNFINISHED.test(entry.fingerprint)) return unfinishedMs;
    if (judge === undefined || entry.verdict === 'compiled' || entry.verdict === 'skipped') return quietMs;
    // Did not compile; or not judged yet: polls go on every pollMs, so the answer ends the wait when it comes.
    return failedMs;
  }

  /**
   * The next poll in `ms`; 0 is the next turn of the event loop (setImmediate,
   * not a timer's 1 ms): after the poll phase, so file events that arrived
   * meanwhile are read first.
   */
  #schedule(ms: number): void {
    const run = (): void => {
      this.#cancel = undefined;
      this.#poll();
    };
    if (ms <= 0) {
      const immediate = setImmediate(run);
      this.#cancel = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(run, ms);
      this.#cancel = () => clearTimeout(timer);
    }
  }

  #poll(): void {
    if (this.#closed) return;
    const paths = [...this.#pending.keys()];
    const prints = paths.map((p) => this.#fingerprint(p));
    const now = performance.now();
    // A new fingerprint counts as a change made now (it was made at most pollMs ago): the safe side.
    paths.forEach((path, i) => {
      const entry = this.#pending.get(path)!;
      if (entry.fingerprint !== prints[i]) {
        entry.fingerprint = prints[i];
        entry.since = now;
        entry.verdict = undefined;
      }
      const print = entry.fingerprint;
      if (this.#options.judge && now - entry.since >= this.#options.pollMs && print !== entry.asked && !UNFINISHED.test(print)) {
        entry.asked = print;
        this.#options.judge(path, print);
      }
    });
    // How long until every file has been quiet long enough; files touched while the stats ran
    // have no fingerprint yet and are never settled before their first look.
    let left = 0;
    for (const entry of this.#pending.values()) {
      const needed = this.#needed(entry);
      left = Math.max(left, entry.fingerprint === undefined ? needed : needed - (now - entry.since));
    }
    if (left > 0) {
      this.#settling = false;
      // Poll on, and land the last look exactly when the quiet period would end.
      this.#schedule(Math.max(0, Math.min(this.#options.pollMs, left)));
      return;
    }
    if (!this.#settling) {
      // After a stall longer than the quiet period, the event of a save's next file may be waiting
      // unread. One more look, on the next turn, after the event loop read the file events.
      this.#settling = true;
      this.#schedule(0);
      return;
    }
    this.#settling = false;
    const settled = [...this.#pending.keys()];
    this.#pending.clear();
    this.#options.onSettled(settled);
  }
}
