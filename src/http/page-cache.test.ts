import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.js';

/** A cache on a hand-moved clock (ms), and a render that counts its calls. */
function setup(options: { ttlMs?: number; minAgeMs?: number } = {}) {
  const clock = { now: 0 };
  const cache = new PageCache({ ...options, now: () => clock.now });
  let renders = 0;
  const render = async () => `page ${++renders}`;
  return { clock, cache, render, renders: () => renders };
}

describe('the shared page cache', () => {
  it('serves one render to everyone for up to a second', async () => {
    const { clock, cache, render, renders } = setup();
    expect(await cache.get('k', '1', render)).toBe('page 1');
    clock.now = 999;
    expect(await cache.get('k', '1', render)).toBe('page 1');
    clock.now = 1_000;
    expect(await cache.get('k', '1', render)).toBe('page 2');
    expect(renders()).toBe(2);
  });

  it('shares one render among concurrent misses, and does not keep a failed one', async () => {
    const { cache } = setup();
    let calls = 0;
    let fail = true;
    const slow = () => {
      calls++;
      return new Promise<string>((resolve, reject) =>
        setTimeout(() => (fail ? reject(new Error('database down')) : resolve('ok')), 5),
      );
    };
    const all = await Promise.allSettled([1, 2, 3].map(() => cache.get('k', '1', slow)));
    expect(calls).toBe(1);
    expect(all.every((r) => r.status === 'rejected')).toBe(true);
    fail = false;
    expect(await cache.get('k', '1', slow)).toBe('ok');
    expect(calls).toBe(2);
  });

  it("retires a petition's pages once 100 ms old when this process changed its count", async () => {
    const { clock, cache, render } = setup();
    await cache.get('ko', '1', render);
    await cache.get('other', '2', render);
    clock.now = 50;
    cache.countsChanged(['1']);
    expect(await cache.get('ko', '1', render)).toBe('page 1'); // a surge re-renders at most every 100 ms
    clock.now = 100;
    expect(await cache.get('ko', '1', render)).toBe('page 3');
    expect(await cache.get('other', '2', render)).toBe('page 2'); // other petitions keep theirs
    clock.now = 300;
    expect(await cache.get('ko', '1', render)).toBe('page 3'); // rendered after the change: fresh
  });

  it('retires a page whose count changed while it was being rendered', async () => {
    const { clock, cache } = setup();
    let n = 0;
    const racing = async () => {
      clock.now += 10;
      cache.countsChanged(['1']); // an agreement commits between the page's reads and its end
      return `page ${++n}`;
    };
    await cache.get('k', '1', racing);
    clock.now = 200;
    expect(await cache.get('k', '1', async () => 'after')).toBe('after');
  });

  it('keeps at most maxEntries pages, dropping the least recently rendered', async () => {
    const clock = { now: 0 };
    const cache = new PageCache({ maxEntries: 2, now: () => clock.now });
    const page = (name: string) => async () => name;
    await cache.get('a', '1', page('a1'));
    await cache.get('b', '2', page('b1'));
    await cache.get('c', '3', page('c1')); // full: 'a' goes
    expect(await cache.get('b', '2', page('b2'))).toBe('b1');
    expect(await cache.get('c', '3', page('c2'))).toBe('c1');
    expect(await cache.get('a', '1', page('a2'))).toBe('a2');
  });

  it('retires every page on invalidateAll (a staff decision), and renders every time with ttl 0', async () => {
    const { cache, render } = setup();
    await cache.get('a', '1', render);
    cache.invalidateAll();
    expect(await cache.get('a', '1', render)).toBe('page 2');
    const off = setup({ ttlMs: 0 });
    await off.cache.get('a', '1', off.render);
    expect(await off.cache.get('a', '1', off.render)).toBe('page 2');
  });
});
