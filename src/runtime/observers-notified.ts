/**
 * xstate starts an invoked actor while it enters the invoking state, before
 * it tells observers about that state. The runtime's actors run role
 * callbacks, and a synchronous `init` used to run before `Unconfigured ->
 * ConfiguringRoles` was logged or seen by `rt.subscribe` listeners. Each actor
 * awaits this first: the observers have been notified by the time it resolves
 * (they run in the same synchronous step that started the actor).
 * @module
 */
export function observersNotified(): Promise<void> {
  return Promise.resolve();
}
