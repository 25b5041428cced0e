/**
 * A role file that does not parse fails a reload with swc's error at the end
 * of the cause chain. swc's message is an ASCII-art excerpt, a "Caused by:"
 * list and the compiler's native backtrace; in a log line it is one line, and
 * the backtrace is never there.
 */
import { describe, expect, it } from 'vitest';
import { makeApp } from '../reload/harness.js';
import { jsonLines, runChild } from './child.js';

describe('swc errors in the log', () => {
  it('a reload that fails to parse logs one line: the cause chain summarised, no native backtrace', async () => {
    const app = makeApp({ 'roles/api.mjs': `export default { name: 'api', init() {} };\n` });
    try {
      const { stdout, stderr, code } = await runChild(
        `
import { writeFileSync } from 'node:fs';
const rt = await rolekit.createRuntime({ roles: ['./roles/api.mjs'], reloadAllowed: true });
await rt.applyConfig({ roles: ['api'] });
writeFileSync('roles/api.mjs', "export default { name: 'api', init() { const x = ; } };\\n");
await rt.reload().catch(() => {});
await rt.stop();
`,
        {},
        app,
      );
      expect(code).toBe(0);
      expect(stdout).toBe('');
      expect(stderr).not.toMatch(/Stack backtrace|<unknown>|_ZN|v8impl|\|\s*const x/);
      const lines = jsonLines(stderr);
      expect(lines.map((l) => l.msg)).toEqual(['ReloadingRoles -> ReloadError']);
      const err = lines[0].err;
      expect(err.type).toBe('HotReloadError');
      const chain: { type: string; message: string; stack?: string }[] = [];
      for (let e = err; e; e = e.cause) chain.push(e);
      expect(chain.map((e) => e.type)).toEqual(['HotReloadError', 'ManagedLoadError', 'Error']);
      for (const e of chain) {
        expect(e.message).not.toContain('\n');
        // Each error says its own message once; no cause's message is appended to it.
        expect(e.message.split('Expression expected')).toHaveLength(2);
      }
      expect(chain[2].message).toMatch(/^Expression expected \(line 1\); caused by: Syntax Error$/);
      expect(chain[2].stack!.split('\n')[0]).toBe(`Error: ${chain[2].message}`);
      expect(chain[2].stack!.split('\n').slice(1).every((l) => l.startsWith('    at '))).toBe(true);
    } finally {
      app.cleanup();
    }
  });
});
