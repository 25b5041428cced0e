/**
 * Every error rolekit raises, with a stable `code` and the HTTP status the
 * admin API answers with. `err.name` is the class name (docs/concepts.md, Errors).
 * @module
 */
import { messageOf, readSafely } from './thrown.js';

export { errorSummary, type ErrorSummary } from './thrown.js';

export interface ConfigIssue {
  /** Dotted path into the configuration document, e.g. `cache.ttl`. */
  path: string;
  message: string;
  /** On a ConfigFileError's issues: where in the file (1-based), see docs/configuration.md. */
  line?: number;
  column?: number;
}

export interface RolekitErrorOptions {
  cause?: unknown;
}

export class RolekitError extends Error {
  /** Stable machine-readable code, e.g. `RK_ERR_BUSY`. */
  readonly code: string = 'RK_ERR';
  /** HTTP status the admin API answers with when this error reaches it. */
  readonly status: number = 500;

  constructor(message: string, options?: RolekitErrorOptions) {
    super(message, options);
    // Subclasses inherit this: err.name is always the concrete class name.
    this.name = new.target.name;
  }

  toJSON(): { name: string; message: string; code: string } {
    return { name: this.name, message: this.message, code: this.code };
  }
}

export class RegisterRoleError extends RolekitError {
  override readonly code = 'RK_ERR_REGISTER_ROLE';
  override readonly status = 500;
}

/** How many issues (or failures) a message lists; the error's `issues` (`failures`) keep every one. */
export const LISTED_IN_MESSAGE = 10;
/** How much of one listed item a message keeps (a validateConfig may throw a 100 KB message). */
const ITEM_LIMIT = 500;

/**
 * `a; b; c`, or for a long list `3000 issues, the first 10: a; …; j; and 2990 more`:
 * a document enabling 3000 unknown roles must not make a 100 KB message.
 */
function listInMessage<T>(items: readonly T[], noun: string, render: (item: T) => string): string {
  try {
    if (!Array.isArray(items)) return '';
    const shown = items.slice(0, LISTED_IN_MESSAGE).map((item) => clip(render(item)));
    if (items.length <= LISTED_IN_MESSAGE) return shown.join('; ');
    return `${items.length} ${noun}, the first ${LISTED_IN_MESSAGE}: ${shown.join('; ')}; and ${items.length - LISTED_IN_MESSAGE} more`;
  } catch {
    // A list handed to a public constructor that throws when read (a revoked Proxy): the error is still made.
    return `${noun} that can not be read`;
  }
}

function clip(text: string): string {
  return text.length > ITEM_LIMIT ? `${text.slice(0, ITEM_LIMIT)}…` : text;
}

/** A string field as given, anything else described (issues may come from role code). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : messageOf(value);
}

function describeIssues(issues: readonly ConfigIssue[]): string {
  return listInMessage(issues, 'issues', (i) => {
    const path = text(readSafely(i, 'path'));
    const message = text(readSafely(i, 'message'));
    return path ? `${path}: ${message}` : message;
  });
}

export class ValidateConfigError extends RolekitError {
  override readonly code = 'RK_ERR_VALIDATE_CONFIG';
  override readonly status = 422;
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], options?: RolekitErrorOptions) {
    super(`Invalid configuration: ${describeIssues(issues)}`, options);
    this.issues = issues;
  }

  override toJSON() {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** One failure while applying: which role (and host) and in which callback. */
export interface RoleFailure {
  role: string;
  host?: string;
  phase: 'init' | 'applyConfig' | 'stop' | 'addHost';
  error: unknown;
}

export class ApplyConfigError extends RolekitError {
  override readonly code = 'RK_ERR_APPLY_CONFIG';
  override readonly status = 500;
  /** Every failure of the apply, in the order they happened; `cause` is the first. */
  readonly failures: RoleFailure[];

  constructor(message: string, failures: RoleFailure[] = []) {
    super(message, { cause: failures[0]?.error });
    this.failures = failures;
  }
}

export class StopRoleError extends RolekitError {
  override readonly code = 'RK_ERR_STOP_ROLE';
  override readonly status = 500;
  /** For a shutdown: every role whose stop failed (each failure's error is that role's own StopRoleError). */
  readonly failures: RoleFailure[];

  constructor(message: string, options?: RolekitErrorOptions & { failures?: RoleFailure[] }) {
    super(message, options);
    this.failures = options?.failures ?? [];
  }
}

export class HotReloadError extends RolekitError {
  override readonly code = 'RK_ERR_HOT_RELOAD';
  override readonly status = 409;
}

export class StateError extends RolekitError {
  override readonly code = 'RK_ERR_STATE';
  override readonly status = 409;
}

export class BusyError extends RolekitError {
  override readonly code = 'RK_ERR_BUSY';
  override readonly status = 409;
}

export class TimeoutError extends RolekitError {
  override readonly code = 'RK_ERR_TIMEOUT';
  override readonly status = 500;
}

export class RoleUnavailableError extends RolekitError {
  override readonly code = 'RK_ERR_ROLE_UNAVAILABLE';
  override readonly status = 500;
}

export class ConfigFileError extends RolekitError {
  override readonly code = 'RK_ERR_CONFIG_FILE';
  override readonly status = 400;
  readonly issues: ConfigIssue[];
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(
    file: string,
    line: number,
    column: number,
    issues: ConfigIssue[],
    options?: RolekitErrorOptions,
  ) {
    super(`${file}:${line}:${column}: ${describeIssues(issues)}`, options);
    this.file = file;
    this.line = line;
    this.column = column;
    this.issues = issues;
  }

  override toJSON() {
    return { ...super.toJSON(), issues: this.issues, file: this.file, line: this.line, column: this.column };
  }
}

/** Every public error class, for the admin API's mapping and the docs check. */
export const ERROR_CLASSES = [
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
] as const;

/** How messages name a role instance: `Role "muc"` or `Role "muc" on host "a.example.com"`. */
export function roleLabel(role: string, host: string | undefined): string {
  return host ? `Role "${role}" on host "${host}"` : `Role "${role}"`;
}

/** One line naming every failed role (and host) and callback: `role "a" init: boom; …`. */
export function describeFailures(failures: readonly RoleFailure[]): string {
  return listInMessage(failures, 'failures', (f) => {
    const [role, host] = [readSafely(f, 'role'), readSafely(f, 'host')];
    const who = host !== undefined ? `"${text(role)}" on "${text(host)}"` : `"${text(role)}"`;
    return `role ${who} ${text(readSafely(f, 'phase'))}: ${messageOf(readSafely(f, 'error'))}`;
  });
}
