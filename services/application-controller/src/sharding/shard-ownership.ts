import type { Redis } from 'ioredis';
import type { Logger } from '@capstan/runtime';
import { assignShards } from './assign-shards.ts';

// Heartbeat: drop members whose lease ran out (by Redis's clock, the one all replicas share), renew ours,
// and return whether ours was missing (first beat, or Redis lost it) followed by who is alive.
const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 10)
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
table.insert(members, 1, tostring(added))
return members`;

// Renew the leases we hold and take those nobody holds; 1 per key we hold afterwards, 0 otherwise.
const HOLD = `
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('GET', key)
  if v == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    out[i] = 1
  elseif not v then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface ShardOwnershipOptions {
  readonly redis: Redis;
  /** Namespace of the install: replicas of two installs sharing a Redis never mix. */
  readonly namespace: string;
  readonly replicaId: string;
  /** How long a lease outlives its last renewal; heartbeats run five times within it. */
  readonly leaseMs: number;
  /** The keys to share out right now (destination clusters, and '' for apps that resolve to none). */
  readonly keys: () => readonly string[];
  /** Called once a key's lease is ours, before anything else treats the key as owned elsewhere. */
  readonly onAcquired: (key: string) => void;
  /** Called when a key stops being ours; the lease is given back only after this settles. */
  readonly onReleased: (key: string) => Promise<void> | void;
  readonly logger: Logger;
  /** Monotonic milliseconds, for the self-fence. */
  readonly monotonicMs?: () => number;
}

/**
 * This replica's share of the clusters. Each key is owned through a Redis lease renewed at every
 * heartbeat; which keys a replica should own comes from `assignShards` over the live replicas. A replica
 * that cannot reach Redis for most of a lease period drops everything it owns on its own (self-fencing),
 * so by the time its leases lapse and another replica takes them it has stopped working on them.
 */
export class ShardOwnership {
  readonly #o: ShardOwnershipOptions;
  readonly #held = new Set<string>();
  readonly #membersKey: string;
  #members: readonly string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #lastOk = Number.NEGATIVE_INFINITY;
  #settled = false;
  #stopped = false;
  #ticking: Promise<void> = Promise.resolve();

  constructor(options: ShardOwnershipOptions) {
    this.#o = options;
    this.#membersKey = `capstan|ctrl-members|${options.namespace}`;
  }

  #leaseKey(key: string): string {
    return `capstan|ctrl-lease|${this.#o.namespace}|${key}`;
  }

  #now(): number {
    return (this.#o.monotonicMs ?? performance.now.bind(performance))();
  }

  get replicaId(): string {
    return this.#o.replicaId;
  }

  owns(key: string): boolean {
    return this.#held.has(key);
  }

  held(): string[] {
    return [...this.#held];
  }

  /** Live replicas at the last heartbeat. */
  members(): readonly string[] {
    return this.#members;
  }

  /** True once a heartbeat has run and this replica holds every key it should. */
  settled(): boolean {
    return this.#settled;
  }

  async start(): Promise<void> {
    // The first beat only announces us; the second takes our share.
    await this.tick();
    await this.tick();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        void this.tick().finally(() => this.#schedule());
      },
      Math.max(100, Math.floor(this.#o.leaseMs / 5)),
    );
  }

  /** One heartbeat: renew, rebalance, take and give back leases. Ticks never overlap. */
  tick(): Promise<void> {
    this.#ticking = this.#ticking.then(() => this.#tick());
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    const { redis, replicaId, leaseMs, logger } = this.#o;
    try {
      const [added, ...members] = (await redis.eval(
        HEARTBEAT,
        1,
        this.#membersKey,
        replicaId,
        leaseMs,
      )) as string[];
      // Our membership was missing: we just started, or Redis was wiped or restarted. Until the others
      // have had a beat to announce themselves again, we only re-take what we hold, so a wipe moves nothing.
      const announcing = added === '1';
      this.#members = members;
      const keys = [...new Set(this.#o.keys())];
      const holderValues = keys.length === 0 ? [] : await redis.mget(keys.map((k) => this.#leaseKey(k)));
      const holders = new Map<string, string>();
      keys.forEach((k, i) => {
        const v = holderValues[i];
        if (typeof v === 'string') holders.set(k, v);
        else if (this.#held.has(k)) holders.set(k, replicaId);
      });
      const assigned = assignShards({ members, keys, holders });
      const assignedToUs = keys.filter((k) => assigned.get(k) === replicaId);
      const wanted = announcing ? assignedToUs.filter((k) => this.#held.has(k)) : assignedToUs;
      // Give back first: work stops before the lease does, so the next owner never overlaps with us.
      for (const key of [...this.#held]) if (!wanted.includes(key)) await this.#release(key);
      if (wanted.length > 0) {
        const got = (await redis.eval(
          HOLD,
          wanted.length,
          ...wanted.map((k) => this.#leaseKey(k)),
          replicaId,
          leaseMs,
        )) as number[];
        for (const [i, key] of wanted.entries()) {
          if (got[i] === 1 && !this.#held.has(key)) {
            this.#held.add(key);
            logger.info('cluster acquired', { cluster: key === '' ? '(unresolved destinations)' : key });
            this.#o.onAcquired(key);
          } else if (got[i] !== 1 && this.#held.has(key)) {
            // Our lease lapsed and someone else has it now: stop at once.
            this.#held.delete(key);
            logger.warn('cluster lease lost to another replica', { cluster: key });
            await this.#o.onReleased(key);
          }
        }
        this.#settled = !announcing && wanted.every((_, i) => got[i] === 1);
      } else this.#settled = !announcing;
      this.#lastOk = this.#now();
    } catch (err) {
      this.#settled = false;
      logger.warn('shard heartbeat failed', { error: (err as Error).message });
      if (this.#held.size > 0 && this.#now() - this.#lastOk > leaseMs * 0.6) {
        logger.warn('no heartbeat for most of a lease period; dropping every cluster', {
          clusters: this.#held.size,
        });
        for (const key of [...this.#held]) {
          this.#held.delete(key);
          await this.#o.onReleased(key);
        }
      }
    }
  }

  async #release(key: string): Promise<void> {
    this.#held.delete(key);
    this.#o.logger.info('cluster handed over', { cluster: key === '' ? '(unresolved destinations)' : key });
    await this.#o.onReleased(key);
    await this.#o.redis.eval(RELEASE, 1, this.#leaseKey(key), this.#o.replicaId).catch(() => undefined);
  }

  /** Leaves the group: work on every key stops, then the leases go back, so others take over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#ticking.catch(() => undefined);
    for (const key of [...this.#held]) await this.#release(key);
    await this.#o.redis.zrem(this.#membersKey, this.#o.replicaId).catch(() => undefined);
  }
}
