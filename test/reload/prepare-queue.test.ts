import { describe, expect, it } from 'vitest';
import { IN_FLIGHT, PrepareQueue } from '../../src/reload/prepare-queue.js';
import type { Verdict } from '../../src/reload/settle-writes.js';

const settle = () => new Promise((r) => setImmediate(r));

function setup(prepare: (path: string) => Promise<Verdict>) {
  const answers: [string, Verdict][] = [];
  const errors: unknown[] = [];
  const queue = new PrepareQueue({ prepare, prepared: (path, asked, verdict) => answers.push([`${path}@${asked}`, verdict]), onError: (err) => errors.push(err) });
  return { queue, answers, errors };
}

describe('the prepare queue of watch mode', () => {
  it('hands every verdict back with the content it was asked about, never from inside add()', async () => {
    const { queue, answers } = setup(async (path) => (path.endsWith('bad.js') ? 'failed' : 'compiled'));
    queue.add('/a.js', 'v1');
    queue.add('/bad.js', 'v1');
    expect(answers).toEqual([]); // the settler's poll that asked goes on first
    await settle();
    expect(answers.sort()).toEqual([
      ['/a.js@v1', 'compiled'],
      ['/bad.js@v1', 'failed'],
    ]);
  });

  it('prepares a path asked about twice before it started once, for the newer content', async () => {
    const started: string[] = [];
    const { queue, answers } = setup(async (path) => (started.push(path), 'compiled'));
    for (let i = 0; i < IN_FLIGHT; i++) queue.add(`/busy${i}.js`, 'v1');
    queue.add('/a.js', 'v1');
    queue.add('/a.js', 'v2');
    await settle();
    expect(started.filter((p) => p === '/a.js')).toHaveLength(1);
    expect(answers).toContainEqual(['/a.js@v2', 'compiled']);
  });

  it(`works on at most ${IN_FLIGHT} files at once, and starts the next as one finishes`, async () => {
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const { queue, answers } = setup((path) => {
      started.push(path);
      return new Promise((resolve) => finish.set(path, () => resolve('compiled')));
    });
    for (let i = 0; i < IN_FLIGHT + 2; i++) queue.add(`/f${i}.js`, 'v1');
    await settle();
    expect(started).toHaveLength(IN_FLIGHT);
    finish.get('/f0.js')!();
    await settle();
    expect(answers).toEqual([['/f0.js@v1', 'compiled']]);
    expect(started).toHaveLength(IN_FLIGHT + 1);
  });

  it('takes a prepare that throws or rejects for "nothing to say", reports it, and goes on', async () => {
    const { queue, answers, errors } = setup(async (path) => {
      if (path === '/a.js') throw Object.create(null);
      return 'compiled';
    });
    queue.add('/a.js', 'v1');
    queue.add('/b.js', 'v1');
    await settle();
    expect(answers.sort()).toEqual([
      ['/a.js@v1', 'skipped'],
      ['/b.js@v1', 'compiled'],
    ]);
    expect(errors).toHaveLength(1);
  });

  it('starts nothing that was queued before clear()', async () => {
    const started: string[] = [];
    const { queue } = setup((path) => (started.push(path), new Promise(() => {})));
    for (let i = 0; i < IN_FLIGHT + 2; i++) queue.add(`/f${i}.js`, 'v1');
    queue.clear();
    await settle();
    expect(started).toHaveLength(IN_FLIGHT);
  });
});
