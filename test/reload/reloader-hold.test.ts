/**
 * The request hold of a reload is released on every path out of it, even one
 * that should not exist: a request for a route being swapped must never wait
 * for a swap that will not end.
 */
import { describe, expect, it } from 'vitest';
import { defineRole } from '../../src/index.js';
import { RequestHold } from '../../src/http/request-hold.js';
import { RouteTable } from '../../src/http/route-table.js';
import { GlobalsTracker } from '../../src/reload/globals.js';
import { Reloader } from '../../src/reload/reloader.js';
import { runningCode } from '../../src/reload/running-code.js';
import type { RoleEngine } from '../../src/engine/engine.js';
import { newInstance } from '../../src/engine/instances.js';
import { lazyLoader } from '../../src/loading/lazy-loader.js';
import type { RoleLoader } from '../../src/loading/types.js';
import { silent } from '../helpers.js';

describe('Reloader.prepare', () => {
  it('releases the request hold when stopping the old roles throws', async () => {
    const role = defineRole({ name: 'a' });
    const inst = Object.assign(newInstance(role, undefined), { running: true });
    const engine = {
      applied: undefined,
      plan: async () => ({ instances: [] }),
      stopOrder: () => [inst],
      stopInstances: () => Promise.reject(new Error('unexpected')),
    } as unknown as RoleEngine;
    const hold = new RequestHold();
    const reloader = new Reloader({
      engine,
      baseDir: process.cwd(),
      loader: lazyLoader(async () => ({ load: async () => [], release: () => {}, close: () => {} }) as unknown as RoleLoader),
      routes: new RouteTable(),
      hold,
      globals: new GlobalsTracker(),
      log: silent,
      emit: () => {},
    });
    const code = runningCode([{ kind: 'object', role }]);
    await expect(reloader.prepare(reloader.request(code, { roles: ['a'] }))).rejects.toThrow('unexpected');
    // Held or not is all a request sees: an empty hold blocks nothing, a leaked one blocks the swapped routes.
    expect(hold.active).toBe(false);
  });
});
