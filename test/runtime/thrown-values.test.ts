/**
 * Any thrown value is an error like any other: for every callback and every
 * kind of value (see ../hostile.ts), the right error class, the state reached,
 * what was released, which other roles ran. The logger serialises every line
 * (level debug, default serializers), so a log call that cannot handle the
 * value would break the path under test.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  ApplyConfigError,
  StopRoleError,
  ValidateConfigError,
  createRuntime,
  defineRole,
  type RoleContext,
  type RoleDefinition,
  type Runtime,
} from '../../src/index.js';
import { HOSTILE_THROWN } from '../hostile.js';

const serialising = () =>
  pino(
    { level: 'debug' },
    new Writable({
      write: (_chunk, _enc, done) => done(),
    }),
  );

const status = async (rt: Runtime, path: string) => (await rt.fetch(new Request(`http://x.com${path}`))).status;

/** A role that serves `/<name>` and records its stops and disposals into `log`. */
function probe(name: string, log: string[], extra: Partial<RoleDefinition> = {}) {
  return defineRole({
    name,
    init(ctx: RoleContext) {
      ctx.route('GET', `/${name}`, () => new Response(name));
      ctx.setInterval(() => {}, 1000);
      ctx.onDispose(() => void log.push(`disposed:${name}`));
    },
    stop: () => void log.push(`stop:${name}`),
    ...extra,
  } as RoleDefinition);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe.each(HOSTILE_THROWN)('a role that throws %s', (_kind, make) => {
  it('from validateConfig: ValidateConfigError, no state change, the running configuration stays', async () => {
    const thrown = make();
    let fail = false;
    const log: string[] = [];
    const rt = await createRuntime({
      roles: [
        probe('a', log, {
          validateConfig: () => {
            if (fail) throw thrown;
          },
        }),
        probe('b', log),
      ],
      logger: serialising(),
    });
    await rt.applyConfig({ roles: ['a', 'b'] });
    fail = true;
    const err = await rejection(rt.applyConfig({ roles: ['a'] }));
    expect(err).toBeInstanceOf(ValidateConfigError);
    expect((err as ValidateConfigError).issues).toEqual([{ path: 'config.a', message: expect.any(String) }]);
    await expect(rt.validateConfig({ roles: ['a'] })).rejects.toBeInstanceOf(ValidateConfigError);
    expect(rt.state).toBe('RolesConfigured');
    expect([await status(rt, '/a'), await status(rt, '/b')]).toEqual([200, 200]);
    expect(log).toEqual([]);
    await rt.stop();
  });

  it('from init: ApplyConfigError, what it acquired is released, dependents skipped, the next apply retries', async () => {
    const thrown = make();
    let fail = true;
    const log: string[] = [];
    const rt = await createRuntime({
      roles: [
        probe('a', log, {
          init(ctx: RoleContext) {
            ctx.route('GET', '/a', () => new Response('a'));
            ctx.onDispose(() => void log.push('disposed:a'));
            if (fail) throw thrown;
          },
        }),
        probe('b', log, { dependencies: ['a'] }),
        probe('c', log),
      ],
      logger: serialising(),
    });
    const err = await rejection(rt.applyConfig({ roles: ['b', 'c'] }));
    expect(err).toBeInstanceOf(ApplyConfigError);
    const failures = (err as ApplyConfigError).failures;
    expect(failures.map((f) => [f.role, f.phase])).toEqual([['a', 'init']]);
    expect(Object.is(failures[0]!.error, thrown)).toBe(true);
    expect(rt.state).toBe('OperationError');
    expect(log).toEqual(['disposed:a']);
    expect([await status(rt, '/a'), await status(rt, '/b'), await status(rt, '/c')]).toEqual([404, 404, 200]);
    expect(rt.status().roles.map((r) => [r.name, r.running, r.status.type])).toEqual([
      ['a', false, 'error'],
      ['b', false, 'error'],
      ['c', true, 'ok'],
    ]);
    expect(() => JSON.stringify(rt.status())).not.toThrow();

    fail = false;
    await rt.applyConfig({ roles: ['b', 'c'] });
    expect(rt.state).toBe('RolesConfigured');
    expect([await status(rt, '/a'), await status(rt, '/b')]).toEqual([200, 200]);
    await rt.stop();
  });

  it('from applyConfig: ApplyConfigError; the role keeps running and the other roles are applied', async () => {
    const thrown = make();
    const applied: string[] = [];
    const log: string[] = [];
    const rt = await createRuntime({
      roles: [
        probe('a', log, {
          applyConfig: () => {
            throw thrown;
          },
        }),
        probe('b', log, { applyConfig: () => void applied.push('b') }),
      ],
      logger: serialising(),
    });
    const err = await rejection(rt.applyConfig({ roles: ['a', 'b'] }));
    expect(err).toBeInstanceOf(ApplyConfigError);
    expect((err as ApplyConfigError).failures.map((f) => [f.role, f.phase])).toEqual([['a', 'applyConfig']]);
    expect(rt.state).toBe('OperationError');
    expect(applied).toEqual(['b']);
    expect(await status(rt, '/a')).toBe(200);
    expect(rt.status().roles[0]).toMatchObject({ name: 'a', running: true, status: { type: 'error' } });
    await rt.stop();
  });

  it('from stop when disabled: a StopRoleError; it and the other disabled roles are stopped and released', async () => {
    const thrown = make();
    const log: string[] = [];
    const rt = await createRuntime({
      roles: [
        probe('a', log),
        probe('b', log, {
          stop: () => {
            log.push('stop:b');
            throw thrown;
          },
        }),
        probe('c', log),
      ],
      logger: serialising(),
    });
    await rt.applyConfig({ roles: ['a', 'b', 'c'] });
    const err = await rejection(rt.applyConfig({ roles: ['c'] }));
    expect(err).toBeInstanceOf(ApplyConfigError);
    const [failure, ...others] = (err as ApplyConfigError).failures;
    expect(others).toEqual([]);
    expect(failure).toMatchObject({ role: 'b', phase: 'stop', error: expect.any(StopRoleError) });
    expect(Object.is((failure!.error as StopRoleError).cause, thrown)).toBe(true);
    expect(log).toEqual(['stop:b', 'disposed:b', 'stop:a', 'disposed:a']);
    expect([await status(rt, '/a'), await status(rt, '/b'), await status(rt, '/c')]).toEqual([404, 404, 200]);
    expect(rt.state).toBe('OperationError');

    // The stopped role starts again when enabled again.
    await rt.applyConfig({ roles: ['b', 'c'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(await status(rt, '/b')).toBe(200);
    await rt.stop();
  });

  it('from stop in rt.stop(): every other role still stops, everything is released, the state is Stopped', async () => {
    const thrown = make();
    const log: string[] = [];
    const rt = await createRuntime({
      roles: [
        probe('a', log),
        probe('b', log, {
          dependencies: ['a'],
          stop: () => {
            log.push('stop:b');
            throw thrown;
          },
        }),
        probe('c', log, { dependencies: ['b'] }),
      ],
      logger: serialising(),
    });
    await rt.applyConfig({ roles: ['c'] });
    await rt.stop();
    expect(rt.state).toBe('Stopped');
    expect(log).toEqual(['stop:c', 'disposed:c', 'stop:b', 'disposed:b', 'stop:a', 'disposed:a']);
    expect(rt.error).toBeInstanceOf(StopRoleError);
    expect([await status(rt, '/a'), await status(rt, '/b'), await status(rt, '/c')]).toEqual([404, 404, 404]);
    expect(() => JSON.stringify(rt.status())).not.toThrow();
  });

  it('from addHost: ApplyConfigError; the host part is released, the global instance runs, the next apply retries', async () => {
    const thrown = make();
    let fail = true;
    const log: string[] = [];
    const rt = await createRuntime({
      roles: [
        probe('muc', log, {
          scope: 'shared',
          addHost(hostCtx: RoleContext) {
            hostCtx.route('GET', '/room', () => new Response('room'));
            hostCtx.onDispose(() => void log.push(`disposed:muc@${hostCtx.host}`));
            if (fail) throw thrown;
          },
        }),
      ],
      logger: serialising(),
    });
    const doc = { hosts: { 'x.com': { roles: ['muc'] } } };
    const err = await rejection(rt.applyConfig(doc));
    expect(err).toBeInstanceOf(ApplyConfigError);
    expect((err as ApplyConfigError).failures.map((f) => [f.role, f.host, f.phase])).toEqual([['muc', 'x.com', 'addHost']]);
    expect(rt.state).toBe('OperationError');
    expect(log).toEqual(['disposed:muc@x.com']);
    expect([await status(rt, '/muc'), await status(rt, '/room')]).toEqual([200, 404]);

    fail = false;
    await rt.applyConfig(doc);
    expect(rt.state).toBe('RolesConfigured');
    expect(await status(rt, '/room')).toBe(200);
    await rt.stop();
  });

  it('from onApplyConfig: the apply succeeds and the role shows a warning', async () => {
    const thrown = make();
    const log: string[] = [];
    const rt = await createRuntime({
      roles: [
        probe('a', log, {
          onApplyConfig: () => {
            throw thrown;
          },
        }),
        probe('b', log),
      ],
      logger: serialising(),
    });
    await rt.applyConfig({ roles: ['a', 'b'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(rt.status().roles.map((r) => [r.name, r.status.type])).toEqual([
      ['a', 'warn'],
      ['b', 'ok'],
    ]);
    expect(typeof rt.status().roles[0]!.status.message).toBe('string');
    await rt.stop();
  });
});
