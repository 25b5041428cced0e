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

function setup() {
  const disk = new Map<string, string>();
  const settled: string[][] = [];
  const settler = new WriteSettler({
    quietMs: QUIET,
    pollMs: 5,
    unfinishedMs: UNFINISHED,
    onSettled: (paths) => settled.push([...paths].sort()),
    fingerprint: async (path) => disk.get(path) ?? 'missing',
  });
  const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
  return { disk, settled, settler, advance };
}

describe('settling writes', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
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
});
