/**
 * The values rolekit keeps in etcd, as JSON, and their schemas. Anything read
 * back is checked here: a value some other writer left (malformed JSON, the
 * wrong shape, a hostile object) is a ClusterDataError for the member's
 * status, never a crash.
 * @module
 */
import { z } from 'zod';
import { ClusterDataError } from './errors.js';

const errorInfo = z.object({ name: z.string(), message: z.string() });
export type ErrorInfo = z.infer<typeof errorInfo>;

const revision = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const committedRecord = z.object({
  revision: revision.min(1),
  document: z.unknown(),
  id: z.string(),
  at: z.number(),
});
export type CommittedRecord = z.infer<typeof committedRecord>;

export const prepareRecord = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('apply'),
    id: z.string().min(1),
    revision: revision.min(1),
    document: z.unknown(),
    coordinator: z.string(),
    at: z.number(),
  }),
  z.object({ kind: z.literal('reload'), id: z.string().min(1), coordinator: z.string(), at: z.number() }),
]);
export type PrepareRecord = z.infer<typeof prepareRecord>;

const issue = z.object({ path: z.string(), message: z.string() });

export const voteRecord = z.union([
  z.object({ id: z.string(), ok: z.literal(true) }),
  z.object({ id: z.string(), ok: z.literal(false), error: errorInfo, issues: z.array(issue) }),
]);
export type VoteRecord = z.infer<typeof voteRecord>;

export const memberRecord = z.object({
  state: z.string(),
  revision,
  generation: z.number().int().nonnegative(),
  error: errorInfo.optional(),
  at: z.number(),
});
export type MemberRecord = z.infer<typeof memberRecord>;

export const reloadRequest = z.object({ id: z.string().min(1), roles: z.array(z.string()).optional() });
export type ReloadRequest = z.infer<typeof reloadRequest>;

export const reloadResult = z.object({
  id: z.string(),
  result: z.enum(['ok', 'failed', 'rolled-back', 'refused']),
  generation: z.number().int().nonnegative(),
  error: errorInfo.optional(),
});
export type ReloadResult = z.infer<typeof reloadResult>;

export function encode(value: unknown): string {
  return JSON.stringify(value);
}

/** Parse a value read from `key`; throws ClusterDataError when it is not a `what`. */
export function decode<T>(schema: z.ZodType<T>, raw: Buffer | string, key: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    throw new ClusterDataError(`The value of ${key} is not JSON (expected ${what})`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  throw new ClusterDataError(`The value of ${key} is not ${what}${where}: ${first?.message ?? 'invalid'}`);
}
