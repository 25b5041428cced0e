/**
 * What a configuration file says about the runtime, as `createRuntime` takes
 * it: the same for `rolekit start` and for `rolekit validate`, so that a file
 * validates against the very code and loader it would run with.
 * @module
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigFileSettings, RuntimeOptions } from '../index.js';

/** rolekit's own entry file: shared with role code, so that `import 'rolekit'` in a role gets this very instance. */
const ROLEKIT_ENTRY = fileURLToPath(new URL('../index.js', import.meta.url));

/** The file's modules (relative to its folder), loader and time limits; `path` is the file's absolute path. */
export function runtimeOptionsOf(path: string, settings: ConfigFileSettings): RuntimeOptions {
  return {
    roles: settings.modules,
    baseDir: dirname(path),
    shared: [ROLEKIT_ENTRY],
    ...(settings.loader !== undefined && { loader: settings.loader }),
    ...(settings.timeouts !== undefined && { timeouts: settings.timeouts }),
    ...(settings.requestHoldTimeout !== undefined && { requestHoldTimeout: settings.requestHoldTimeout }),
  };
}
