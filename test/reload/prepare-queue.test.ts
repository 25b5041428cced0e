import { describe, expect, it } from 'vitest';
import { PrepareQueue, SLICE_MS } from '../../src/reload/prepare-queue.js';
import type { Verdict } from '../../src/reload/settle-writes.js';

const turn = () => new Promise((r) => setImmediate(r));
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

function setup(prepare: (path: string) => Verdict) {
  const answers: [string, Verdict][] = [];
  const errors: unknown[] = [];
  const queue = new PrepareQueue({ prepare, prepared: (path, verdict) => answers.push([path, verdict]), onError: (err) => errors.push(err) });
  return { queue, answers, errors };
}

describe('the prepare queue of watch mode', () => {
  it('prepares each path once, in order, and hands every verdict back', async () => {
    const { queue, answers } = setup((path) => (path.endsWith('bad.js') ? 'failed' : 'compiled'));
    queue.add('/a.js');
    queue.add('/bad.js');
    queue.add('/a.js');
    expect(answers).toEqual([]); // never inside add(): the settler's poll that asked goes on first
    await turn();
    expect(answers).toEqual([
      ['/a.js', 'compiled'],
      ['/bad.js', 'failed'],
    ]);
  });

  it('lets the event loop run between slices of work', async () => {
    const order: string[] = [];
    const { queue, answers } = setup((path) => (order.push(path), busy(SLICE_MS / 2 + 1), 'compiled'));
    for (let i = 0; i < 6; i++) queue.add(`/f${i}.js`);
    // Something else the event loop has to do meanwhile (a poll, a request).
    setImmediate(() => order.push('other'));
    while (answers.length < 6) await turn();
    // It ran after the first slice and before the last file, not after all of them.
    const at = order.indexOf('other');
    expect(at, order.join(' ')).toBeGreaterThan(0);
    expect(at, order.join(' ')).toBeLessThan(6);
  });

  it('takes a prepare that throws for "nothing to say", reports it, and goes on', async () => {
    const { queue, answers, errors } = setup((path) => {
      if (path === '/a.js') throw Object.create(null);
      return 'compiled';
    });
    queue.add('/a.js');
    queue.add('/b.js');
    await turn();
    expect(answers).toEqual([
      ['/a.js', 'skipped'],
      ['/b.js', 'compiled'],
    ]);
    expect(errors).toHaveLength(1);
  });

  it('prepares nothing that was queued before clear()', async () => {
    const { queue, answers } = setup(() => 'compiled');
    queue.add('/a.js');
    queue.clear();
    await turn();
    await turn();
    expect(answers).toEqual([]);
  });
});
