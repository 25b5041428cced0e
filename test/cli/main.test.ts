/** The `rolekit` program as built (dist/cli/main.js; npm test builds first). */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['dist/cli/main.js', ...args], { cwd: root }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );

describe('rolekit command line', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string };
    expect(await run('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('without a file, start looks for rolekit.yaml in the current folder and says so when there is none', async () => {
    const result = await run('start');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rolekit.yaml');
  });
});
