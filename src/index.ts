/**
 * rolekit: run a Node.js service as a set of roles and change them while it
 * keeps serving.
 * @module
 */
export { defineRole, isRole } from './roles/role.js';
export type { Role, RoleDefinition, RoleScope, SectionOf, AnyRole, LifecycleState } from './roles/role.js';
export type {
  RoleContext,
  HostContext,
  RoleStatus,
  StatusType,
  StatusOptions,
  RouteHandler,
  RouteParams,
  RouteMethod,
  HttpMethod,
  Listenable,
} from './roles/context/types.js';
export { RoleRegistry } from './roles/registry.js';
export type { RoleSelection } from './roles/registry.js';
export { createRuntime } from './runtime/create-runtime.js';
export { Runtime } from './runtime/runtime.js';
export type { StateChange } from './runtime/runtime.js';
export type { RuntimeOptions, RoleEntry } from './runtime/options.js';
export type { Timeouts } from './engine/timeouts.js';
export type { Logger, LoggerLike, LoggerOption } from './logging/logger.js';
export { serializeError } from './logging/serialize-error.js';
export type { SerializedError } from './logging/serialize-error.js';
export type { RuntimeStatus, RoleStatusEntry, ReloadStatus } from './runtime/status.js';
export type { ReloadOptions } from './reload/reloader.js';
export type { ConfigDocument, HostDocument } from './config/document.js';
export {
  parseConfigFile,
  readConfigFile,
  checkModules,
  locateIssues,
  formatConfigFileError,
  CONFIG_FILE_LIMITS,
} from './config/file/index.js';
export type {
  ConfigFile,
  ConfigFileSettings,
  ConfigFileLimits,
  ParseOptions as ConfigFileParseOptions,
  ReadOptions as ConfigFileReadOptions,
  LogLevel as ConfigFileLogLevel,
  Environment as ConfigFileEnvironment,
} from './config/file/index.js';
export type { ConfigDiff } from './engine/diff.js';
export { lifecycleMachine, LIFECYCLE_STATES } from './machines/lifecycle.js';
export type {
  RolekitEvent,
  EventType,
  EventListener,
  StateEvent,
  ApplyEvent,
  ReloadEvent,
  CallbackEvent,
  StatusEvent,
  RoleCallback,
  InstanceRef,
  ErrorInfo,
} from './events.js';
export type { LifecycleStateName, LifecycleContext, LifecycleEvent } from './machines/lifecycle.js';
export type { RoleLoader, LoadedModule, LoadedFile, LoaderOptions } from './loading/types.js';
export {
  RolekitError,
  RegisterRoleError,
  ValidateConfigError,
  ApplyConfigError,
  StopRoleError,
  HotReloadError,
  StateError,
  BusyError,
  TimeoutError,
  RoleUnavailableError,
  ConfigFileError,
} from './errors.js';
export type { ConfigIssue, RoleFailure } from './errors.js';
// Reading any thrown value without throwing: what the faces (admin, cluster) describe errors with.
export { errorSummary, messageOf, readSafely, isInstance } from './thrown.js';
export type { ErrorSummary } from './thrown.js';
