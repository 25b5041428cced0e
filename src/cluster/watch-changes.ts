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

/** What to watch: every key under a prefix, or one key exactly. */
export type WatchTarget = { prefix: string } | { key: string };

export function watchChanges(client: Etcd3, targets: string | readonly WatchTarget[], fromRevision: number): Changes {
  let wake: (() => void) | undefined;
  let pending = false;
  const nudge = () => {
    pending = true;
    wake?.();
  };
  const watchers: Watcher[] = [];
  for (const target of typeof targets === 'string' ? [{ prefix: targets }] : targets) {
    try {
      const builder = client.watch();
      const watcher = ('prefix' in target ? builder.prefix(target.prefix) : builder.key(target.key)).startRevision(String(fromRevision)).watcher();
      watcher.on('data', nudge);
      // A broken watch only costs the poll; the reads after it report what is wrong.
      watcher.on('error', () => {});
      watcher.on('disconnected', () => {});
      watchers.push(watcher);
    } catch {
      // as broken: the poll
    }
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
      for (const watcher of watchers) void watcher.cancel().catch(() => {});
    },
  };
}
