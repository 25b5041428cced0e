/**
 * Stack traces of TypeScript roles must point at the `.ts` line. Node maps
 * them through the inline source map swc emits, but only when source maps are
 * enabled at the time the module is compiled, so the loader turns them on when
 * it is created. Process-wide: every module compiled afterwards with a
 * `sourceMappingURL` gets mapped traces (and Node reads its map when compiled).
 */
import nodeModule from 'node:module';

interface SourceMapsApi {
  // Node 22.14+/23.7+; process.setSourceMapsEnabled is its older spelling.
  setSourceMapsSupport?: (enabled: boolean) => void;
  getSourceMapsSupport?: () => { enabled: boolean };
}
const api = nodeModule as unknown as SourceMapsApi;

function enabled(): boolean {
  if (api.getSourceMapsSupport) return api.getSourceMapsSupport().enabled;
  return (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
}

function set(on: boolean): void {
  if (api.setSourceMapsSupport) api.setSourceMapsSupport(on);
  else process.setSourceMapsEnabled(on);
}

/** Enable source maps; returns a function restoring the previous state. */
export function enableSourceMaps(): () => void {
  if (enabled()) return () => {};
  set(true);
  return () => set(false);
}
