/**
 * The example service (`npm start`) as a user runs it: a real process, a real
 * socket, a signal to stop. Uses the built dist/ (npm test builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Start examples/service/main.mjs on a free port; resolves with its base URL once it listens. */
function startService(): { proc: ChildProcess; url: Promise<string>; output: () => string; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, ['examples/service/main.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: '0', ROLEKIT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    void exit.then((code) => reject(new Error(`example exited (code ${code}) before listening:\n${out}`)));
  });
  return { proc, url, output: () => out, exit };
}

describe('example service (managed loader, the default)', () => {
  let proc: ChildProcess | undefined;
  afterEach(() => {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });

  it('serves its roles over HTTP and stops cleanly on SIGTERM', async () => {
    const service = startService();
    proc = service.proc;
    const url = await service.url;

    const hello = await fetch(`${url}/hello/world`);
    expect(hello.status).toBe(200);
    expect(await hello.json()).toEqual({ message: 'Hello, world!', visits: 1 });
    expect(await (await fetch(`${url}/hello/world`)).json()).toEqual({ message: 'Hello, world!', visits: 2 });

    expect((await fetch(`${url}/kv/colour`, { method: 'PUT', body: 'green' })).status).toBe(200);
    expect(await (await fetch(`${url}/kv/colour`)).json()).toEqual({ key: 'colour', value: 'green' });
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);

    // SIGHUP reloads the api role's code; storage keeps its data across the reload.
    proc.kill('SIGHUP');
    for (let i = 0; i < 200 && !service.output().includes('generation 1'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(service.output()).toContain('reloaded role code (generation 1)');
    expect(await (await fetch(`${url}/kv/colour`)).json()).toEqual({ key: 'colour', value: 'green' });
    expect(await (await fetch(`${url}/hello/world`)).json()).toEqual({ message: 'Hello, world!', visits: 3 });

    proc.kill('SIGTERM');
    expect(await service.exit).toBe(0);
    expect(service.output()).toContain('stopped');
  });

  it('finishes a request in flight when SIGTERM arrives, then exits 0', async () => {
    const service = startService();
    proc = service.proc;
    const url = await service.url;
    const slow = fetch(`${url}/wait/400`);
    await new Promise((r) => setTimeout(r, 100));
    proc.kill('SIGTERM');
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ waited: 400 });
    expect(await service.exit).toBe(0);
  });

  it('exits at once on a second signal, without waiting for the request in flight', async () => {
    const service = startService();
    proc = service.proc;
    const url = await service.url;
    const slow = fetch(`${url}/wait/5000`).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 100));
    proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    const forcedAt = Date.now();
    proc.kill('SIGTERM');
    expect(await service.exit).toBe(1);
    expect(Date.now() - forcedAt).toBeLessThan(4_000);
    expect(await slow).toBeInstanceOf(Error);
  });
});
