/**
 * Wake-ups on changes under a prefix, for a coordinator that waits for votes
 * or reload answers: it re-reads after every event, so an event is only a
 * nudge, and a lost watch costs at most the fallback poll (250 ms).
 * @module
 */
import type { Etcd3, Watcher } from 'etcd3';

const POLL = 250;

export interface Changes {
  /** Resolves on the next change under the prefix, after the fallback poll, or at `deadline` (ms since the epoch). */
  next(deadline: number): Promise<void>;
  close(): void;
}

export function watchChanges(client: Etcd3, prefix: string, fromRevision: number): Changes {
  let wake: (() => void) | undefined;
  let pending = false;
  const nudge = () => {
    pending = true;
    wake?.();
  };
  let watcher: Watcher | undefined;
  try {
    watcher = client.watch().prefix(prefix).startRevision(String(fromRevision)).watcher();
    watcher.on('data', nudge);
    // A broken watch only costs the poll; the reads after it report what is wrong.
    watcher.on('error', () => {});
    watcher.on('disconnected', () => {});
  } catch {
    watcher = undefined;
  }
  return {
    next(deadline) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, Math.max(0, Math.min(POLL, deadline - Date.now())));
        function done() {
          clearTimeout(timer);
          wake = undefined;
          pending = false;
          resolve();
        }
        wake = done;
      });
    },
    close() {
      wake?.();
      void watcher?.cancel().catch(() => {});
    },
  };
}
