/**
 * `rolekit/admin` is a package export of its own, and `import 'rolekit'` loads
 * neither it nor prom-client. Checked in a child `node` importing the package
 * by name, with a module hook that records every module Node resolves.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, makeApp, nodeBinaries } from '../reload/harness.js';

const app = makeApp({});
afterAll(() => app.cleanup());

writeFileSync(
  join(app.dir, 'record.mjs'),
  `import { register } from 'node:module';
register(new URL('./hooks.mjs', import.meta.url), { data: { log: process.env.RESOLVE_LOG } });
`,
);
writeFileSync(
  join(app.dir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`,
);
writeFileSync(join(app.dir, 'core.mjs'), `import { createRuntime } from 'rolekit';\nconst rt = await createRuntime({ roles: [], logger: false });\nawait rt.stop();\n`);
writeFileSync(
  join(app.dir, 'admin.mjs'),
  `import { createRuntime } from 'rolekit';
import { createAdmin } from 'rolekit/admin';
const rt = await createRuntime({ roles: [], logger: false });
const admin = createAdmin(rt);
const res = await admin.request('/metrics');
console.log(res.status, (await res.text()).includes('rolekit_state{state="Unconfigured"} 1'));
admin.close();
await rt.stop();
`,
);

function run(bin: string, file: string, log: string): Promise<{ stdout: string; stderr: string; code: number | null; resolved: string[] }> {
  writeFileSync(log, '');
  const child = spawn(bin, ['--import', './record.mjs', file], { cwd: app.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RESOLVE_LOG: log } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ stdout, stderr, code, resolved: readFileSync(log, 'utf8').split('\n').filter(Boolean) })),
  );
}

describe.each(nodeBinaries())('rolekit/admin, on $name', ({ bin }) => {
  it("import 'rolekit' loads neither the admin API nor prom-client nor @hono/node-server", async () => {
    const { code, stderr, resolved } = await run(bin, 'core.mjs', join(app.dir, 'core.log'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(resolved).toContain(`file://${join(ROOT, 'dist/index.js')}`);
    expect(resolved.filter((url) => /\/dist\/admin\/|\/node_modules\/(prom-client|@hono\/node-server)\//.test(url))).toEqual([]);
  });

  it("import 'rolekit/admin' resolves to dist/admin through the package's exports, and serves metrics", async () => {
    const { code, stderr, stdout, resolved } = await run(bin, 'admin.mjs', join(app.dir, 'admin.log'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('200 true');
    expect(resolved).toContain(`file://${join(ROOT, 'dist/admin/index.js')}`);
    expect(resolved.some((url) => url.includes('/node_modules/prom-client/'))).toBe(true);
  });
});
