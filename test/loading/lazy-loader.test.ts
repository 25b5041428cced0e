import { describe, expect, it } from 'vitest';
import { createLoader } from '../../src/loading/create-loader.js';
import { lazyLoader } from '../../src/loading/lazy-loader.js';

describe('the runtime’s one lazy loader (managed loader)', () => {
  it('is created at most once, and close() before any use creates nothing', async () => {
    let created = 0;
    const holder = lazyLoader(() => (created++, createLoader('managed', {})));
    await holder.close();
    expect(created).toBe(0);
    const again = lazyLoader(() => (created++, createLoader('managed', {})));
    expect(await again.get()).toBe(await again.get());
    expect(created).toBe(1);
    await again.close();
  });

  it('closes the loader it created: Error.prepareStackTrace is back to what it was', async () => {
    const before = Error.prepareStackTrace;
    const holder = lazyLoader(() => createLoader('managed', {}));
    await holder.get();
    expect(Error.prepareStackTrace).not.toBe(before);
    await holder.close();
    await holder.close();
    expect(Error.prepareStackTrace).toBe(before);
  });

  it('closing a loader that failed to be created does not throw', async () => {
    const holder = lazyLoader(() => createLoader('nope' as 'managed', {}));
    await expect(holder.get()).rejects.toThrow(/loader must be/);
    await expect(holder.close()).resolves.toBeUndefined();
  });

  it('peek() gives the loader only once it is created, and never creates it', async () => {
    let created = 0;
    const holder = lazyLoader(() => (created++, createLoader('managed', {})));
    expect(holder.peek()).toBeUndefined();
    expect(created).toBe(0);
    const loader = await holder.get();
    expect(holder.peek()).toBe(loader);
    await holder.close();
    expect(holder.peek()).toBeUndefined();
  });
});
