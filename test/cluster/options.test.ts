/**
 * Wrong options are refused before anything talks to etcd, and an etcd that
 * is not there is one clear error (the CLI's exit code 3).
 */
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { applyToCluster, clusterStatus, EtcdUnavailableError, joinCluster, rollingReload } from '../../src/cluster/index.js';
import { freePort } from './etcd-process.js';
import { greeterRole } from './harness.js';

describe('cluster options', () => {
  it.each([
    [{ etcd: [], name: 'shop', instance: 'a1' }, /etcd: etcd needs at least one endpoint/],
    [{ etcd: ['http://127.0.0.1:1'], name: 'a/b', instance: 'a1' }, /name: name may hold only letters/],
    [{ etcd: ['http://127.0.0.1:1'], name: 'shop', instance: '' }, /instance: instance may hold only/],
    [{ etcd: ['http://127.0.0.1:1'], name: 'shop', instance: 'a1', lease: -5 }, /lease/],
    [{ etcd: ['http://127.0.0.1:1'], name: 'shop', instance: 'a1', timeouts: { prepare: 'soon' } }, /timeouts\.prepare/],
  ])('joinCluster refuses %j with a TypeError naming the option', async (options, message) => {
    const rt = await createRuntime({ roles: [greeterRole()], logger: false });
    const err = await joinCluster(rt, options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(message);
    await rt.stop();
  });

  it('an etcd that is not there: EtcdUnavailableError naming the endpoint, from every entry point', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const options = { etcd: [url], name: 'shop', requestTimeout: 1_000 };
    const rt = await createRuntime({ roles: [greeterRole()], logger: false });
    const started = Date.now();
    for (const call of [
      () => applyToCluster({ ...options, document: { roles: [] } }),
      () => clusterStatus(options),
      () => rollingReload(options),
      () => joinCluster(rt, { ...options, instance: 'a1' }),
    ]) {
      const err = await (call as () => Promise<unknown>)().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EtcdUnavailableError);
      expect((err as EtcdUnavailableError).code).toBe('RK_ERR_ETCD_UNAVAILABLE');
      expect((err as Error).message).toContain(url);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    await rt.stop();
  });

  it('a time limit given as undefined keeps its default (a CLI passes --timeout through as it came)', async () => {
    const { checkTimeouts, DEFAULT_TIMEOUTS } = await import('../../src/cluster/options.js');
    expect(checkTimeouts({ prepare: undefined, abort: 50 }, 'x')).toEqual({ ...DEFAULT_TIMEOUTS, abort: 50 });
  });

  it('a document JSON can not hold is a ValidateConfigError before any etcd step', async () => {
    const err = await applyToCluster({ etcd: ['http://127.0.0.1:1'], name: 'shop', document: { roles: [], n: 1n } }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ValidateConfigError');
    expect((err as Error).message).toMatch(/can not be stored as JSON/);
  });
});
