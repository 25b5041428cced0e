/**
 * Where each role comes from. Role objects are fixed for the life of the
 * runtime; module roles (paths and file: URLs) are the unit of hot reload;
 * roles from packages in node_modules are imported by Node once and shared,
 * like every other package.
 * @module
 */
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { types } from 'node:util';
import { RegisterRoleError } from '../errors.js';
import { isInstance, messageOf } from '../thrown.js';
import { isRole, toRole, type AnyRole } from '../roles/role.js';
import type { LoadedModule, RoleLoader } from '../loading/types.js';
import { isInNodeModules, modulePath } from '../loading/paths.js';

export type RoleSource =
  | { kind: 'object'; role: AnyRole }
  | { kind: 'package'; specifier: string; role: AnyRole }
  | { kind: 'module'; specifier: string; path: string; role: AnyRole; loaded: LoadedModule };

export type ModuleSource = Extract<RoleSource, { kind: 'module' }>;

/**
 * An ES module's exports (a namespace under the native loader and Node, what
 * swc compiled it to under the managed one, or CommonJS compiled from ESM),
 * as opposed to a CommonJS module.exports, which is the role itself.
 */
function isEsModule(exports: unknown): boolean {
  if (types.isModuleNamespaceObject(exports)) return true;
  return typeof exports === 'object' && exports !== null && (exports as { __esModule?: unknown }).__esModule === true;
}

/** The role a loaded module exports: its default export (or module.exports itself for CommonJS). */
export function roleFromExports(exports: Record<string, unknown>, origin: string): AnyRole {
  if (isEsModule(exports) && !('default' in exports)) {
    // Sorted: a namespace lists its names sorted, swc's exports object in source order.
    const names = Object.keys(exports).sort();
    const listed = names.length > 0 ? `it exports: ${names.join(', ')}` : 'it exports nothing';
    throw new RegisterRoleError(`Module "${origin}" has no default export (${listed})`);
  }
  const candidate = exports && 'default' in exports ? exports.default : exports;
  // A CommonJS module compiled from ESM may nest the default once more.
  const unwrapped =
    !isRole(candidate) && candidate && typeof candidate === 'object' && 'default' in candidate
      ? (candidate as { default: unknown }).default
      : candidate;
  return toRole(isRole(unwrapped) ? unwrapped : candidate, origin);
}

/** Load module roles through `loader`; one call, so files shared by these roles are one instance. */
export async function loadModuleRoles(
  loader: RoleLoader,
  wanted: { specifier: string; path: string }[],
): Promise<ModuleSource[]> {
  if (wanted.length === 0) return [];
  const loaded = await loader.load(wanted.map((w) => w.path));
  return wanted.map((w, i) => ({
    kind: 'module' as const,
    specifier: w.specifier,
    path: w.path,
    loaded: loaded[i],
    role: roleFromExports(loaded[i].exports, w.specifier),
  }));
}

/** Resolve every entry of `roles`: objects as they are, files through the loader, packages through Node. */
export async function resolveRoleSources(
  entries: readonly (AnyRole | string | URL)[],
  loader: () => Promise<RoleLoader>,
  baseDir: string,
  /** Runs around the load of module roles (the globals tracker attributes what it defines). */
  around: (load: () => Promise<ModuleSource[]>) => Promise<ModuleSource[]> = (load) => load(),
): Promise<RoleSource[]> {
  const sources: (RoleSource | undefined)[] = new Array(entries.length);
  const files: { index: number; specifier: string; path: string }[] = [];
  for (const [index, entry] of entries.entries()) {
    if (typeof entry !== 'string' && !(entry instanceof URL)) {
      sources[index] = { kind: 'object', role: toRole(entry, { index }) };
      continue;
    }
    const specifier = String(entry);
    const path = modulePath(entry, baseDir);
    if (path !== undefined && !isInNodeModules(path)) {
      files.push({ index, specifier, path });
      continue;
    }
    sources[index] = { kind: 'package', specifier, role: await importPackageRole(specifier, path, baseDir) };
  }
  if (files.length > 0) {
    let loaded: ModuleSource[];
    try {
      const roleLoader = await loader();
      loaded = await around(() => loadModuleRoles(roleLoader, files));
    } catch (err) {
      if (isInstance(err, RegisterRoleError)) throw err;
      throw new RegisterRoleError(`Failed to load role modules: ${messageOf(err)}`, { cause: err });
    }
    files.forEach((f, i) => (sources[f.index] = loaded[i]));
  }
  return sources as RoleSource[];
}

/** A role from a package (or a path in node_modules), imported by Node once and shared. */
export async function importPackageRole(specifier: string, path: string | undefined, baseDir: string): Promise<AnyRole> {
  let url: string;
  try {
    url = path ? pathToFileURL(path).href : pathToFileURL(createRequire(resolvePath(baseDir, 'noop.js')).resolve(specifier)).href;
  } catch {
    url = specifier; // ESM-only package: let Node's import resolve it.
  }
  try {
    return roleFromExports((await import(url)) as Record<string, unknown>, specifier);
  } catch (err) {
    if (isInstance(err, RegisterRoleError)) throw err;
    throw new RegisterRoleError(`Failed to import role package "${specifier}": ${messageOf(err)}`, { cause: err });
  }
}
