/** The folder watches of watch mode, on real folders and files. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderWatches } from '../../src/reload/folder-watches.js';

const TMP = resolve('.tmp');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanups.splice(0).reverse()) undo();
});

function setup() {
  mkdirSync(TMP, { recursive: true });
  const dir = mkdtempSync(join(TMP, 'folder-watch-'));
  const events: string[] = [];
  const errors: string[] = [];
  const watches = new FolderWatches(
    (folder, name) => events.push(`${folder === dir ? '' : folder}:${name}`),
    (folder, err) => errors.push(`${folder}: ${(err as NodeJS.ErrnoException).code}`),
  );
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => watches.close());
  return { dir, events, errors, watches };
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

describe('folder watches (watch mode)', () => {
  it('names the entry for a write in place, a rename over it, and a delete-and-create, every time', async () => {
    const { dir, events, watches } = setup();
    writeFileSync(join(dir, 'a.js'), 'v0');
    expect(watches.add(dir)).toBe(true);
    expect(watches.add(dir)).toBe(true); // once per folder

    writeFileSync(join(dir, 'a.js'), 'v1');
    await until(() => events.includes(':a.js'));
    events.length = 0;
    writeFileSync(join(dir, 'a.js.tmp'), 'v2');
    renameSync(join(dir, 'a.js.tmp'), join(dir, 'a.js'));
    await until(() => events.includes(':a.js'));
    events.length = 0;
    unlinkSync(join(dir, 'a.js'));
    writeFileSync(join(dir, 'a.js'), 'v3');
    await until(() => events.filter((e) => e === ':a.js').length >= 2);
    expect(events.filter((e) => e === ':a.js').length).toBeGreaterThanOrEqual(2);
    // A second write right after the first is not swallowed (chokidar throttled these for 50 ms).
    events.length = 0;
    writeFileSync(join(dir, 'a.js'), 'v4');
    await until(() => events.includes(':a.js'));
    events.length = 0;
    writeFileSync(join(dir, 'a.js'), 'v5');
    await until(() => events.includes(':a.js'));
    expect(events).toContain(':a.js');
  });

  it('reports a folder it cannot watch, and watches it once it exists', async () => {
    const { dir, events, errors, watches } = setup();
    const later = join(dir, 'later');
    expect(watches.add(later)).toBe(false);
    expect(errors).toEqual([`${later}: ENOENT`]);
    mkdirSync(later);
    expect(watches.add(later)).toBe(true);
    writeFileSync(join(later, 'b.js'), 'x');
    await until(() => events.includes(`${later}:b.js`));
    expect(events).toContain(`${later}:b.js`);
  });

  it('reports nothing after close()', async () => {
    const { dir, events, watches } = setup();
    watches.add(dir);
    watches.close();
    writeFileSync(join(dir, 'a.js'), 'v1');
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([]);
    expect(watches.has(dir)).toBe(false);
  });
});
