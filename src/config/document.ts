/**
 * The configuration document (API.md section 3) and its normalised form.
 * The shape is checked with zod so that a wrong shape is reported with the
 * key's path, like every other configuration error.
 * @module
 */
import { z } from 'zod';
import type { ConfigIssue } from '../errors.js';
import { selectedNames, type RoleSelection } from '../roles/registry.js';

export interface HostDocument {
  roles?: RoleSelection;
  config?: Record<string, unknown>;
}

export interface ConfigDocument {
  /** Enabled global roles: a list or a `{ name: boolean }` map. */
  roles?: RoleSelection;
  /** Sections keyed by role name. */
  config?: Record<string, unknown>;
  /** Virtual hosts and components. */
  hosts?: Record<string, HostDocument>;
  [key: string]: unknown;
}

export interface NormalizedDocument {
  /** Names listed as enabled at the top level. */
  roles: string[];
  config: Record<string, unknown>;
  hosts: Record<string, { roles: string[]; config: Record<string, unknown> }>;
  /** The document as given, for onApplyConfig. */
  source: ConfigDocument;
}

const selection = z.union([z.array(z.string()), z.record(z.string(), z.boolean())]);
const sections = z.record(z.string(), z.unknown());
const documentShape = z.looseObject({
  roles: selection.optional(),
  config: sections.optional(),
  hosts: z.record(z.string(), z.object({ roles: selection.optional(), config: sections.optional() })).optional(),
});

export type NormalizeResult = { ok: true; doc: NormalizedDocument } | { ok: false; issues: ConfigIssue[] };

export function normalizeDocument(input: unknown): NormalizeResult {
  const parsed = documentShape.safeParse(input ?? {});
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  const doc = parsed.data;
  const hosts: NormalizedDocument['hosts'] = {};
  for (const [host, part] of Object.entries(doc.hosts ?? {})) {
    hosts[host] = { roles: selectedNames(part.roles), config: part.config ?? {} };
  }
  return {
    ok: true,
    doc: {
      roles: selectedNames(doc.roles),
      config: doc.config ?? {},
      hosts,
      source: (input ?? {}) as ConfigDocument,
    },
  };
}

export const EMPTY_DOCUMENT: NormalizedDocument = { roles: [], config: {}, hosts: {}, source: {} };
