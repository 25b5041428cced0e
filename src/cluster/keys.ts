/**
 * The keys of one cluster, all under `/rolekit/<name>/` (docs/cluster.md, Keys).
 * @module
 */

export interface ClusterKeys {
  /** Every key of the cluster (watch and range prefix). */
  readonly root: string;
  /** `{ revision, document, id, at }`: the committed document. */
  readonly committed: string;
  /** The one apply (or rolling reload) in progress, bound to its coordinator's lease. */
  readonly prepare: string;
  /** Prefix of the live members (each key bound to its member's lease). */
  readonly members: string;
  member(instance: string): string;
  /** Prefix of the votes for one prepare. */
  votes(id: string): string;
  vote(id: string, instance: string): string;
  /** A reload request to one member, bound to the coordinator's lease. */
  reloadRequest(instance: string): string;
  /** That member's answer, bound to the same lease. */
  reloadResult(instance: string): string;
}

export function clusterKeys(name: string): ClusterKeys {
  const root = `/rolekit/${name}/`;
  return {
    root,
    committed: `${root}committed`,
    prepare: `${root}prepare`,
    members: `${root}members/`,
    member: (instance) => `${root}members/${instance}`,
    votes: (id) => `${root}votes/${id}/`,
    vote: (id, instance) => `${root}votes/${id}/${instance}`,
    reloadRequest: (instance) => `${root}reload/${instance}/request`,
    reloadResult: (instance) => `${root}reload/${instance}/result`,
  };
}
