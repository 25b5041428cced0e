/**
 * Whether a value is a thenable: what a callback or a disposer may return. Reading
 * `then` of a hostile value (a Proxy whose trap throws) counts as no.
 * @module
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}
