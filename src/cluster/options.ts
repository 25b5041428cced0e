/**
 * What the cluster functions accept, checked once with zod: a wrong option is
 * a TypeError naming it, before anything talks to etcd.
 * @module
 */
import { z } from 'zod';
import type { Logger } from '../index.js';

/** Cartridge's limits: prepare 10 s, commit 10 s, abort 1 s. */
export interface ClusterTimeouts {
  /** How long the members have to vote; a member that has not voted by then counts as no. */
  prepare: number;
  /** How long the commit transaction may take (retried while members come and go). */
  commit: number;
  /** How long the abort may take; after that the prepare's lease removes it anyway. */
  abort: number;
}

export const DEFAULT_TIMEOUTS: ClusterTimeouts = { prepare: 10_000, commit: 10_000, abort: 1_000 };
export const DEFAULT_LEASE = 10_000;

/** How to reach etcd, and which cluster. */
export interface EtcdOptions {
  /** Endpoints of an existing etcd (v3 API), e.g. `['http://127.0.0.1:2379']`; `https://` with `tls`. */
  etcd: readonly string[];
  /** The cluster; its keys live under `/rolekit/<name>/`. */
  name: string;
  /** PEM text (or Buffers) for TLS to etcd: `ca` to trust the server, `cert` + `key` for client certificates. */
  tls?: { ca: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /** etcd's own authentication (etcd `user add` / `auth enable`). */
  auth?: { username: string; password: string };
  /** Time limit of one etcd request in ms (default 5000); streams (watch, keepalive) have none. */
  requestTimeout?: number;
}

export interface JoinOptions extends EtcdOptions {
  /** This member's name, unique in the cluster. */
  instance: string;
  /** ms: a member whose process dies leaves the cluster within this (etcd leases count whole seconds). */
  lease?: number;
  /** Limits for the applies this member coordinates (`member.applyDocument`). */
  timeouts?: Partial<ClusterTimeouts>;
  log?: Logger;
}

const NAME = /^[A-Za-z0-9_.-]+$/;
const name = (what: string) =>
  z.string().regex(NAME, `${what} may hold only letters, digits, "_", "." and "-" (it is part of etcd keys)`);
const ms = z.number().positive().max(2_147_483_647);
const pem = z.union([z.string(), z.instanceof(Buffer)]);

const etcdSchema = z.object({
  etcd: z.array(z.string().min(1)).min(1, 'etcd needs at least one endpoint'),
  name: name('name'),
  tls: z.object({ ca: pem, cert: pem.optional(), key: pem.optional() }).optional(),
  auth: z.object({ username: z.string(), password: z.string() }).optional(),
  requestTimeout: ms.optional(),
});

const timeoutsSchema = z.object({ prepare: ms, commit: ms, abort: ms }).partial();

const joinSchema = etcdSchema.extend({
  instance: name('instance'),
  lease: ms.optional(),
  timeouts: timeoutsSchema.optional(),
  log: z.any().optional(),
});

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
  throw new TypeError(`${what}: ${issues.join('; ')}`);
}

export function checkEtcdOptions<T extends EtcdOptions>(options: T, what: string): T {
  check(etcdSchema.passthrough(), options, what);
  return options;
}

export function checkJoinOptions(options: JoinOptions): JoinOptions {
  check(joinSchema, options, 'joinCluster');
  return options;
}

/** The defaults with the limits given; a limit given as `undefined` keeps its default. */
export function checkTimeouts(timeouts: unknown, what: string): ClusterTimeouts {
  const given = Object.entries(check(timeoutsSchema, timeouts ?? {}, what)).filter(([, v]) => v !== undefined);
  return { ...DEFAULT_TIMEOUTS, ...Object.fromEntries(given) };
}

/** A lease in ms as etcd's whole seconds (at least 1). */
export function leaseSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
