/** Which roles a change on disk names: every loaded file against its hash, or only the files of a save. */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changedFiles, changedRolesAmong } from '../../src/reload/update-list.js';
import type { ModuleSource } from '../../src/reload/role-sources.js';
import { sha256 } from '../../src/utils/sha256.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  mkdirSync(resolve('.tmp'), { recursive: true });
  dir = mkdtempSync(join(resolve('.tmp'), 'update-list-'));
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), { path: join(dir, name), sha256: sha256(Buffer.from(text)), imports: [] });
  const shared = file('shared.js', 'shared');
  const source = (name: string, files: { path: string; sha256: string }[]) =>
    ({ kind: 'module', specifier: name, path: files[0].path, role: { name }, loaded: { entry: files[0].path, exports: {}, files } }) as unknown as ModuleSource;
  const sources = [source('a', [file('a.js', 'a'), shared]), source('b', [file('b.js', 'b'), shared])];
  return { sources, write: (name: string, text: string) => writeFileSync(join(dir, name), text), path: (name: string) => join(dir, name) };
}

describe('update list', () => {
  it('names the roles whose files among a save changed, and only those files are read', async () => {
    const { sources, write, path } = setup();
    expect(changedRolesAmong(sources, [path('a.js'), path('b.js')])).toEqual([]); // touched, not changed
    write('a.js', 'a2');
    write('b.js', 'b2');
    expect(changedRolesAmong(sources, [path('a.js')])).toEqual(['a']);
    expect((await changedFiles(sources)).roles).toEqual(['a', 'b']);
    write('shared.js', 'shared2');
    expect(changedRolesAmong(sources, [path('shared.js')])).toEqual(['a', 'b']);
    // A file of no loaded graph names no role; a deleted one counts as changed.
    expect(changedRolesAmong(sources, [path('other.js')])).toEqual([]);
    unlinkSync(path('shared.js'));
    expect(changedRolesAmong(sources, [path('shared.js')])).toEqual(['a', 'b']);
  });
});
