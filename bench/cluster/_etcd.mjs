/**
 * A throwaway etcd for the cluster benchmark (the tests have the full helper,
 * test/cluster/etcd-process.ts): loopback, own data dir, free ports.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer().on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

export async function startEtcd() {
  const dir = mkdtempSync(join(tmpdir(), 'rolekit-bench-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const child = spawn(process.env.ROLEKIT_ETCD ?? '/usr/bin/etcd', [
    '--name', 'bench', '--data-dir', dir,
    '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl, '--initial-cluster', `bench=${peerUrl}`,
    '--heartbeat-interval', '20', '--election-timeout', '200', '--log-level', 'error',
  ], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  for (let i = 0; i < 300; i++) {
    try {
      if ((await (await fetch(`${url}/health`)).json()).health === 'true') break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
