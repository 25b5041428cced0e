import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../reload/harness.js';

describe('docs/operations.md', () => {
  it('has alert rules that promtool accepts, on metrics the admin serves', () => {
    const doc = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    const block = /```yaml\n(# rolekit-alerts\.yml[\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.tmp', 'rules-'));
    try {
      const file = join(dir, 'rolekit-alerts.yml');
      writeFileSync(file, block!);
      const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      if (run.error) throw run.error;
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/SUCCESS: 4 rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const metric of block!.match(/rolekit_[a-z_]+/g)!) expect(['rolekit_state', 'rolekit_role_status', 'rolekit_reloads_total']).toContain(metric);
  });
});
