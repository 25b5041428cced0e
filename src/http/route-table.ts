/**
 * The routes of running roles. Roles come and go while requests are served,
 * and hono's routers cannot remove a route once built, so the table keeps the
 * entries itself and rebuilds a matcher (hono's TrieRouter) only when a route
 * was added or removed since the last match.
 * @module
 */
import { TrieRouter } from 'hono/router/trie-router';
import type { InFlightGate } from './in-flight.js';

export interface RouteEntry {
  method: string;
  path: string;
  /** A role's handler; whatever it returns is checked when served (it must be a Response). */
  handler: (request: Request, info: { params: Record<string, string> }) => unknown;
  role: string;
  /** Routes of a host's roles answer only requests whose Host is that host. */
  host: string | undefined;
  /** The owning instance's gate: closed while it drains, so the route takes no new requests. */
  gate: InFlightGate;
}

export interface RouteMatch {
  entry: RouteEntry;
  params: Record<string, string>;
}

export class RouteTable {
  #entries = new Set<RouteEntry>();
  #router: TrieRouter<RouteEntry> | undefined;

  add(entry: RouteEntry): () => void {
    // Host names are case-insensitive; requests' hosts are matched lowercased.
    const own = { ...entry, method: entry.method.toUpperCase(), host: entry.host?.toLowerCase() };
    this.#entries.add(own);
    this.#router = undefined;
    return () => {
      if (this.#entries.delete(own)) this.#router = undefined;
    };
  }

  /** Every entry that matches, host-specific routes before global ones. */
  matchAll(method: string, pathname: string, hostHeader: string | null): RouteMatch[] {
    const router = this.#router ?? this.#build();
    const host = hostHeader ? stripPort(hostHeader) : undefined;
    const result = router.match(method.toUpperCase(), pathname);
    const matches: RouteMatch[] = [];
    for (const [entry, params] of result[0] as [RouteEntry, Record<string, string>][]) {
      if (entry.host !== undefined && entry.host !== host) continue;
      matches.push({ entry, params: params ?? {} });
    }
    return matches.sort((a, b) => Number(b.entry.host !== undefined) - Number(a.entry.host !== undefined));
  }

  match(method: string, pathname: string, hostHeader: string | null): RouteMatch | undefined {
    return this.matchAll(method, pathname, hostHeader)[0];
  }

  /** Copies of the entries of some roles: what to hold requests for while those roles are swapped. */
  snapshot(filter: (entry: RouteEntry) => boolean): RouteTable {
    const copy = new RouteTable();
    for (const entry of this.#entries) if (filter(entry)) copy.add(entry);
    return copy;
  }

  #build(): TrieRouter<RouteEntry> {
    const router = new TrieRouter<RouteEntry>();
    for (const entry of this.#entries) router.add(entry.method, entry.path, entry);
    this.#router = router;
    return router;
  }
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}
