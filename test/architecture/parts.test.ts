/**
 * The part graph of docs/architecture.md, enforced: every import in src/ goes
 * along an arrow of parts.json, and no two parts import each other. The
 * checker itself is tested on a copy of src/ with a forbidden import added.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArchitecture, type Rules } from './check.js';
import { ROOT } from '../reload/harness.js';

const rules = JSON.parse(readFileSync(join(ROOT, 'test/architecture/parts.json'), 'utf8')) as Rules;
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of src/ under .tmp/ to break on purpose. */
function copyOfSrc(): string {
  const dir = mkdtempSync(join(ROOT, '.tmp', 'architecture-'));
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  copies.push(dir);
  return dir;
}

describe('part graph', () => {
  it('src/ imports only along the arrows of parts.json, without cycles', () => {
    expect(checkArchitecture(ROOT, rules)).toEqual([]);
  });

  it('fails when the engine imports the runtime (a forbidden arrow)', () => {
    const dir = copyOfSrc();
    appendFileSync(join(dir, 'src/engine/engine.ts'), `\nimport type { Runtime } from '../runtime/runtime.js';\n`);
    const found = checkArchitecture(dir, rules);
    expect(found).toContainEqual({
      kind: 'forbidden',
      message: 'src/engine/engine.ts imports src/runtime/runtime.ts: engine may not import runtime',
    });
    // The runtime imports the engine, so the new arrow closes a cycle too. Which path of
    // the cycle is reported depends on where the walk starts (src/admin is walked first).
    const cycles = found.filter((v) => v.kind === 'cycle').map((v) => v.message);
    expect(cycles.some((m) => m.startsWith('parts import each other: engine -> runtime -> ') && m.endsWith(' -> engine'))).toBe(true);
  });

  it('fails when the core imports a face (the admin API depends on the core, never the reverse)', () => {
    const dir = copyOfSrc();
    writeFileSync(join(dir, 'src/admin-probe.ts'), '');
    appendFileSync(join(dir, 'src/runtime/runtime.ts'), `\nexport const probe = () => import('../cli/main.js');\n`);
    const found = checkArchitecture(dir, rules);
    expect(found).toContainEqual({ kind: 'forbidden', message: 'src/runtime/runtime.ts imports src/cli/main.ts: runtime may not import cli' });
    expect(found).toContainEqual({ kind: 'unowned', message: 'src/admin-probe.ts belongs to no part of parts.json' });
  });

  it('reports a cycle between parts even where the rules would allow both arrows', () => {
    const dir = copyOfSrc();
    const permissive: Rules = structuredClone(rules);
    permissive.parts.http!.may.push('roles');
    appendFileSync(join(dir, 'src/http/route-table.ts'), `\nimport type { AnyRole } from '../roles/role.js';\n`);
    expect(checkArchitecture(dir, permissive)).toEqual([{ kind: 'cycle', message: 'parts import each other: http -> roles -> http' }]);
  });
});
