/** LruCache: bounded, TTL, single flight, invalidation that beats a load in flight. */
import { expect } from 'chai';
import { LruCache } from '../../src/provider/lru-cache.js';

function cache(maxEntries: number, ttlMs = Number.POSITIVE_INFINITY) {
  const clock = { now: 0 };
  return { clock, lru: new LruCache<string>({ maxEntries, ttlMs, now: () => clock.now }) };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('LruCache', () => {
  it('evicts the least recently used beyond maxEntries; a get counts as a use', () => {
    const { lru } = cache(2);
    lru.set('a', '1');
    lru.set('b', '2');
    expect(lru.get('a')).to.equal('1');
    lru.set('c', '3');
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).to.deep.equal(['1', undefined, '3', 2]);
  });

  it('trusts a value for ttlMs, then no more', () => {
    const { lru, clock } = cache(10, 100);
    lru.set('a', '1');
    clock.now = 99;
    expect(lru.get('a')).to.equal('1');
    clock.now = 100;
    expect(lru.get('a')).to.equal(undefined);
  });

  it('single flight: concurrent loads of a key share one loader call; the value is then cached', async () => {
    const { lru } = cache(10);
    let calls = 0;
    const gate = deferred<string>();
    const loader = () => ((calls += 1), gate.promise);
    const both = Promise.all([lru.load('k', loader), lru.load('k', loader)]);
    gate.resolve('v');
    expect(await both).to.deep.equal(['v', 'v']);
    expect(await lru.load('k', loader)).to.equal('v');
    expect(calls).to.equal(1);
  });

  it('a failed load caches nothing and is not shared with later loads', async () => {
    const { lru } = cache(10);
    let calls = 0;
    await lru.load('k', async () => ((calls += 1), Promise.reject(new Error('boom')))).catch(() => undefined);
    expect(await lru.load('k', async () => ((calls += 1), 'ok'))).to.equal('ok');
    expect(calls).to.equal(2);
  });

  it('delete during a load: the stale result is not stored, and the next load starts anew', async () => {
    const { lru } = cache(10);
    const stale = deferred<string>();
    const first = lru.load('k', () => stale.promise);
    lru.delete('k');
    const second = lru.load('k', async () => 'fresh');
    stale.resolve('stale');
    expect([await first, await second]).to.deep.equal(['stale', 'fresh']);
    expect(lru.get('k')).to.equal('fresh');
    lru.deleteWhere((key) => key === 'k');
    expect(lru.get('k')).to.equal(undefined);
  });

  it('maxEntries 0 is off: nothing stored, every load calls its loader', async () => {
    const { lru } = cache(0);
    let calls = 0;
    lru.set('a', '1');
    await Promise.all([lru.load('k', async () => String((calls += 1))), lru.load('k', async () => String((calls += 1)))]);
    expect([lru.get('a'), lru.size, calls]).to.deep.equal([undefined, 0, 2]);
  });
});
