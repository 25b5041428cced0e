/**
 * Node's CommonJS resolver keeps, for the life of the process, the answer to
 * every `(request, lookup paths)` it resolved (`Module._pathCache`), and
 * serves a later resolution from it without checking that the file is still
 * there. A process that never edits its files does not notice; a reload does:
 * once `util.js` became `util/index.js` (or `helper.js` became `helper.ts`),
 * `require('./util')` keeps answering the deleted path and every later load
 * fails with ENOENT until the process restarts.
 *
 * Both loaders resolve through that cache (the managed one through
 * `createRequire().resolve`, the native one through Node's `require` and, on
 * Node 22+, the default resolve step of the hooks), so both forget its
 * answers that point at application files before each load. Answers that
 * point into packages stay: packages are shared and do not move under a
 * running service, and re-resolving them is the costly part.
 * @module
 */
import nodeModule from 'node:module';

/** `Module._pathCache`: a null-prototype object on Node 20 to 24. Absent elsewhere (then there is nothing to forget). */
const pathCache = (nodeModule as unknown as { _pathCache?: Record<string, string> })._pathCache;

/** Drop every remembered resolution whose answer `isApplication` claims. */
export function forgetApplicationResolutions(isApplication: (path: string) => boolean): void {
  if (!pathCache) return;
  for (const key of Object.keys(pathCache)) {
    if (isApplication(pathCache[key]!)) delete pathCache[key];
  }
}
