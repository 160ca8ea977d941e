// ShardOwnership against a real redis-server: replicas share keys, hand them over, and fence themselves.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@capstan/runtime';
import { startRedis, type TestRedis } from '@capstan/testkit';
import { ShardOwnership } from './shard-ownership.ts';

const keys = ['', 'https://a:6443', 'https://b:6443', 'https://c:6443', 'https://d:6443', 'https://e:6443'];
const logger = createLogger({ level: 'error', base: { service: 'shard-ownership-test' } });

interface Replica {
  readonly id: string;
  readonly ownership: ShardOwnership;
  readonly redis: Redis;
  readonly log: { at: number; event: 'acquired' | 'released'; key: string }[];
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  await redis.stop();
});

function replica(namespace: string, id: string, leaseMs = 1000): Replica {
  const conn = new Redis(redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const log: Replica['log'] = [];
  const ownership = new ShardOwnership({
    redis: conn,
    namespace,
    replicaId: id,
    leaseMs,
    keys: () => keys,
    logger,
    onAcquired: (key) => log.push({ at: Date.now(), event: 'acquired', key }),
    onReleased: (key) => void log.push({ at: Date.now(), event: 'released', key }),
  });
  return { id, ownership, redis: conn, log };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

function owners(replicas: readonly Replica[]): Map<string, string[]> {
  const out = new Map<string, string[]>(keys.map((k) => [k, []]));
  for (const r of replicas) for (const k of r.ownership.held()) out.get(k)?.push(r.id);
  return out;
}

const balanced = (replicas: readonly Replica[]): boolean =>
  [...owners(replicas).values()].every((o) => o.length === 1) && replicas.every((r) => r.ownership.settled());

describe('ShardOwnership', () => {
  it('shares the keys out, one owner each, and a replica that leaves moves only its own', async () => {
    const rs = ['r0', 'r1', 'r2'].map((id) => replica('share', id));
    try {
      await Promise.all(rs.map((r) => r.ownership.start()));
      await until('every key has one owner and the load is even', () => {
        return balanced(rs) && rs.every((r) => r.ownership.held().length === 2);
      });
      const before = owners(rs);
      const leaving = rs[1] as Replica;
      await leaving.ownership.stop();
      const rest = [rs[0] as Replica, rs[2] as Replica];
      await until('the leaver’s keys have new owners', () => balanced(rest), 5000);
      for (const [key, [owner]] of owners(rest)) {
        const was = before.get(key)?.[0];
        if (was !== leaving.id) expect(owner, `key ${key} should not move`).toBe(was);
      }
      // Nobody else gave anything up while the leaver's keys moved.
      expect(rest.flatMap((r) => r.log.filter((l) => l.event === 'released'))).toEqual([]);
    } finally {
      for (const r of rs) {
        await r.ownership.stop();
        r.redis.disconnect();
      }
    }
  }, 30_000);

  it('a replica cut off from Redis stops working on its keys before anyone else takes them', async () => {
    const rs = ['r0', 'r1'].map((id) => replica('fence', id));
    try {
      await Promise.all(rs.map((r) => r.ownership.start()));
      await until('settled', () => balanced(rs));
      const cut = rs[0] as Replica;
      const theirs = cut.ownership.held();
      expect(theirs.length).toBe(3);
      cut.redis.disconnect();
      const other = rs[1] as Replica;
      await until('the other replica owns everything', () => other.ownership.held().length === keys.length);
      expect(cut.ownership.held()).toEqual([]);
      for (const key of theirs) {
        const dropped = cut.log.find((l) => l.event === 'released' && l.key === key);
        const taken = other.log.find((l) => l.event === 'acquired' && l.key === key);
        expect(dropped, `the cut-off replica should drop ${key}`).toBeDefined();
        expect(taken).toBeDefined();
        expect(dropped!.at).toBeLessThan(taken!.at);
      }
    } finally {
      for (const r of rs) {
        await r.ownership.stop();
        r.redis.disconnect();
      }
    }
  }, 30_000);

  it('keeps every key through a FLUSHALL', async () => {
    const rs = ['r0', 'r1'].map((id) => replica('flush', id));
    try {
      await Promise.all(rs.map((r) => r.ownership.start()));
      await until('settled', () => balanced(rs));
      const before = owners(rs);
      const admin = new Redis(redis.url);
      await admin.flushall();
      await admin.quit();
      await sleep(1000);
      expect(owners(rs)).toEqual(before);
      expect(rs.flatMap((r) => r.log.filter((l) => l.event === 'released'))).toEqual([]);
      const leases = await rs[0]!.redis.keys('capstan|ctrl-lease|flush|*');
      expect(leases.length).toBe(keys.length);
    } finally {
      for (const r of rs) {
        await r.ownership.stop();
        r.redis.disconnect();
      }
    }
  }, 30_000);
});
