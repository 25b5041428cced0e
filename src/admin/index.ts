/**
 * rolekit/admin: the admin API of a runtime (docs/operations.md). Its own
 * package export, so that `import 'rolekit'` loads neither it nor prom-client.
 * @module
 */
export { createAdmin, DEFAULT_BODY_LIMIT } from './app.js';
export type { AdminApp, AdminCluster, AdminOptions, AdminPage } from './app.js';
export { serveAdmin, checkAdminListener, isLoopback } from './serve.js';
export type { AdminServer, ServeAdminOptions } from './serve.js';
export { GLOBAL_HOST, locationIn } from './status.js';
export type { AdminStatus, ReloadRecord, SourceLocation } from './status.js';
export type { InspectEvent, StateValue } from './inspection.js';
export { toInspectEvent } from './inspection.js';
export type { GapEvent } from './event-stream.js';
export { HEARTBEAT_MS } from './event-stream.js';
export type { ErrorBody } from './errors.js';
export { errorBody, statusOf } from './errors.js';
export { COOKIE_NAME } from './auth.js';
