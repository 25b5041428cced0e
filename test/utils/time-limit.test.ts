/**
 * The one race against a timer that every time limit uses. Node clamps a delay
 * above 2^31-1 ms (Infinity included) to 1 ms, so without care "no limit" would
 * mean "time out at once".
 */
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, isLimited, raceTimeLimit } from '../../src/utils/time-limit.js';
import { sleep } from '../helpers.js';

const later = <T>(ms: number, value: T) => sleep(ms).then(() => value);

describe('raceTimeLimit', () => {
  it('settles with the work when it is done in time', async () => {
    await expect(raceTimeLimit(later(5, 'done'), 1_000, () => 'late')).resolves.toBe('done');
    await expect(raceTimeLimit(Promise.reject(new Error('boom')), 1_000, () => 'late')).rejects.toThrow('boom');
  });

  it('settles with what onTimeout returns or throws once the limit runs out', async () => {
    await expect(raceTimeLimit(new Promise(() => {}), 10, () => 'late')).resolves.toBe('late');
    await expect(
      raceTimeLimit(new Promise(() => {}), 10, () => {
        throw new Error('too slow');
      }),
    ).rejects.toThrow('too slow');
  });

  it.each([
    ['Infinity', Infinity],
    ['2^31 ms, more than a timer can hold', MAX_TIMER_MS + 1],
  ])('%s is no limit: the work is awaited however long it takes', async (_label, ms) => {
    const onTimeout = () => 'timed out';
    await expect(raceTimeLimit(later(30, 'done'), ms, onTimeout)).resolves.toBe('done');
  });

  it('the longest delay a timer holds is still a limit; beyond it there is none', () => {
    expect(isLimited(MAX_TIMER_MS)).toBe(true);
    expect(isLimited(0)).toBe(true);
    expect(isLimited(MAX_TIMER_MS + 1)).toBe(false);
    expect(isLimited(Infinity)).toBe(false);
  });

  it('clears its timer when the work settles first, so it never keeps the process alive', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const pending = raceTimeLimit(Promise.resolve('done'), 60_000, () => 'late');
    expect(timers()).toBe(before + 1);
    await pending;
    expect(timers()).toBe(before);
  });
});
