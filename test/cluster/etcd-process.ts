/**
 * A real etcd for the cluster tests: Debian's `etcd-server` (`/usr/bin/etcd`,
 * or `ROLEKIT_ETCD`), on loopback, with its own data dir and free ports.
 * `stop()` and `start()` again keep the data dir and the ports, so a test can
 * take etcd away mid-way and bring the same cluster back.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ETCD = process.env.ROLEKIT_ETCD ?? '/usr/bin/etcd';

export interface EtcdProcess {
  /** Client URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly running: boolean;
  start(): Promise<void>;
  /** SIGTERM, and wait until it exited (SIGKILL after 5 s). */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stop and remove the data dir. */
  dispose(): Promise<void>;
  /** What etcd printed (for a failing test's message). */
  output(): string;
}

/** A port that was free a moment ago (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Start an etcd; resolves once it answers `/health`. */
export async function startEtcd(): Promise<EtcdProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rolekit-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name', 'test',
    '--data-dir', dataDir,
    '--listen-client-urls', url,
    '--advertise-client-urls', url,
    '--listen-peer-urls', peer,
    '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `test=${peer}`,
    // A short election timeout lowers etcd's minimum lease TTL to 1 s (it is 1.5 * election timeout).
    '--heartbeat-interval', '20',
    '--election-timeout', '200',
    '--log-level', 'warn',
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  async function start(): Promise<void> {
    if (child) return;
    const proc = spawn(ETCD, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    void exited.then(() => {
      if (child === proc) child = undefined;
    });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child !== proc) throw new Error(`etcd exited at start:\n${log}`);
      try {
        const res = await fetch(`${url}/health`);
        const body = (await res.json()) as { health?: string };
        if (body.health === 'true') return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`etcd did not become healthy in 15 s:\n${log}`);
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    child = undefined;
  }

  await start();
  return {
    url,
    get running() {
      return child !== undefined;
    },
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async dispose() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    output: () => log,
  };
}
