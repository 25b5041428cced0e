/**
 * Members as child processes (test/cluster/fixtures/member.mjs, against dist/),
 * so that a test can SIGKILL one for real.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/member.mjs', import.meta.url));

export interface ChildMember {
  instance: string;
  url: string;
  child: ChildProcess;
  served(): Promise<string>;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnMember(env: { etcd: string; name: string; instance: string; lease?: number; validateDelayMs?: number }): Promise<ChildMember> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: {
      ...process.env,
      ETCD: env.etcd,
      NAME: env.name,
      INSTANCE: env.instance,
      LEASE: String(env.lease ?? 2000),
      VALIDATE_DELAY_MS: String(env.validateDelayMs ?? 0),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`member ${env.instance} did not start:\n${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`member ${env.instance} exited:\n${output}`)));
  });
  return {
    instance: env.instance,
    url,
    child,
    async served() {
      const res = await fetch(`${url}/greeting`);
      return res.status === 200 ? res.text() : `HTTP ${res.status}`;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
