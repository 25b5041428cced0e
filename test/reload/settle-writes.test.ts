/**
 * The settler hands on a save only once its files stopped changing. Time is
 * vitest's fake clock and the file system a map of fingerprints, so each
 * case states a rule exactly (no wall-clock assertion): what holds a batch
 * back, and when it goes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WriteSettler } from '../../src/reload/settle-writes.js';

const QUIET = 20;
const UNFINISHED = 250;

const FAILED = 100;

function setup(options: { judge?: (path: string, asked: string) => void } = {}) {
  const disk = new Map<string, string>();
  const settled: string[][] = [];
  const settler = new WriteSettler({
    quietMs: QUIET,
    pollMs: 5,
    unfinishedMs: UNFINISHED,
    failedMs: FAILED,
    onSettled: (paths) => settled.push([...paths].sort()),
    fingerprint: (path) => disk.get(path) ?? 'missing',
    ...options,
  });
  const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
  return { disk, settled, settler, advance };
}

describe('settling writes', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('hands on the files of a save together, once, after every one kept its fingerprint for the quiet period', async () => {
    const { disk, settled, settler, advance } = setup();
    disk.set('/a.js', 'ino1:10:t1').set('/b.js', 'ino2:12:t1');
    settler.touch('/a.js');
    settler.touch('/b.js');
    await advance(QUIET - 5);
    expect(settled).toEqual([]);
    await advance(10);
    expect(settled).toEqual([['/a.js', '/b.js']]);
    expect(settler.pending).toBe(0);
    await advance(1000);
    expect(settled).toHaveLength(1);
  });

  it('holds the batch while a file keeps growing without events (chokidar throttles them), until its last write is quiet', async () => {
    const { disk, settled, settler, advance } = setup();
    disk.set('/a.js', 'empty:ino1:0:t0').set('/b.js', 'ino2:12:t1');
    settler.touch('/a.js');
    settler.touch('/b.js');
    // a.js is written in chunks 15 ms apart, each shorter than the quiet period, no event after the first.
    for (let chunk = 1; chunk <= 6; chunk++) {
      await advance(15);
      disk.set('/a.js', `ino1:${chunk * 100}:t${chunk}`);
      expect(settled).toEqual([]);
    }
    await advance(QUIET + 10);
    expect(settled).toEqual([['/a.js', '/b.js']]);
  });

  it('restarts the quiet period on an event even when the fingerprint did not move (coarse mtimes)', async () => {
    const { disk, settled, settler, advance } = setup();
    disk.set('/a.js', 'ino1:10:t1');
    settler.touch('/a.js');
    await advance(QUIET - 5);
    settler.touch('/a.js');
    await advance(QUIET - 5);
    expect(settled).toEqual([]);
    await advance(10);
    expect(settled).toEqual([['/a.js']]);
  });

  it('does not take an empty or missing file for a finished save before it stayed so for the longer unfinished period', async () => {
    const { disk, settled, settler, advance } = setup();
    // An in-place save truncated, then stalled; a delete-then-create save deleted, then stalled.
    disk.set('/a.js', 'empty:ino1:0:t1');
    settler.touch('/a.js');
    settler.touch('/b.js');
    await advance(UNFINISHED - 20);
    expect(settled).toEqual([]);
    // The editors go on: both files get their content, and the batch settles a quiet period later.
    disk.set('/a.js', 'ino1:42:t2').set('/b.js', 'ino3:40:t2');
    await advance(QUIET + 10);
    expect(settled).toEqual([['/a.js', '/b.js']]);

    // A file that was really deleted is handed on too, once it stayed missing that long.
    disk.delete('/a.js');
    settler.touch('/a.js');
    await advance(UNFINISHED + 10);
    expect(settled).toEqual([['/a.js', '/b.js'], ['/a.js']]);
  });

  it('starts a new batch with the next event, and hands on nothing after close()', async () => {
    const { disk, settled, settler, advance } = setup();
    disk.set('/a.js', 'ino1:10:t1');
    settler.touch('/a.js');
    await advance(QUIET + 10);
    disk.set('/a.js', 'ino1:11:t2');
    settler.touch('/a.js');
    await advance(QUIET + 10);
    expect(settled).toEqual([['/a.js'], ['/a.js']]);

    settler.touch('/a.js');
    settler.close();
    await advance(1000);
    settler.touch('/a.js');
    await advance(1000);
    expect(settled).toHaveLength(2);
  });

  describe('with a judge (watch mode: the loader compiles each file ahead of the reload)', () => {
    it('asks about a file once it stood still for a poll, then once per new content, never about an empty one', async () => {
      const asked: string[] = [];
      const { disk, settler, advance } = setup({ judge: (path) => asked.push(`${path}=${disk.get(path)}`) });
      disk.set('/a.js', 'empty:ino1:0:t0');
      settler.touch('/a.js');
      await advance(15);
      expect(asked).toEqual([]);
      disk.set('/a.js', 'ino1:10:t1');
      await advance(2);
      expect(asked).toEqual([]); // seen changing just now: not yet
      await advance(10);
      expect(asked).toEqual(['/a.js=ino1:10:t1']);
      await advance(10);
      expect(asked).toHaveLength(1);
      disk.set('/a.js', 'ino1:12:t2');
      await advance(15);
      expect(asked).toEqual(['/a.js=ino1:10:t1', '/a.js=ino1:12:t2']);
    });

    it('holds the batch until every file it asked about is judged', async () => {
      const { disk, settled, settler, advance } = setup({ judge: () => {} });
      disk.set('/a.js', 'ino1:10:t1').set('/b.js', 'ino2:10:t1');
      settler.touch('/a.js');
      settler.touch('/b.js');
      await advance(QUIET + 20);
      expect(settled).toEqual([]);
      settler.judged('/a.js', 'ino1:10:t1', 'compiled');
      await advance(10);
      expect(settled).toEqual([]);
      settler.judged('/b.js', 'ino2:10:t1', 'skipped');
      await advance(10);
      expect(settled).toEqual([['/a.js', '/b.js']]);
    });

    it('gives a file that does not compile the longer failed period, and settles it then (a real syntax error is reported)', async () => {
      const { disk, settled, settler, advance } = setup({ judge: (path, asked) => queueMicrotask(() => settler.judged(path, asked, 'failed')) });
      disk.set('/a.js', 'ino1:10:t1');
      settler.touch('/a.js');
      await advance(FAILED - 20);
      expect(settled).toEqual([]);
      await advance(30);
      expect(settled).toEqual([['/a.js']]);
    });

    it('forgets a verdict when the content moves on: the rest of a half-written file is judged afresh', async () => {
      const verdicts = new Map([['ino1:10:t1', 'failed' as const], ['ino1:20:t2', 'compiled' as const]]);
      const { disk, settled, settler, advance } = setup({
        judge: (path, asked) => queueMicrotask(() => settler.judged(path, asked, verdicts.get(asked)!)),
      });
      // The first half does not compile; the writer goes on after 50 ms, longer than the quiet period.
      disk.set('/a.js', 'ino1:10:t1');
      settler.touch('/a.js');
      await advance(50);
      expect(settled).toEqual([]);
      disk.set('/a.js', 'ino1:20:t2');
      settler.touch('/a.js');
      await advance(QUIET - 5);
      expect(settled).toEqual([]);
      await advance(20);
      expect(settled).toEqual([['/a.js']]);
    });

    it('does not keep a verdict for content that has changed since: the new content waits for its own', async () => {
      // t1 compiles (the first file of a two-part write, say); the judge never answers about t2.
      const { disk, settled, settler, advance } = setup({
        judge: (path, asked) => asked === 'ino1:10:t1' && queueMicrotask(() => settler.judged(path, asked, 'compiled')),
      });
      disk.set('/a.js', 'ino1:10:t1');
      settler.touch('/a.js');
      await advance(QUIET - 5);
      disk.set('/a.js', 'ino1:20:t2');
      settler.touch('/a.js');
      await advance(QUIET + 10);
      expect(settled).toEqual([]);
      await advance(FAILED);
      expect(settled).toEqual([['/a.js']]);
    });

    it('takes a verdict for an older content for nothing', async () => {
      const { disk, settled, settler, advance } = setup({ judge: () => {} });
      disk.set('/a.js', 'ino1:10:t1');
      settler.touch('/a.js');
      await advance(10); // asked about t1
      disk.set('/a.js', 'ino1:20:t2');
      await advance(1); // t2 seen at the next poll...
      await advance(5);
      settler.judged('/a.js', 'ino1:10:t1', 'compiled'); // ...so this answer (about t1) does not count
      await advance(QUIET + 10);
      expect(settled).toEqual([]);
    });
  });

  it('looks once more before handing a batch on: an event that waited behind a stalled event loop holds it back', async () => {
    const { disk, settled, settler, advance } = setup();
    disk.set('/a.js', 'ino1:10:t1');
    settler.touch('/a.js');
    // Up to the poll that finds the batch quiet; the confirming look comes one timer turn later.
    await advance(QUIET);
    expect(settled).toEqual([]);
    disk.set('/b.js', 'ino2:10:t1');
    settler.touch('/b.js');
    await advance(5);
    expect(settled).toEqual([]);
    await advance(QUIET + 10);
    expect(settled).toEqual([['/a.js', '/b.js']]);
  });
});
