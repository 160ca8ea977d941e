import type { Redis } from 'ioredis';
import {
  createJobQueue,
  startJobWorker,
  syncQueueName,
  type JobQueue,
  type JobWorker,
  type SyncJobData,
} from '@capstan/queue';
import type { Logger } from '@capstan/runtime';
import type { StepOutcome } from './operation-processor.ts';

const lockKey = (ns: string, name: string): string => `capstan|op-lock|${ns}|${name}`;
const pendingKey = (ns: string, name: string): string => `capstan|op-pending|${ns}|${name}`;
const wakeKey = (ns: string, name: string): string => `capstan|op-wake|${ns}|${name}`;

/**
 * A step that comes back after a second or more found nothing to do (hooks or health still pending):
 * such polls queue behind every step that has work, so thousands of waiting operations cannot hold up
 * a sync that is starting or moving (Argo CD deadlocked in exactly that case).
 */
const POLL_AFTER_MS = 1000;
const POLL_PRIORITY = 10;
/** Wake-ups go after steps that start or move an operation, before polls. */
const WAKE_PRIORITY = 5;
/** Polls of an operation that keeps waiting slow down to this; watch events wake it sooner. */
const MAX_POLL_MS = 5000;

const RENEW_OWN =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE_OWN =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface OperationQueueOptions {
  readonly redisUrl: string;
  readonly redis: Redis;
  readonly namespace: string;
  /** Steps run at once on this replica, across all the clusters it owns. */
  readonly concurrency: number;
  /** Which cluster's queue an app's steps go to; undefined when the app is gone. */
  readonly clusterKeyOf: (name: string) => string | undefined;
  /** Whether this replica owns a cluster right now. */
  readonly owns: (clusterKey: string) => boolean;
  /** A replica's hold on a running step lasts this long past its last renewal. */
  readonly leaseMs: number;
  readonly replicaId: string;
  readonly logger: Logger;
  readonly process: (name: string) => Promise<StepOutcome>;
}

/**
 * Operation steps as BullMQ jobs, one queue per destination cluster, worked on by the replica owning the
 * cluster. Each app has at most one job waiting (a pending marker dedupes requests) and at most one step
 * running anywhere (a Redis lock renewed while the step runs, so a killed replica's lock lapses within a
 * lease period). A step that must wait re-queues itself as a delayed job: the wait survives a restart.
 */
export class OperationQueue {
  readonly #o: OperationQueueOptions;
  readonly #producer: Redis;
  readonly #queues = new Map<string, JobQueue<SyncJobData>>();
  readonly #workers = new Map<string, JobWorker>();
  // One budget for all this replica's clusters: owning more clusters must not mean more parallel steps.
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  /** Consecutive polls that found nothing to do, by app. */
  readonly #idlePolls = new Map<string, number>();

  constructor(options: OperationQueueOptions) {
    this.#o = options;
    this.#producer = options.redis.duplicate();
  }

  #queue(clusterKey: string): JobQueue<SyncJobData> {
    let q = this.#queues.get(clusterKey);
    if (q === undefined) {
      q = createJobQueue<SyncJobData>(syncQueueName(clusterKey), this.#producer);
      this.#queues.set(clusterKey, q);
    }
    return q;
  }

  /** Starts working on a cluster's queue (this replica now owns the cluster). */
  startWorking(clusterKey: string): void {
    if (this.#workers.has(clusterKey)) return;
    const lockMs = Math.max(10_000, this.#o.leaseMs * 2);
    const worker = startJobWorker<SyncJobData, void>(
      syncQueueName(clusterKey),
      this.#o.redisUrl,
      (job) => this.#step(clusterKey, job.data),
      {
        concurrency: this.#o.concurrency,
        lockMs,
        // A killed replica's claimed jobs come back within about a lock period.
        stalledCheckMs: Math.floor(lockMs / 2),
        maxStalled: 100,
      },
    );
    worker.worker.on('error', (err) =>
      this.#o.logger.warn('operation worker error', { cluster: clusterKey, error: err.message }),
    );
    this.#workers.set(clusterKey, worker);
  }

  /** Stops working on a cluster's queue; resolves once the steps under way have finished. */
  async stopWorking(clusterKey: string): Promise<void> {
    const worker = this.#workers.get(clusterKey);
    if (worker === undefined) return;
    this.#workers.delete(clusterKey);
    await worker.close();
  }

  async #acquireSlot(): Promise<void> {
    if (this.#running < this.#o.concurrency) {
      this.#running++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #releaseSlot(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#running--;
  }

  async #step(clusterKey: string, data: SyncJobData): Promise<void> {
    const { appNamespace: ns, appName: name } = data;
    const { redis, logger, leaseMs } = this.#o;
    // From here on a new request or wake-up needs a step of its own.
    await redis.del(pendingKey(ns, name), wakeKey(ns, name));
    const key = this.#o.clusterKeyOf(name);
    if (key === undefined) return;
    if (key !== clusterKey || !this.#o.owns(key)) {
      // The app moved to another cluster, or this cluster to another replica: hand the step over.
      await this.enqueue(name, key === clusterKey ? 1000 : 0);
      return;
    }
    await this.#acquireSlot();
    let outcome: StepOutcome;
    try {
      const token = `${this.#o.replicaId}-${Math.random().toString(36).slice(2)}`;
      const locked = await redis.set(lockKey(ns, name), token, 'PX', leaseMs, 'NX');
      if (locked !== 'OK') {
        await this.enqueue(name, 1000);
        return;
      }
      const renew = setInterval(
        () => void redis.eval(RENEW_OWN, 1, lockKey(ns, name), token, leaseMs).catch(() => undefined),
        Math.max(100, Math.floor(leaseMs / 3)),
      );
      try {
        outcome = await this.#o.process(name);
      } catch (err) {
        logger.warn('operation step failed; retrying', { app: name, error: (err as Error).message });
        outcome = { requeueMs: 2000 };
      } finally {
        clearInterval(renew);
        await redis.eval(RELEASE_OWN, 1, lockKey(ns, name), token).catch(() => undefined);
      }
    } finally {
      this.#releaseSlot();
    }
    if (!('requeueMs' in outcome)) {
      this.#idlePolls.delete(name);
      return;
    }
    if (outcome.requeueMs < POLL_AFTER_MS) {
      this.#idlePolls.delete(name);
      await this.enqueue(name, outcome.requeueMs);
      return;
    }
    const polls = (this.#idlePolls.get(name) ?? 0) + 1;
    this.#idlePolls.set(name, polls);
    const delay = Math.min(MAX_POLL_MS, Math.max(outcome.requeueMs, POLL_AFTER_MS * polls));
    await this.enqueue(name, delay, POLL_PRIORITY);
  }

  /**
   * Something the app's running operation may be waiting for changed (a hook finished, a resource became
   * healthy): run a step soon rather than at the next poll. At most one wake-up waits per app.
   */
  async wake(name: string): Promise<void> {
    const ns = this.#o.namespace;
    const clusterKey = this.#o.clusterKeyOf(name);
    if (clusterKey === undefined) return;
    this.#idlePolls.delete(name);
    if ((await this.#o.redis.set(wakeKey(ns, name), '1', 'PX', 30_000, 'NX')) !== 'OK') return;
    await this.#queue(clusterKey).add(
      'step',
      { appNamespace: ns, appName: name },
      { priority: WAKE_PRIORITY },
    );
  }

  /** Asks for a step of the app's operation (or deletion); a request already waiting absorbs this one. */
  async enqueue(name: string, delayMs = 0, priority?: number): Promise<void> {
    const ns = this.#o.namespace;
    const clusterKey = this.#o.clusterKeyOf(name);
    if (clusterKey === undefined) return;
    const fresh = await this.#o.redis.set(
      pendingKey(ns, name),
      '1',
      'PX',
      Math.max(delayMs, 0) + 30_000,
      'NX',
    );
    if (fresh !== 'OK') return;
    await this.#queue(clusterKey).add(
      'step',
      { appNamespace: ns, appName: name },
      {
        ...(delayMs > 0 ? { delayMs } : {}),
        ...(priority === undefined ? {} : { priority }),
      },
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.#workers.keys()].map((k) => this.stopWorking(k)));
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
    this.#queues.clear();
    await this.#producer.quit().catch(() => undefined);
  }
}
