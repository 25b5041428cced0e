/**
 * The role model: what a role is, and `defineRole`, which checks a definition
 * once, at the place it is written, and infers the section type from its schema.
 * @module
 */
import type { z } from 'zod';
import type { RoleContext, HostContext } from './context/types.js';
import { RegisterRoleError } from '../errors.js';
import type { LifecycleStateName } from '../machines/lifecycle.js';

export type RoleScope = 'global' | 'host' | 'shared';

/** The configuration section type a schema produces (raw `unknown` without one). */
export type SectionOf<S> = S extends z.ZodType ? z.output<S> : unknown;

/** Lifecycle state names, as the machine and `onApplyConfig` see them (one list: the machine's). */
export type LifecycleState = LifecycleStateName;

export interface RoleDefinition<S extends z.ZodType | undefined = z.ZodType | undefined, Service = unknown> {
  /** Unique role name; also the key of the role's configuration section. */
  name: string;
  /** Roles enabled, initialised and applied before this one. */
  dependencies?: readonly string[];
  /** Not listed by getKnownRoles(). */
  hidden?: boolean;
  /** Always enabled; implies hidden. */
  permanent?: boolean;
  /** 'global' (default), 'host' (one instance per host) or 'shared' (one instance plus addHost per host). */
  scope?: RoleScope;
  /** zod schema of `config[name]`; defaults are applied before any callback sees the section. */
  config?: S;
  /** Throw (or reject) to refuse the whole configuration. `prev` is the section applied now. */
  validateConfig?(conf: SectionOf<S>, prev: SectionOf<S> | undefined): void | Promise<void>;
  /** Start the role; the return value is its service API (`ctx.service(name)`). */
  init?(ctx: RoleContext<SectionOf<S>>): Service | Promise<Service>;
  /** Runs on every successful apply, after init, even when the section did not change. */
  applyConfig?(conf: SectionOf<S>, ctx: RoleContext<SectionOf<S>>): void | Promise<void>;
  /** Stop the role; the return value is handed to the next version's init on reload. */
  stop?(ctx: RoleContext<SectionOf<S>>): unknown;
  /** scope 'shared' only: the per-host part. */
  addHost?(hostCtx: HostContext<SectionOf<S>>): void | Promise<void>;
  /** After every apply, with the state reached; errors are logged and shown in the role's status. */
  onApplyConfig?(full: unknown, state: LifecycleState): void | Promise<void>;
  /** Globals this version defines that survive its reload. */
  whitelistGlobals?: readonly string[];
}

/** A role as the registry holds it: normalised, frozen. */
export interface Role<S extends z.ZodType | undefined = z.ZodType | undefined, Service = unknown>
  extends RoleDefinition<S, Service> {
  readonly dependencies: readonly string[];
  readonly hidden: boolean;
  readonly permanent: boolean;
  readonly scope: RoleScope;
  readonly whitelistGlobals: readonly string[];
}

/** Any role, whatever its schema and service; what collections hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRole = Role<any, any>;

const ROLE_MARK = Symbol.for('rolekit.role');

const KNOWN_KEYS = new Set([
  'name',
  'dependencies',
  'hidden',
  'permanent',
  'scope',
  'config',
  'validateConfig',
  'init',
  'applyConfig',
  'stop',
  'addHost',
  'onApplyConfig',
  'whitelistGlobals',
]);
const CALLBACKS = ['validateConfig', 'init', 'applyConfig', 'stop', 'addHost', 'onApplyConfig'] as const;
const SCOPES: readonly RoleScope[] = ['global', 'host', 'shared'];

/**
 * Define a role. The section type flows from the zod schema into every callback.
 *
 * @example
 * export default defineRole({
 *   name: 'cache',
 *   dependencies: ['storage'],
 *   config: z.object({ ttl: z.number().int().positive().default(60) }),
 *   async applyConfig(conf) { conf.ttl satisfies number; },
 * });
 */
export function defineRole<S extends z.ZodType | undefined = undefined, Service = unknown>(
  definition: RoleDefinition<S, Service>,
): Role<S, Service> {
  checkDefinition(definition);
  const permanent = definition.permanent ?? false;
  const role = {
    ...definition,
    dependencies: Object.freeze([...(definition.dependencies ?? [])]),
    hidden: permanent || (definition.hidden ?? false),
    permanent,
    scope: definition.scope ?? 'global',
    whitelistGlobals: Object.freeze([...(definition.whitelistGlobals ?? [])]),
  } as Role<S, Service>;
  Object.defineProperty(role, ROLE_MARK, { value: true });
  return Object.freeze(role);
}

/** True for a value made by defineRole (from any copy of rolekit: the mark is a global symbol). */
export function isRole(value: unknown): value is AnyRole {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ROLE_MARK] === true;
}

/**
 * Accept plain objects of the right shape too (role modules written without
 * defineRole). `origin` is the module specifier the value came from, or the
 * index of a role object given to createRuntime.
 */
export function toRole(value: unknown, origin: string | { index: number }): AnyRole {
  if (isRole(value)) return value;
  if (typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string') {
    return defineRole(value as RoleDefinition);
  }
  const what = typeof origin === 'string' ? `Module "${origin}" must export a role` : `roles[${origin.index}] must be a role`;
  throw new RegisterRoleError(`${what}, got ${typeName(value)}`);
}

/** `number`, `null`, `array`, ... and for an object what it lacks: the usual mistake is an object of something else. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  const keys = Object.keys(value);
  return `object (without a string "name"; ${keys.length > 0 ? `keys: ${keys.join(', ')}` : 'no keys'})`;
}

function checkDefinition(def: RoleDefinition): void {
  if (typeof def !== 'object' || def === null) {
    throw new RegisterRoleError(`A role must be an object, got ${def === null ? 'null' : typeof def}`);
  }
  if (typeof def.name !== 'string' || def.name.length === 0) {
    throw new RegisterRoleError('A role needs a non-empty string "name"');
  }
  const where = `Role "${def.name}"`;
  for (const key of Object.keys(def)) {
    if (!KNOWN_KEYS.has(key)) throw new RegisterRoleError(`${where} has unknown key "${key}"`);
  }
  for (const cb of CALLBACKS) {
    if (def[cb] !== undefined && typeof def[cb] !== 'function') {
      throw new RegisterRoleError(`${where}: "${cb}" must be a function, got ${typeof def[cb]}`);
    }
  }
  if (def.dependencies !== undefined) {
    if (!Array.isArray(def.dependencies) || def.dependencies.some((d) => typeof d !== 'string')) {
      throw new RegisterRoleError(`${where}: "dependencies" must be a list of role names`);
    }
  }
  if (def.scope !== undefined && !SCOPES.includes(def.scope)) {
    throw new RegisterRoleError(`${where}: "scope" must be one of ${SCOPES.join(', ')}, got "${String(def.scope)}"`);
  }
  if (def.addHost !== undefined && (def.scope ?? 'global') !== 'shared') {
    throw new RegisterRoleError(`${where}: "addHost" is only for scope "shared"`);
  }
  if (def.config !== undefined && typeof (def.config as { safeParseAsync?: unknown }).safeParseAsync !== 'function') {
    throw new RegisterRoleError(`${where}: "config" must be a zod schema`);
  }
  if (def.whitelistGlobals !== undefined && !Array.isArray(def.whitelistGlobals)) {
    throw new RegisterRoleError(`${where}: "whitelistGlobals" must be a list of names`);
  }
}
