/** The role's AbortSignal: aborted first when the role stops, so work in flight sees it before anything else goes. @module */
export function createStopSignal(): { signal: AbortSignal; abort: () => void } {
  const controller = new AbortController();
  return { signal: controller.signal, abort: () => controller.abort(new Error('role stopped')) };
}
