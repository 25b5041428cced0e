/**
 * The runtime's one loader of role code. Created on first use (a service of
 * role objects only never loads swc or installs hooks), at most once, and
 * closed on stop if it was ever created: a loader's effects are process-wide
 * (the managed loader's `Error.prepareStackTrace`, the native loader's hooks
 * and source-map support), so whoever created it must be able to undo them,
 * whether or not a reload ever happened.
 * @module
 */
import type { RoleLoader } from './types.js';

export interface LazyLoader {
  /** The loader, created by the first call. */
  get(): Promise<RoleLoader>;
  /** The loader if it was created and is ready; never creates it. */
  peek(): RoleLoader | undefined;
  /** Close the loader if it was created (a no-op otherwise, and the second time). */
  close(): Promise<void>;
}

export function lazyLoader(create: () => Promise<RoleLoader>): LazyLoader {
  let loader: Promise<RoleLoader> | undefined;
  let ready: RoleLoader | undefined;
  let closed = false;
  return {
    get: () =>
      (loader ??= create().then((created) => {
        ready = created;
        return created;
      })),
    peek: () => (closed ? undefined : ready),
    async close() {
      if (loader === undefined || closed) return;
      closed = true;
      // A loader that failed to be created has nothing to undo; its error was reported where it was needed.
      const created = await loader.catch(() => undefined);
      created?.close();
    },
  };
}
