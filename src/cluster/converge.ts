/**
 * Applying committed revisions on one member, in order: the latest committed
 * record seen is the target; one apply runs at a time; a revision never
 * follows a newer one. A member that was away sees only the latest commit
 * when it returns, and applies that.
 * @module
 */
import { BusyError, StateError, ValidateConfigError, type Runtime } from '../index.js';
import { errorInfo, isA } from './describe.js';
import type { CommittedRecord, ErrorInfo } from './records.js';

/** How long to wait before retrying an apply the runtime refused as busy (a local reload in progress). */
const BUSY_RETRY = 100;

export class Convergence {
  readonly #rt: Runtime;
  readonly #changed: () => void;
  #target: CommittedRecord | undefined;
  #applied = 0;
  /** A revision the runtime refused (validation, state): not tried again until new code or a new commit. */
  #refused = 0;
  #error: ErrorInfo | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  /** `changed` runs after every attempt (the member publishes its status). */
  constructor(rt: Runtime, changed: () => void) {
    this.#rt = rt;
    this.#changed = changed;
  }

  /** The last revision applied (the runtime ran the apply, whatever state it reached). */
  get applied(): number {
    return this.#applied;
  }

  /** The latest committed revision seen. */
  get committed(): number {
    return this.#target?.revision ?? 0;
  }

  /** Why the last attempt did not apply (or failed), until one succeeds. */
  get error(): ErrorInfo | undefined {
    return this.#error;
  }

  /** A committed record was read: apply it unless a newer one is already the target. */
  offer(record: CommittedRecord): Promise<void> {
    if (!this.#target || record.revision > this.#target.revision) this.#target = record;
    return this.#kick();
  }

  /** Try a refused revision again (the code changed). */
  retry(): Promise<void> {
    this.#refused = 0;
    return this.#kick();
  }

  /** Resolves when no apply is in progress. */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  stop(): void {
    this.#stopped = true;
  }

  #kick(): Promise<void> {
    this.#running ??= this.#loop().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #loop(): Promise<void> {
    for (;;) {
      const target = this.#target;
      if (this.#stopped || !target || target.revision <= this.#applied || target.revision === this.#refused) return;
      try {
        await this.#rt.applyConfig(target.document);
        this.#applied = target.revision;
        this.#error = undefined;
      } catch (err) {
        if (isA(err, BusyError)) {
          await new Promise((r) => setTimeout(r, BUSY_RETRY));
          continue;
        }
        this.#error = errorInfo(err);
        // A rejected document changed nothing: the member still runs the revision before.
        if (isA(err, ValidateConfigError) || isA(err, StateError)) this.#refused = target.revision;
        else this.#applied = target.revision;
      }
      this.#changed();
    }
  }
}

