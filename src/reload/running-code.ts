/**
 * The code that runs, as one immutable value: the roles' sources, the
 * registry built from them, and the generation (+1 per successful reload).
 * The runtime holds the current one; a plain apply validates against its
 * registry; a reload is handed it and returns the next one. Nothing else keeps
 * a registry of its own, so what runs can never disagree with what is listed.
 * @module
 */
import { RoleRegistry } from '../roles/registry.js';
import type { ModuleSource, RoleSource } from './role-sources.js';

export interface RunningCode {
  readonly sources: readonly RoleSource[];
  readonly registry: RoleRegistry;
  readonly generation: number;
}

/** Build the running code from sources; throws RegisterRoleError on a clash, an unknown dependency or a cycle. */
export function runningCode(sources: readonly RoleSource[], generation = 0): RunningCode {
  return Object.freeze({ sources: Object.freeze([...sources]), registry: new RoleRegistry(sources.map((s) => s.role)), generation });
}

/** The roles given as module files: the unit of hot reload. */
export function moduleSources(code: RunningCode): ModuleSource[] {
  return code.sources.filter((s): s is ModuleSource => s.kind === 'module');
}

/** Every application file of the loaded role code (what watch mode watches). */
export function loadedFiles(code: RunningCode): string[] {
  return [...new Set(moduleSources(code).flatMap((s) => s.loaded.files.map((f) => f.path)))];
}
