/**
 * The coordinator's side of a clusterwide apply (docs/cluster.md, Protocol):
 * prepare (the candidate under the prepare key, created only if absent),
 * collect one vote per live member, then commit in one transaction that holds
 * only if nothing moved, or abort. Cartridge's prepare_2pc / commit_2pc /
 * abort_2pc, with etcd as the only party that has to agree with itself.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IKeyValue } from 'etcd3';
import { BusyError, ValidateConfigError } from '../index.js';
import { errorInfo } from './describe.js';
import { unavailable, viaEtcd, type EtcdConnection } from './etcd-client.js';
import type { ClusterKeys } from './keys.js';
import { createIs, kvsOf, keyText, modIs, noneCreatedSince, put, range, rangePrefix, remove, removePrefix, revisionOf, txn } from './kv.js';
import { leaseSeconds, type ClusterTimeouts } from './options.js';
import { committedRecord, decode, voteRecord, type VoteRecord } from './records.js';
import { watchChanges } from './watch-changes.js';
import { busyWith, revokeWithin } from './prepare-lock.js';

export interface ClusterIssue {
  path: string;
  message: string;
  /** The member that raised it. */
  instance: string;
}

export interface ApplyResult {
  /** The committed revision of the document. */
  revision: number;
}

export interface TwoPhaseInput {
  document: unknown;
  timeouts: ClusterTimeouts;
  /** Who coordinates (a member's instance, or `rolekit apply`), written into the prepare. */
  coordinator: string;
  /** The prepare's lease in ms: a coordinator that dies frees the cluster within this. */
  lease: number;
}

/** One snapshot of the members and their votes, at etcd revision `revision`. */
interface Tally {
  revision: number;
  members: Map<string, IKeyValue>;
  votes: Map<string, { kv: IKeyValue; vote: VoteRecord | undefined; bad?: string }>;
}

export async function applyTwoPhase(connection: EtcdConnection, keys: ClusterKeys, input: TwoPhaseInput): Promise<ApplyResult> {
  const { client } = connection;
  const documentText = storable(input.document);
  const id = randomUUID();
  const lease = client.lease(leaseSeconds(input.lease), { autoKeepAlive: true });
  lease.on('lost', () => {});
  try {
    const leaseId = await viaEtcd(connection, 'prepare the apply', () => lease.grant());
    const { prepared, base, revision } = await prepare(connection, keys, { id, leaseId, documentText, coordinator: input.coordinator });
    const prepareDeadline = Date.now() + input.timeouts.prepare;
    const changes = watchChanges(client, keys.root, prepared + 1);
    try {
      let tally = await collect(connection, keys, id, prepareDeadline, changes);
      const commitDeadline = Date.now() + input.timeouts.commit;
      for (;;) {
        const issues = rejections(tally, input.timeouts.prepare);
        if (issues.length > 0) {
          // Abort: revoking the prepare's lease removes the prepare and every vote in one step.
          await revokeWithin(lease, input.timeouts.abort);
          throw rejected(issues);
        }
        const outcome = await commit(connection, keys, { id, prepared, base, revision, documentText, tally });
        if (outcome === 'committed') break;
        if (Date.now() >= commitDeadline) {
          // Abort: revoking the prepare's lease removes the prepare and every vote in one step.
          await revokeWithin(lease, input.timeouts.abort);
          throw new BusyError(`Can not commit revision ${revision}: the members kept changing for ${input.timeouts.commit} ms (timeouts.commit); nothing was applied`);
        }
        // A member joined or re-registered since the votes were read: it must vote too.
        tally = await collect(connection, keys, id, Math.min(commitDeadline, Date.now() + input.timeouts.prepare), changes);
      }
    } finally {
      changes.close();
    }
    await revokeWithin(lease, input.timeouts.abort);
    return { revision };
  } catch (err) {
    await revokeWithin(lease, input.timeouts.abort);
    throw err;
  }
}

/** The document as JSON text, or a ValidateConfigError: etcd stores what JSON can say. */
function storable(document: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(document);
  } catch (err) {
    throw new ValidateConfigError([{ path: '', message: `The document can not be stored as JSON: ${errorInfo(err).message}` }]);
  }
  if (text === undefined) throw new ValidateConfigError([{ path: '', message: 'The document can not be stored as JSON' }]);
  return text;
}

/**
 * Write the candidate under the prepare key if no apply holds it (compare-and-swap
 * on its create revision), with the next revision number; BusyError otherwise.
 */
async function prepare(
  connection: EtcdConnection,
  keys: ClusterKeys,
  p: { id: string; leaseId: string; documentText: string; coordinator: string },
): Promise<{ prepared: number; base: number; revision: number }> {
  for (let attempt = 0; ; attempt++) {
    const current = await viaEtcd(connection, 'read the committed revision', () => txn(connection.client, [], [range(keys.committed)]));
    const committedKv = kvsOf(current, 0)[0];
    const base = committedKv ? Number(committedKv.mod_revision) : 0;
    const revision = committedRevisionOf(committedKv, keys) + 1;
    const value = `{"kind":"apply","id":${JSON.stringify(p.id)},"revision":${revision},"coordinator":${JSON.stringify(p.coordinator)},"at":${Date.now()},"document":${p.documentText}}`;
    const res = await viaEtcd(connection, 'prepare the apply', () =>
      txn(connection.client, [createIs(keys.prepare, 0), modIs(keys.committed, base)], [put(keys.prepare, value, p.leaseId)], [range(keys.prepare)]),
    );
    if (res.succeeded) return { prepared: revisionOf(res), base, revision };
    const holder = kvsOf(res, 0)[0];
    if (holder) throw busyWith('apply', holder.value, keys);
    // Committed moved between the read and the prepare (another apply just committed): read again.
    if (attempt >= 3) throw new BusyError('Can not apply: the committed revision keeps changing');
  }
}

/** The revision a committed record holds; for a malformed one, the key's version (each commit is one put). */
export function committedRevisionOf(kv: IKeyValue | undefined, keys: ClusterKeys): number {
  if (!kv) return 0;
  try {
    return decode(committedRecord, kv.value, keys.committed, 'a committed document').revision;
  } catch {
    return Number(kv.version);
  }
}

/** Read members and votes until every live member voted, or the deadline passed. */
async function collect(
  connection: EtcdConnection,
  keys: ClusterKeys,
  id: string,
  deadline: number,
  changes: ReturnType<typeof watchChanges>,
): Promise<Tally> {
  for (;;) {
    const tally = await read(connection, keys, id);
    const allVoted = [...tally.members.keys()].every((m) => tally.votes.has(m));
    if (allVoted || Date.now() >= deadline) return tally;
    await changes.next(deadline);
  }
}

async function read(connection: EtcdConnection, keys: ClusterKeys, id: string): Promise<Tally> {
  const res = await viaEtcd(connection, 'read the votes', () =>
    txn(connection.client, [], [rangePrefix(keys.members), rangePrefix(keys.votes(id))]),
  );
  const members = new Map<string, IKeyValue>();
  for (const kv of kvsOf(res, 0)) members.set(keyText(kv).slice(keys.members.length), kv);
  const votes: Tally['votes'] = new Map();
  const votesPrefix = keys.votes(id);
  for (const kv of kvsOf(res, 1)) {
    const instance = keyText(kv).slice(votesPrefix.length);
    try {
      const vote = decode(voteRecord, kv.value, keyText(kv), 'a vote');
      votes.set(instance, { kv, vote: vote.id === id ? vote : undefined, ...(vote.id === id ? {} : { bad: 'voted for another apply' }) });
    } catch (err) {
      votes.set(instance, { kv, vote: undefined, bad: (err as Error).message });
    }
  }
  return { revision: revisionOf(res), members, votes };
}

/** Every reason not to commit: a no vote (its issues, each naming the member), a malformed vote, a member that did not vote. */
function rejections(tally: Tally, prepareMs: number): ClusterIssue[] {
  const issues: ClusterIssue[] = [];
  for (const instance of [...tally.members.keys()].sort()) {
    const entry = tally.votes.get(instance);
    if (!entry) {
      issues.push({ path: '', message: `did not vote within ${prepareMs} ms (timeouts.prepare)`, instance });
    } else if (!entry.vote) {
      issues.push({ path: '', message: `its vote can not be read: ${entry.bad}`, instance });
    } else if (!entry.vote.ok) {
      const listed = entry.vote.issues.map((i) => ({ path: i.path, message: i.message, instance }));
      issues.push(...(listed.length > 0 ? listed : [{ path: '', message: `${entry.vote.error.name}: ${entry.vote.error.message}`, instance }]));
    }
  }
  return issues;
}

function rejected(issues: ClusterIssue[]): ValidateConfigError {
  const err = new ValidateConfigError(issues);
  const listed = issues.slice(0, 10).map((i) => `${i.instance}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
  const more = issues.length > 10 ? `; and ${issues.length - 10} more` : '';
  err.message = `Invalid configuration, rejected by the cluster: ${listed.join('; ')}${more}`;
  return err;
}

/**
 * One transaction: the prepare is still ours, nothing was committed meanwhile,
 * every member that voted is still the same registration, its vote unchanged,
 * and no member registered since the votes were read. Then write the document
 * with its revision and drop the prepare and its votes.
 */
async function commit(
  connection: EtcdConnection,
  keys: ClusterKeys,
  c: { id: string; prepared: number; base: number; revision: number; documentText: string; tally: Tally },
): Promise<'committed' | 'moved'> {
  const compare = [modIs(keys.prepare, c.prepared), modIs(keys.committed, c.base), noneCreatedSince(keys.members, c.tally.revision)];
  for (const [instance, kv] of c.tally.members) {
    compare.push(createIs(keys.member(instance), kv.create_revision));
    compare.push(modIs(keys.vote(c.id, instance), c.tally.votes.get(instance)!.kv.mod_revision));
  }
  const record = encodeCommitted(c);
  let res;
  try {
    res = await txn(connection.client, compare, [put(keys.committed, record), remove(keys.prepare), removePrefix(keys.votes(c.id))], [range(keys.prepare)]);
  } catch (err) {
    // The transaction may have committed before the answer was lost: ask etcd which.
    return settleUnknown(connection, keys, c.id, err);
  }
  if (res.succeeded) return 'committed';
  const prepareKv = kvsOf(res, 0)[0];
  if (!prepareKv || Number(prepareKv.mod_revision) !== c.prepared) {
    throw new BusyError(`Can not commit revision ${c.revision}: the prepare expired or was replaced (its lease ran out); nothing was applied`);
  }
  return 'moved';
}

/** The committed record as JSON, the document spliced in as the text already checked. */
function encodeCommitted(c: { id: string; revision: number; documentText: string }): string {
  return `{"revision":${c.revision},"id":${JSON.stringify(c.id)},"at":${Date.now()},"document":${c.documentText}}`;
}

async function settleUnknown(connection: EtcdConnection, keys: ClusterKeys, id: string, cause: unknown): Promise<'committed'> {
  try {
    const res = await txn(connection.client, [], [range(keys.committed)]);
    const kv = kvsOf(res, 0)[0];
    if (kv && decode(committedRecord, kv.value, keys.committed, 'a committed document').id === id) return 'committed';
  } catch {
    // fall through: the outcome is unknown
  }
  const err = unavailable(connection, 'commit', cause);
  err.message += ` (whether the commit happened is unknown: \`rolekit status --cluster\` shows the committed revision)`;
  throw err;
}


