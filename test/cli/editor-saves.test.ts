/**
 * Editors save in three ways, and each passes through states that are not the
 * file meant: written in place (old and new bytes mixed until the end is
 * truncated), a temporary file renamed over, or truncated then written. Each
 * is tried here, slowly (pauses between the writes), on a running `rolekit
 * start` in watch mode: no intermediate state is ever applied — not even
 * tried (no error line at all) — and each finished save is.
 */
import { openSync, closeSync, writeSync, ftruncateSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, fixtureDir, get, startRolekit, type RolekitProcess } from './rolekit-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOSTS = 60;

/**
 * A file that no prefix of is valid: `config.marker` comes last, and the
 * marker role refuses a section without `end: true` (the file's last line).
 */
function document(version: number): string {
  const lines = ['modules: [./marker.mjs, ./site.mjs]', 'watch: true', 'http: { host: 127.0.0.1, port: 0 }', 'roles: [marker]', 'hosts:'];
  for (let i = 0; i < HOSTS; i++) lines.push(`  h${i}.example.com:`, '    roles: [site]', '    config:', `      site: { version: ${version} }`);
  lines.push('config:', '  marker:', `    version: ${version}`, '    end: true');
  return lines.join('\n') + '\n';
}

function chunks(text: string, n: number): string[] {
  const size = Math.ceil(text.length / n);
  return Array.from({ length: n }, (_, i) => text.slice(i * size, (i + 1) * size));
}

const saves: Record<string, (file: string, text: string) => Promise<void>> = {
  async 'write in place'(file, text) {
    const fd = openSync(file, 'r+');
    let at = 0;
    for (const part of chunks(text, 4)) {
      at += writeSync(fd, part, at);
      await sleep(15);
    }
    ftruncateSync(fd, at);
    closeSync(fd);
  },
  async 'rename over'(file, text) {
    const temp = `${file}.tmp~`;
    const fd = openSync(temp, 'w');
    for (const part of chunks(text, 4)) {
      writeSync(fd, part);
      await sleep(15);
    }
    closeSync(fd);
    renameSync(temp, file);
  },
  async 'truncate then write'(file, text) {
    const fd = openSync(file, 'w');
    await sleep(15);
    for (const part of chunks(text, 4)) {
      writeSync(fd, part);
      await sleep(15);
    }
    closeSync(fd);
  },
};

describe('an editor saving the configuration file while rolekit runs', () => {
  let dir: string;
  let rk: RolekitProcess | undefined;
  afterEach(() => cleanUp(rk, dir));

  it.each(Object.keys(saves))('%s: no half-written state is applied, every finished save is', async (how) => {
    dir = fixtureDir('editor');
    const file = join(dir, 'rolekit.yaml');
    writeFileSync(file, document(1));
    rk = startRolekit(file);
    const url = await rk.url;
    const since = rk.lines().length;

    for (let version = 2; version <= 4; version++) {
      const before = rk.lines().length;
      await saves[how]!(file, document(version));
      await rk.waitFor((l) => l.msg === 'marker applied' && l.version === version, { since: before });
      expect(JSON.parse((await get(url, '/', `h${HOSTS - 1}.example.com`)).body)).toEqual({ host: `h${HOSTS - 1}.example.com`, version });
    }
    const problems = rk.lines().slice(since).filter((l) => l.level >= 40);
    expect(problems).toEqual([]);
    expect(rk.lines().slice(since).filter((l) => l.msg === 'marker applied').map((l) => l.version)).toEqual([2, 3, 4]);
  });
});
