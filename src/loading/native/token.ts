/**
 * The "generation token" that makes Node evaluate role code afresh.
 *
 * Node's ES module loader caches every module by URL for the life of the
 * process and offers no way to evict one. The only way to evaluate a file again
 * is to import it under a URL that was never seen before, so each `load` gives
 * its entries a query `?rolekit-gen=<loader>.<n>` and the resolve hook copies
 * that query onto every application file the graph reaches. `file:` URLs that
 * differ only by query are the same file on disk, so relative imports,
 * `import.meta.dirname` and `fileURLToPath(import.meta.url)` keep working.
 *
 * The loader id is part of the token so that several loaders (or several
 * copies of rolekit) in one process never mistake each other's generations:
 * the hooks look the loader up to find its `shared` set and where to report.
 *
 * This file is imported by the hooks thread too (Node 20), so it must stay
 * free of main-thread state.
 */

export const GEN_PARAM = 'rolekit-gen';

/** Cheap pre-check: the resolve hook runs for every import in the process. */
const MARK = `${GEN_PARAM}=`;

/** The token carried by a URL, or undefined for URLs outside any generation. */
export function tokenOf(url: string | undefined): string | undefined {
  if (url === undefined || !url.startsWith('file:') || !url.includes(MARK)) return undefined;
  return new URL(url).searchParams.get(GEN_PARAM) ?? undefined;
}

/** The loader id part of a token (`<loader>.<n>`). */
export function loaderOf(token: string): string {
  const dot = token.lastIndexOf('.');
  return dot < 0 ? token : token.slice(0, dot);
}

/** `url` with the generation query set (other query parameters are kept). */
export function withToken(url: string, token: string): string {
  const u = new URL(url);
  u.searchParams.set(GEN_PARAM, token);
  return u.href;
}
