import { describe, expect, it } from 'vitest';
import { createRuntime, defineRole, type RoleContext } from '../../src/index.js';
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

  it("follows Prosody's rule: a role's error is replaced only by another error unless override; override false never lowers", async () => {
    let ctx!: RoleContext;
    const rt = await createRuntime({ roles: [defineRole({ name: 'a', init: (c) => void (ctx = c) })], logger: silent });
    await rt.applyConfig({ roles: ['a'] });
    const shown = () => rt.status().roles[0]!.status;
    const events: string[] = [];
    rt.on('status', (e) => events.push(`${e.status.type}:${e.status.message ?? ''}`));

    ctx.setStatus('error', 'disk full');
    ctx.setStatus('ok');
    ctx.setStatus('warn', 'still full?');
    expect(shown()).toMatchObject({ type: 'error', message: 'disk full' });
    ctx.setStatus('error', 'disk very full');
    expect(shown()).toMatchObject({ type: 'error', message: 'disk very full' });
    ctx.setStatus('ok', undefined, { override: true });
    expect(shown().type).toBe('ok');

    ctx.setStatus('warn', 'slow');
    ctx.setStatus('info', 'lower', { override: false });
    expect(shown()).toMatchObject({ type: 'warn', message: 'slow' });
    ctx.setStatus('warn', 'same level', { override: false });
    ctx.setStatus('info', 'lower, by default allowed');
    expect(shown()).toMatchObject({ type: 'info', message: 'lower, by default allowed' });
    // Only visible changes are events: the ignored calls made none.
    expect(events).toEqual(['error:disk full', 'error:disk very full', 'ok:', 'warn:slow', 'warn:same level', 'info:lower, by default allowed']);
    await rt.stop();
  });

  it("keeps the runtime's error over whatever the role sets until the next successful apply, then shows the role's own", async () => {
    let fail = true;
    let ctx!: RoleContext;
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'a',
          init: (c) => void (ctx = c),
          applyConfig() {
            if (fail) throw new Error('bad section');
          },
        }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['a'] }).catch(() => {});
    expect(rt.status().roles[0]!.status).toMatchObject({ type: 'error', message: 'applyConfig failed: bad section' });
    // From a timer, say: the role is running, its last applyConfig failed.
    ctx.setStatus('ok', 'all fine', { override: true });
    ctx.setStatus('info', 'queue short');
    expect(rt.status().roles[0]!.status).toMatchObject({ type: 'error', message: 'applyConfig failed: bad section' });
    fail = false;
    await rt.applyConfig({ roles: ['a'] });
    expect(rt.status().roles[0]!.status).toMatchObject({ type: 'info', message: 'queue short' });
    await rt.stop();
  });

  it('takes an unknown status type from role code as info, and describes a message that is not a string', async () => {
    let ctx!: RoleContext;
    const rt = await createRuntime({ roles: [defineRole({ name: 'a', init: (c) => void (ctx = c) })], logger: silent });
    await rt.applyConfig({ roles: ['a'] });
    (ctx.setStatus as (...args: unknown[]) => void)('bogus', 42, Object.create(null));
    expect(rt.status().roles[0]!.status).toMatchObject({ type: 'info', message: '42' });
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    (ctx.setStatus as (...args: unknown[]) => void)('warn', 'w', hostile);
    expect(rt.status().roles[0]!.status).toMatchObject({ type: 'warn', message: 'w' });
    await rt.stop();
  });

  it('after a graceful stop, lists the roles as stopped (info), not as failed', async () => {
    const rt = await createRuntime({ roles: [defineRole({ name: 'a' }), defineRole({ name: 'b', scope: 'host' })], logger: silent });
    await rt.applyConfig({ roles: ['a'], hosts: { 'x.com': { roles: ['b'] } } });
    await rt.stop();
    expect(rt.status().roles.map((r) => [r.name, r.host, r.running, r.status.type, r.status.message])).toEqual([
      ['a', undefined, false, 'info', 'stopped'],
      ['b', 'x.com', false, 'info', 'stopped'],
    ]);
  });
});

