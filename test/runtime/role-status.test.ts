import { describe, expect, it } from 'vitest';
import { createRuntime, defineRole } from '../../src/index.js';
import { silent } from '../helpers.js';

describe('role status', () => {
  it("ctx.setStatus shows in status() and survives later applies; the runtime's own error status clears on success", async () => {
    let fail = false;
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'a',
          applyConfig(_conf, ctx) {
            if (fail) throw new Error('x');
            ctx.setStatus('warn', 'queue is long');
          },
        }),
        defineRole({ name: 'b', init: (ctx) => ctx.setStatus('info') }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['a', 'b'] });
    const first = rt.status().roles;
    expect(first.map((r) => [r.name, r.status.type, r.status.message])).toEqual([
      ['a', 'warn', 'queue is long'],
      ['b', 'info', undefined],
    ]);
    expect(Number.isNaN(Date.parse(first[0].status.time))).toBe(false);
    expect('message' in first[1].status).toBe(false);

    // Applied again: what the roles set stays.
    await rt.applyConfig({ roles: ['a', 'b'] });
    expect(rt.status().roles.map((r) => r.status.type)).toEqual(['warn', 'info']);

    fail = true;
    await rt.applyConfig({ roles: ['a', 'b'] }).catch(() => {});
    expect(rt.status().roles[0].status).toMatchObject({ type: 'error', message: 'applyConfig failed: x' });
    fail = false;
    await rt.applyConfig({ roles: ['a', 'b'] });
    expect(rt.status().roles[0].status).toMatchObject({ type: 'warn', message: 'queue is long' });
    // status() is plain data.
    expect(JSON.parse(JSON.stringify(rt.status()))).toEqual(rt.status());
    await rt.stop();
  });
});
