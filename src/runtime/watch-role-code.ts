/**
 * Watch mode's policy (`createRuntime({ watch: true })`): which roles a
 * settled save reloads. The watcher (reload/watch.ts) says which files
 * changed; this decides what to reload and keeps the watched set in step
 * with the loaded code.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import type { LazyLoader } from '../loading/lazy-loader.js';
import { BusyError, HotReloadError } from '../errors.js';
import { moduleSources } from '../reload/running-code.js';
import { watchRoleFiles } from '../reload/watch.js';
import { changedRolesAmong } from '../reload/update-list.js';
import type { Runtime } from './runtime.js';
import type { RolekitEvent } from '../events.js';

/** Reload changed role code by itself until the runtime shuts down. */
export function watchRoleCode(rt: Runtime, log: Logger, loader: LazyLoader): void {
  // The last reload's outcome, read off the event stream: asked on every file event in a
  // watched folder, so it must not rebuild rt.status() each time.
  let failed: RolekitEvent<'reload'> | undefined;
  rt.on('reload', (event) => (failed = event.result === 'ok' ? undefined : event));
  const watcher = watchRoleFiles({
    // A file a failed load names (a new import that does not parse) is in no loaded graph, and maybe
    // in a folder not watched yet: watched too, fixing it retries.
    files: () => [...rt.loadedFiles(), ...failingFile(rt.error)],
    wholeFolders: () => failed !== undefined,
    log,
    onChange: (paths) => reloadFor(rt, paths, failed),
    // The loader that loaded the watched files (peek: never create one just for this).
    prepare: async (path) => (await loader.peek()?.prewarm?.(path)) ?? 'skipped',
  });
  rt.subscribe(({ state, prev }) => {
    if (state === 'ShuttingDown') void watcher.close();
    // Any reload, by hand too, may have changed the graph. Entering ConfiguringRoles the new code's
    // files are loaded: watched from then on, they stay watched if it rolls back, so fixing them retries.
    else if (prev === 'ReloadingRoles' || prev === 'ConfiguringRoles') watcher.refresh();
  });
}

async function reloadFor(rt: Runtime, paths: string[], failed: RolekitEvent<'reload'> | undefined): Promise<void> {
  for (;;) {
    if (rt.state === 'ShuttingDown' || rt.state === 'Stopped') return; // a change as the runtime stops
    try {
      // Only the files of this save are read: hashing every loaded file would come before every reload.
      const roles = retryTargets(rt, paths, failed) ?? changedRolesAmong(moduleSources(rt.runningCode()), paths);
      if (roles.length === 0) return; // saved as it was, or touched
      await rt.update(roles); // the reload logs its own line
      return;
    } catch (err) {
      if (!(err instanceof BusyError)) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * After a failed reload the serving code is not what is on disk, and hashes
 * cannot tell a fix from no change: restoring a broken file to the serving
 * code leaves every hash as it was loaded. So while the last reload failed,
 * any change retries: the roles whose files changed and the roles of the
 * failed reload. Otherwise `undefined`: the roles whose files' hashes changed are reloaded.
 */
function retryTargets(rt: Runtime, paths: string[], last: RolekitEvent<'reload'> | undefined): string[] | undefined {
  if (last === undefined) return undefined;
  const code = rt.runningCode();
  const changed = new Set(paths);
  const owners = moduleSources(code).filter((s) => s.loaded.files.some((f) => changed.has(f.path))).map((s) => s.role.name);
  const known = new Set(code.registry.getAllRoles());
  const roles = [...new Set([...owners, ...last.roles])].filter((r) => known.has(r));
  return roles.length > 0 ? roles : undefined;
}

/** The file a failed reload's load names (loaders set `file` on their errors), if any. */
function failingFile(error: unknown): string[] {
  if (!(error instanceof HotReloadError)) return [];
  for (let e: unknown = error.cause; e instanceof Error; e = e.cause) {
    const file = (e as { file?: unknown }).file;
    if (typeof file === 'string' && file.length > 0) return [file];
  }
  return [];
}
