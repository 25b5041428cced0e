/**
 * A cluster member: one runtime registered under a lease, applying what is
 * committed, voting on prepares and answering reload requests
 * (docs/cluster.md). Its connection to etcd is a loop of sessions: a session
 * grants a lease, registers, reads the committed document and watches the
 * cluster's keys from there; a lost lease or a broken watch ends it, and the
 * next one starts over from a fresh read, so a member never depends on a
 * watch resuming correctly. Between sessions the runtime keeps serving
 * whatever it applied last.
 * @module
 */
import type { IKeyValue, Lease, Watcher } from 'etcd3';
import type { Logger, Runtime } from '../index.js';
import { answerReload } from './answer-reload.js';
import { castVote } from './vote.js';
import { Convergence } from './converge.js';
import { errorInfo } from './describe.js';
import { connectEtcd, isUnreachable, unavailable, type EtcdConnection } from './etcd-client.js';
import { clusterKeys, type ClusterKeys } from './keys.js';
import { keyText, kvsOf, put, range, revisionOf, txn } from './kv.js';
import { DEFAULT_LEASE, checkJoinOptions, checkTimeouts, leaseSeconds, type ClusterTimeouts, type JoinOptions } from './options.js';
import { committedRecord, decode, encode, prepareRecord, reloadRequest, type ErrorInfo, type MemberRecord } from './records.js';
import { rollReload, type RollingReloadOptions, type RollingReloadReport } from './rolling-reload.js';
import { readClusterStatus, type ClusterStatus } from './status.js';
import { applyTwoPhase, type ApplyResult } from './two-phase.js';
import { revokeWithin } from './prepare-lock.js';

const BACKOFF_MIN = 100;
const BACKOFF_MAX = 1_000;
/** Prepare and reload ids already handled (a restarted session reads the current ones again). */
const REMEMBERED = 32;

/** What this member knows without asking etcd. */
export interface LocalMemberStatus {
  name: string;
  instance: string;
  /** A session is up: registered, watching. */
  connected: boolean;
  /** The last committed revision this member applied. */
  revision: number;
  /** The latest committed revision it has seen. */
  committed: number;
  /** Why it is not converged or not connected (etcd unreachable, bad data in etcd, a failed apply). */
  error?: ErrorInfo;
}

export class ClusterMember {
  readonly name: string;
  readonly instance: string;
  readonly #rt: Runtime;
  readonly #connection: EtcdConnection;
  readonly #keys: ClusterKeys;
  readonly #leaseMs: number;
  readonly #timeouts: ClusterTimeouts;
  readonly #log: Logger | undefined;
  readonly #convergence: Convergence;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #handled: string[] = [];
  #lease: { lease: Lease; id: string } | undefined;
  #endSession: ((reason?: unknown) => void) | undefined;
  #connectionError: ErrorInfo | undefined;
  #dataError: ErrorInfo | undefined;
  #closed = false;
  #loop: Promise<void> | undefined;
  #publishing = false;
  #dirty = false;

  /** @internal Use joinCluster(). */
  constructor(rt: Runtime, options: JoinOptions) {
    this.#rt = rt;
    this.name = options.name;
    this.instance = options.instance;
    this.#keys = clusterKeys(options.name);
    this.#leaseMs = options.lease ?? DEFAULT_LEASE;
    this.#timeouts = checkTimeouts(options.timeouts, 'joinCluster');
    this.#log = options.log?.child({ cluster: options.name, instance: options.instance });
    this.#connection = connectEtcd(options);
    this.#convergence = new Convergence(rt, () => this.#publish());
    for (const type of ['state', 'apply', 'reload'] as const) this.#unsubscribe.push(rt.on(type, () => this.#publish()));
    // New code may accept a document the old code refused.
    this.#unsubscribe.push(rt.on('reload', (e) => void (e.result === 'ok' && this.#convergence.retry())));
  }

  /** @internal Start the session loop; resolves after the first session registered and applied what was committed. */
  async start(): Promise<void> {
    let first!: (err?: unknown) => void;
    const registered = new Promise<void>((resolve, reject) => (first = (err) => (err === undefined ? resolve() : reject(err))));
    this.#loop = this.#run(first);
    await registered;
  }

  /** What this member knows without asking etcd. */
  local(): LocalMemberStatus {
    const error = this.#connectionError ?? this.#dataError ?? this.#convergence.error;
    return {
      name: this.name,
      instance: this.instance,
      connected: this.#lease !== undefined && this.#connectionError === undefined,
      revision: this.#convergence.applied,
      committed: this.#convergence.committed,
      ...(error ? { error } : {}),
    };
  }

  /** The cluster's status, read from etcd (API.md section 7): `{ name, revision, members }`. */
  status(): Promise<ClusterStatus> {
    return readClusterStatus(this.#connection, this.#keys, this.name);
  }

  /**
   * Apply `document` to the whole cluster, coordinated from this member: every
   * live member validates it and votes; committed only if all said yes.
   * Rejects with BusyError (another apply or roll in progress),
   * ValidateConfigError (issues carry `instance`), EtcdUnavailableError.
   */
  applyDocument(document: unknown, options: { timeouts?: Partial<ClusterTimeouts> } = {}): Promise<ApplyResult> {
    const timeouts = checkTimeouts({ ...this.#timeouts, ...options.timeouts }, 'applyDocument');
    return applyTwoPhase(this.#connection, this.#keys, { document, timeouts, coordinator: this.instance, lease: this.#leaseMs });
  }

  /** Reload code member by member, stopping at the first failure. */
  rollingReload(options: RollingReloadOptions = {}): Promise<RollingReloadReport> {
    return rollReload(this.#connection, this.#keys, { ...options, coordinator: this.instance, lease: this.#leaseMs, clusterName: this.name });
  }

  /** Resolves once this member applied `revision` (or a later one), or after `timeoutMs` with false. */
  async waitForRevision(revision: number, timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#convergence.applied < revision) {
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  /** Leave the cluster (the member key goes at once) and close the etcd client; the runtime keeps running. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#unsubscribe) off();
    this.#convergence.stop();
    this.#endSession?.();
    await this.#loop?.catch(() => {});
    this.#connection.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #run(first: (err?: unknown) => void): Promise<void> {
    let backoff = BACKOFF_MIN;
    let starting = true;
    while (!this.#closed) {
      let reason: unknown;
      try {
        reason = await this.#session(() => {
          backoff = BACKOFF_MIN;
          if (starting) first();
          starting = false;
        });
      } catch (err) {
        reason = err;
      }
      if (this.#closed) break;
      this.#connectionError = errorInfo(isUnreachable(reason) ? unavailable(this.#connection, 'stay in the cluster', reason) : reason);
      this.#log?.warn({ err: reason }, 'cluster session ended; reconnecting');
      if (starting) {
        starting = false;
        first(isUnreachable(reason) ? unavailable(this.#connection, 'join the cluster', reason) : reason);
      }
      this.#publish();
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, BACKOFF_MAX);
    }
    if (starting) first(new Error('The member was closed before it joined'));
  }

  /** One session; resolves with why it ended (undefined: closed). */
  async #session(up: () => void): Promise<unknown> {
    const { client } = this.#connection;
    let end!: (reason?: unknown) => void;
    const ended = new Promise<unknown>((resolve) => (end = resolve));
    this.#endSession = end;
    const lease = client.lease(leaseSeconds(this.#leaseMs), { autoKeepAlive: true });
    lease.on('lost', (err) => end(err));
    let watcher: Watcher | undefined;
    try {
      const id = await lease.grant();
      if (this.#closed) return undefined;
      // Register and read in one transaction: the watch starts right after what was read.
      const res = await txn(
        client,
        [],
        [put(this.#keys.member(this.instance), encode(this.#record()), id), range(this.#keys.committed), range(this.#keys.prepare), range(this.#keys.reloadRequest(this.instance))],
      );
      this.#lease = { lease, id };
      this.#connectionError = undefined;
      watcher = await this.#watch(revisionOf(res) + 1, end);
      for (const i of [1, 2, 3]) for (const kv of kvsOf(res, i)) this.#onPut(kv);
      await this.#convergence.idle();
      up();
      this.#publish();
      return await ended;
    } finally {
      this.#endSession = undefined;
      if (this.#lease?.lease === lease) this.#lease = undefined;
      void watcher?.cancel().catch(() => {});
      // Closing: revoke, so the member key goes now. Reconnecting: let the old lease expire (the key moved to the next one).
      if (this.#closed) await revokeWithin(lease, this.#timeouts.abort);
      else lease.release();
    }
  }

  async #watch(from: number, end: (reason?: unknown) => void): Promise<Watcher> {
    const watcher = this.#connection.client.watch().prefix(this.#keys.root).startRevision(String(from)).watcher();
    watcher.on('put', (kv: IKeyValue) => this.#onPut(kv));
    watcher.on('error', (err) => end(err));
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    watcher.on('connected', () => connected());
    watcher.on('disconnected', (err) => end(err));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('The watch did not start in time')), 5_000);
    });
    try {
      await Promise.race([ready, timedOut]);
    } catch (err) {
      void watcher.cancel().catch(() => {});
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return watcher;
  }

  /** Every put under the cluster's keys lands here; bad data is reported, never thrown. */
  #onPut(kv: IKeyValue): void {
    const key = keyText(kv);
    try {
      if (key === this.#keys.committed) {
        const record = decode(committedRecord, kv.value, key, 'a committed document');
        this.#dataError = undefined;
        void this.#convergence.offer(record);
      } else if (key === this.#keys.prepare) {
        const prepare = decode(prepareRecord, kv.value, key, 'a prepare');
        if (prepare.kind === 'apply' && this.#firstTime(`prepare:${prepare.id}`)) {
          // A vote that can not be written (the prepare went, or etcd did) counts as no at the coordinator.
          castVote(this.#rt, this.#connection, this.#keys, this.instance, prepare, kv).catch(() => {});
        }
      } else if (key === this.#keys.reloadRequest(this.instance)) {
        const request = decode(reloadRequest, kv.value, key, 'a reload request');
        if (this.#firstTime(`reload:${request.id}`)) {
          answerReload(this.#rt, this.#connection, this.#keys, this.instance, request, kv).catch((err) => this.#report(err));
        }
      }
    } catch (err) {
      this.#report(err);
    }
  }

  #firstTime(id: string): boolean {
    if (this.#handled.includes(id)) return false;
    this.#handled.push(id);
    if (this.#handled.length > REMEMBERED) this.#handled.shift();
    return true;
  }

  #report(err: unknown): void {
    this.#dataError = errorInfo(err);
    this.#log?.warn({ err }, 'cluster data error');
    this.#publish();
  }

  #record(): MemberRecord {
    const error = this.#dataError ?? this.#convergence.error ?? runtimeError(this.#rt);
    return {
      state: this.#rt.state,
      revision: this.#convergence.applied,
      generation: this.#rt.generation,
      ...(error ? { error } : {}),
      at: Date.now(),
    };
  }

  /** Write this member's record (state, revision, generation, error) under its lease; coalesced, one write at a time. */
  #publish(): void {
    if (this.#publishing) {
      this.#dirty = true;
      return;
    }
    const session = this.#lease;
    if (!session || this.#closed) return;
    this.#publishing = true;
    this.#dirty = false;
    void txn(this.#connection.client, [], [put(this.#keys.member(this.instance), encode(this.#record()), session.id)])
      .catch((err) => this.#log?.debug({ err }, 'publishing the member status failed'))
      .finally(() => {
        this.#publishing = false;
        if (this.#dirty) this.#publish();
      });
  }
}

function runtimeError(rt: Runtime): ErrorInfo | undefined {
  return rt.error === undefined ? undefined : errorInfo(rt.error);
}

/**
 * Join the cluster `options.name` with runtime `rt`: register under a lease,
 * apply the committed document (if any) and follow later commits. Resolves
 * once registered (and the committed document applied); rejects with
 * EtcdUnavailableError when etcd can not be reached at all. After that the
 * member never gives up: it reconnects until `close()`.
 *
 * @example
 * const member = await joinCluster(rt, { etcd: ['http://127.0.0.1:2379'], name: 'shop', instance: 'a1' });
 * await member.applyDocument({ roles: ['api'], config: { api: { greeting: 'hi' } } });
 */
export async function joinCluster(rt: Runtime, options: JoinOptions): Promise<ClusterMember> {
  checkJoinOptions(options);
  const member = new ClusterMember(rt, options);
  try {
    await member.start();
  } catch (err) {
    await member.close();
    throw err;
  }
  return member;
}
