/**
 * The package is ESM; Node 20.19 and later can `require()` an ES module, and
 * the package's `exports` must let it. Checked the way an application does it:
 * a child `node` requiring `rolekit` by name from a folder inside the repo (the
 * package resolves itself through its own `exports`), on each Node version CI has.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, makeApp, nodeBinaries } from '../reload/harness.js';

const app = makeApp({});
afterAll(() => app.cleanup());

const USE = `
const hello = defineRole({
  name: 'hello',
  init(ctx) { ctx.route('GET', '/hi/:who', (_req, { params }) => new Response('hi ' + params.who)); },
});
const rt = await createRuntime({ roles: [hello], logger: false });
await rt.applyConfig({ roles: ['hello'] });
const text = await (await rt.fetch(new Request('http://localhost/hi/there'))).text();
await rt.stop();
`;

writeFileSync(
  join(app.dir, 'main.cjs'),
  `const rolekit = require('rolekit');
const { createRuntime, defineRole, RolekitError } = rolekit;
(async () => {
  ${USE}
  console.log(JSON.stringify({
    text,
    resolved: require.resolve('rolekit'),
    errors: typeof RolekitError,
    version: require('rolekit/package.json').version,
  }));
})();
`,
);
writeFileSync(
  join(app.dir, 'main.mjs'),
  `import { createRuntime, defineRole } from 'rolekit';
${USE}
console.log(JSON.stringify({ text }));
`,
);

function run(bin: string, file: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  // No NODE_NO_WARNINGS: an experimental warning on require() would be part of what users see.
  const child = spawn(bin, [file], { cwd: app.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ stdout, stderr, code })));
}

describe.each(nodeBinaries())('the package by name, on $name', ({ bin }) => {
  it("require('rolekit') gives the package, from dist/ through its exports", async () => {
    const { stdout, stderr, code } = await run(bin, 'main.cjs');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      text: 'hi there',
      resolved: join(ROOT, 'dist/index.js'),
      errors: 'function',
      version: expect.any(String),
    });
  });

  it("import 'rolekit' still works", async () => {
    const { stdout, stderr, code } = await run(bin, 'main.mjs');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ text: 'hi there' });
  });
});
