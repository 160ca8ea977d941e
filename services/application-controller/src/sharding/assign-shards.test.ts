import { describe, expect, it } from 'vitest';
import { assignShards } from './assign-shards.ts';

const clusters = (n: number): string[] => Array.from({ length: n }, (_, i) => `https://c${i}.example:6443`);
const replicas = (n: number): string[] => Array.from({ length: n }, (_, i) => `controller-${i}`);
const loads = (a: Map<string, string>): number[] => {
  const counts = new Map<string, number>();
  for (const m of a.values()) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts.values()].sort((x, y) => x - y);
};

describe('assignShards', () => {
  it('gives every key to exactly one live replica, nobody above ceil(keys/members)', () => {
    const a = assignShards({ members: replicas(3), keys: clusters(10), holders: new Map() });
    expect(a.size).toBe(10);
    expect(Math.max(...loads(a))).toBeLessThanOrEqual(4);
    expect(new Set(a.values()).size).toBe(3);
  });

  it('is the same whatever order the view lists things in', () => {
    const keys = clusters(7);
    const a = assignShards({ members: replicas(3), keys, holders: new Map() });
    const b = assignShards({ members: replicas(3).reverse(), keys: [...keys].reverse(), holders: new Map() });
    expect([...b].sort()).toEqual([...a].sort());
  });

  it('moves only the keys of a replica that leaves', () => {
    const keys = clusters(12);
    const before = assignShards({ members: replicas(4), keys, holders: new Map() });
    const after = assignShards({
      members: ['controller-0', 'controller-1', 'controller-3'],
      keys,
      holders: before,
    });
    for (const [key, owner] of before)
      if (owner !== 'controller-2') expect(after.get(key)).toBe(owner);
      else expect(after.get(key)).not.toBe('controller-2');
    expect(Math.max(...loads(after))).toBeLessThanOrEqual(4);
  });

  it('lets a joining replica take only the excess of the others', () => {
    const keys = clusters(9);
    const before = assignShards({ members: replicas(2), keys, holders: new Map() });
    const after = assignShards({ members: replicas(3), keys, holders: before });
    const moved = [...after].filter(([key, owner]) => before.get(key) !== owner);
    expect(moved.every(([, owner]) => owner === 'controller-2')).toBe(true);
    expect(loads(after)).toEqual([3, 3, 3]);
  });

  it('ignores holders that are no longer alive', () => {
    const a = assignShards({
      members: ['a'],
      keys: ['x', 'y'],
      holders: new Map([['x', 'dead']]),
    });
    expect([...a.values()]).toEqual(['a', 'a']);
  });

  it('owns nothing when nobody is alive', () => {
    expect(assignShards({ members: [], keys: ['x'], holders: new Map() }).size).toBe(0);
  });
});
