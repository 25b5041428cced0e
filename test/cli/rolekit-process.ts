/**
 * `rolekit start` as an operator runs it: the built program (dist/cli/main.js;
 * npm test builds first) as a child process on a real file, its JSON log lines
 * read from stdout, real HTTP requests to its listener.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cli = `${root}dist/cli/main.js`;

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface RolekitProcess {
  proc: ChildProcess;
  /** The http listener's URL, from its "listening on" line. */
  url: Promise<string>;
  exit: Promise<number | null>;
  lines(): LogLine[];
  stderr(): string;
  /** Resolves with the first log line (from the start, or after `since` lines) that matches. */
  waitFor(match: (line: LogLine) => boolean, options?: { since?: number; timeoutMs?: number }): Promise<LogLine>;
  kill(signal?: NodeJS.Signals): void;
}

export function startRolekit(file: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RolekitProcess {
  const proc = spawn(process.execPath, [cli, 'start', file], {
    cwd: options.cwd ?? root,
    env: { ...process.env, ROLEKIT_LOG_LEVEL: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let stderr = '';
  let buffer = '';
  const waiters = new Set<() => void>();
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        lines.push({ level: 0, msg: `(not JSON) ${text}` });
      }
    }
    for (const w of waiters) w();
  });
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  void exit.then(() => {
    for (const w of waiters) w();
  });
  const describe = () => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n--- stderr:\n${stderr}`;

  const waitFor: RolekitProcess['waitFor'] = (match, { since = 0, timeoutMs = 15_000 } = {}) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.slice(since).find(match);
        if (found) {
          done();
          resolve(found);
        } else if (proc.exitCode !== null || proc.signalCode !== null) {
          done();
          reject(new Error(`rolekit exited (${proc.exitCode ?? proc.signalCode}) before the expected line:\n${describe()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for a log line:\n${describe()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const url = waitFor((l) => typeof l.url === 'string' && l.msg.startsWith('listening on')).then((l) => l.url as string);
  // A test of a start that fails never asks for the URL: its rejection is not an unhandled one.
  url.catch(() => {});
  return {
    proc,
    url,
    exit,
    lines: () => lines,
    stderr: () => stderr,
    waitFor,
    kill: (signal = 'SIGTERM') => void proc.kill(signal),
  };
}

/** A GET with a Host header of our choosing (fetch does not let one set Host). */
export function get(url: string, path: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const req = request(target, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A temporary folder holding a copy of `test/cli/fixtures/<name>` (the role modules a test's file names). */
export function fixtureDir(name: 'prosody' | 'editor' | 'cluster'): string {
  const dir = mkdtempSync(join(tmpdir(), `rolekit-${name}-`));
  cpSync(new URL(`./fixtures/${name}/`, import.meta.url), dir, { recursive: true });
  return dir;
}

/** After a test: kill the process it left running (a failed assertion skips its own stop), remove its folder. */
export async function cleanUp(rk: RolekitProcess | undefined, dir: string | undefined): Promise<void> {
  if (rk && rk.proc.exitCode === null && rk.proc.signalCode === null) {
    rk.kill('SIGKILL');
    await rk.exit;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
