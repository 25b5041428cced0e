/**
 * The resource record forgets what ended without telling it (timers a role
 * cleared itself), so a long-running role's record holds its live resources only.
 */
import { describe, expect, it } from 'vitest';
import { ResourceTracker } from '../../../src/roles/context/resources/tracker.js';
import { timerEnded, trackedSetInterval, trackedSetTimeout } from '../../../src/roles/context/resources/timers.js';

describe('resource tracker', () => {
  it('sweeps records that ended unseen, so only live ones are released at the end', async () => {
    const tracker = new ResourceTracker();
    let released = 0;
    for (let i = 0; i < 10_000; i++) tracker.add(() => void released++, () => true);
    const live: number[] = [];
    for (let i = 0; i < 3; i++) tracker.add(() => void live.push(i), () => false);
    await tracker.dispose();
    // Each sweep leaves the ended records added since; fewer than a sweep threshold's worth remain.
    expect(released).toBeLessThan(64);
    expect(live).toEqual([2, 1, 0]);
  });

  it("tells a timer that was cleared with the global clearTimeout, or that fired, from a live one", async () => {
    const tracker = new ResourceTracker();
    const cleared = trackedSetTimeout(tracker, () => {}, 60_000);
    const live = trackedSetTimeout(tracker, () => {}, 60_000);
    const interval = trackedSetInterval(tracker, () => {}, 60_000);
    let fired = false;
    const firing = trackedSetTimeout(tracker, () => void (fired = true), 1);
    clearTimeout(cleared);
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toBe(true);
    expect([timerEnded(cleared), timerEnded(firing), timerEnded(live), timerEnded(interval)]).toEqual([true, true, false, false]);
    clearInterval(interval);
    expect(timerEnded(interval)).toBe(true);
    await tracker.dispose();
    expect(timerEnded(live)).toBe(true);
  });
});
