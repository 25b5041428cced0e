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

  it.each([['start', 'rolekit.yaml'], ['validate', 'rolekit.yaml']])('says "%s <file>" is not implemented yet', async (...args) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not yet implemented: config files come in a later release');
  });
});
