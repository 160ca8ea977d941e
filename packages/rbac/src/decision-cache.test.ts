import { describe, expect, it } from 'vitest';
import { DecisionCache } from './decision-cache.ts';
import type { RbacRequest } from './rbac-request.ts';

const req = (object: string, subject = 'u', groups: string[] = []): RbacRequest => ({
  subject,
  groups,
  resource: 'applications',
  action: 'get',
  object,
});

describe('DecisionCache', () => {
  it('rounds its capacity up to whole sets of 8', () => {
    expect(new DecisionCache(2).capacity).toBe(8);
    expect(new DecisionCache(50_000).capacity).toBe(65_536);
    expect(new DecisionCache(0).capacity).toBe(0);
  });

  it('evicts the least recently used entry of a set', () => {
    const cache = new DecisionCache(8); // one set: an exact LRU of 8 entries
    for (let i = 0; i < 8; i++) cache.set(req(`o${i}`), i % 2 === 0);
    expect(cache.get(req('o0'))).toBe(true); // o0 is now the most recent, o1 the least
    cache.set(req('o8'), true);
    expect(cache.get(req('o1'))).toBeUndefined();
    expect(cache.get(req('o0'))).toBe(true);
    expect(cache.get(req('o8'))).toBe(true);
    expect(cache.get(req('o7'))).toBe(false);
    expect(cache.size).toBe(8);
    expect(cache.stats).toEqual({ hits: 4, misses: 1 });
  });

  it('stores false decisions too, and clears', () => {
    const cache = new DecisionCache(10);
    cache.set(req('k'), false);
    expect(cache.get(req('k'))).toBe(false);
    cache.clear();
    expect(cache.get(req('k'))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('tells requests apart by every part, groups compared as lists', () => {
    const cache = new DecisionCache(100);
    cache.set({ subject: 'a', groups: ['b'], resource: 'applications', action: 'get', object: 'p/x' }, true);
    const misses: RbacRequest[] = [
      { subject: 'a', groups: [], resource: 'applications', action: 'get', object: 'p/x' },
      { subject: 'a', groups: ['b', ''], resource: 'applications', action: 'get', object: 'p/x' },
      { subject: 'a', groups: ['c'], resource: 'applications', action: 'get', object: 'p/x' },
      { subject: 'ab', groups: [], resource: 'applications', action: 'get', object: 'p/x' },
      { subject: 'a', groups: ['b'], resource: 'application', action: 'sget', object: 'p/x' },
      { subject: 'a', groups: ['b'], resource: 'applications', action: 'get', object: 'p/y' },
    ];
    for (const m of misses) expect(cache.get(m)).toBeUndefined();
    expect(
      cache.get({ subject: 'a', groups: ['b'], resource: 'applications', action: 'get', object: 'p/x' }),
    ).toBe(true);
    // A missing groups list is the empty list.
    cache.set({ subject: 'z', resource: 'r', action: 'a', object: 'o' }, true);
    expect(cache.get({ subject: 'z', groups: [], resource: 'r', action: 'a', object: 'o' })).toBe(true);
  });

  it('does not keep the caller’s groups array', () => {
    const cache = new DecisionCache(10);
    const groups = ['g'];
    cache.set(req('o', 'u', groups), true);
    expect(cache.get(req('o', 'u', groups))).toBe(true);
    groups[0] = 'admins';
    // The same array, now with other contents: not the cached principal.
    expect(cache.get(req('o', 'u', groups))).toBeUndefined();
    expect(cache.get(req('o', 'u', ['admins']))).toBeUndefined();
    expect(cache.get(req('o', 'u', ['g']))).toBe(true);
  });

  it('agrees with a reference LRU on a long random sequence, across subjects, groups and objects', () => {
    let seed = 1;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const capacity = 8;
    const cache = new DecisionCache(capacity); // one set, so exactly LRU
    const reference: [string, boolean][] = []; // most recent last
    for (let i = 0; i < 20_000; i++) {
      const s = Math.floor(random() * 3);
      const g = Math.floor(random() * 2);
      const o = Math.floor(random() * 4);
      const request = req(`o${o}`, `s${s}`, g === 0 ? [] : ['g']);
      const key = `${s}/${g}/${o}`;
      const at = reference.findIndex(([k]) => k === key);
      if (random() < 0.5) {
        const want = at < 0 ? undefined : reference[at]![1];
        if (at >= 0) reference.push(reference.splice(at, 1)[0]!);
        expect(cache.get(request)).toBe(want);
      } else {
        const value = random() < 0.5;
        if (at >= 0) reference.splice(at, 1);
        reference.push([key, value]);
        if (reference.length > capacity) reference.shift();
        cache.set(request, value);
      }
      expect(cache.size).toBe(reference.length);
    }
  });

  it('forgets a principal with its last entry, and can take it again', () => {
    const cache = new DecisionCache(8);
    cache.set(req('a', 'old'), true);
    for (let i = 0; i < 8; i++) cache.set(req(`o${i}`, 'new'), false);
    expect(cache.get(req('a', 'old'))).toBeUndefined();
    cache.set(req('a', 'old'), false);
    expect(cache.get(req('a', 'old'))).toBe(false);
  });

  it('spreads a large working set over its sets', () => {
    const cache = new DecisionCache(4096);
    for (let i = 0; i < 3000; i++) cache.set(req(`team-${i % 20}/app-${i}`, `user-${i % 300}`), i % 3 === 0);
    let hits = 0;
    for (let i = 0; i < 3000; i++)
      if (cache.get(req(`team-${i % 20}/app-${i}`, `user-${i % 300}`)) === (i % 3 === 0)) hits++;
    // 3,000 entries in 4,096 slots: only set overflows are lost.
    expect(hits).toBeGreaterThan(2800);
  });
});
