/** HTTP routes through the context: removed when the role stops. @module */
import type { ResourceTracker } from './tracker.js';
import type { RouteHandler } from '../types.js';
import type { RouteTable } from '../../../http/route-table.js';
import type { InFlightGate } from '../../../http/in-flight.js';

export function trackedRoute(
  tracker: ResourceTracker,
  table: RouteTable,
  owner: { role: string; host: string | undefined; gate: InFlightGate },
  method: string,
  path: string,
  handler: RouteHandler,
): void {
  const remove = table.add({ method, path, handler, role: owner.role, host: owner.host, gate: owner.gate });
  tracker.add(remove);
}
