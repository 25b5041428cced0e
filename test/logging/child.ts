/**
 * Logging is about what reaches a process's real stdout and stderr, so these
 * scenarios run in a child `node` against the built package (dist/), and read
 * both streams as the embedding application's parent would.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_INDEX, ROOT, makeApp, type App } from '../reload/harness.js';

export interface ChildOutput {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * Run `body` (ES module code, top-level await allowed) with `rolekit` and
 * `pino` imported. ROLEKIT_LOG_LEVEL is unset unless `env` sets it.
 */
export async function runChild(body: string, env: Record<string, string> = {}, app?: App): Promise<ChildOutput> {
  const own = app ?? makeApp({});
  const file = join(own.dir, `log-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `import * as rolekit from ${JSON.stringify(DIST_INDEX)};\nimport { pino } from 'pino';\n${body}\n`);
  const { ROLEKIT_LOG_LEVEL: _unset, ...inherited } = process.env;
  const child = spawn(process.execPath, [file], {
    cwd: own.dir,
    env: { ...inherited, NODE_NO_WARNINGS: '1', NODE_PATH: join(ROOT, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((res) => child.on('close', res));
  clearTimeout(timer);
  if (!app) own.cleanup();
  return { stdout, stderr, code };
}

/** The JSON lines of a stream; a line that is not JSON fails the test with the whole output. */
export function jsonLines(text: string): Record<string, any>[] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, any>;
      } catch {
        throw new Error(`not a JSON line: ${l}\nin:\n${text}`);
      }
    });
}

/**
 * The scenario most tests share: an app that writes its own lines to stdout,
 * a role that logs at info and debug, and one whose init fails; one apply,
 * then stop. `logger` is the source text of the option (omitted: left out).
 */
export function service(logger?: string): string {
  return `
const ok = rolekit.defineRole({
  name: 'ok',
  applyConfig(_conf, ctx) { ctx.log.info('ok applied'); ctx.log.debug('ok debug'); },
});
const bad = rolekit.defineRole({ name: 'bad', init() { throw new Error('boom'); } });
process.stdout.write('app: before\\n');
const rt = await rolekit.createRuntime({ roles: [ok, bad]${logger === undefined ? '' : `, logger: ${logger}`} });
await rt.applyConfig({ roles: ['ok', 'bad'] }).catch(() => {});
await rt.stop();
process.stdout.write('app: after\\n');
`;
}

/** Only the app's own lines: what stdout must be when rolekit logs elsewhere (or not at all). */
export const APP_ONLY = 'app: before\napp: after\n';
