import type { Redis } from 'ioredis';
import {
  createJobQueue,
  queueNames,
  startJobWorker,
  type JobQueue,
  type JobWorker,
  type SyncJobData,
} from '@capstan/queue';
import type { Logger } from '@capstan/runtime';
import type { StepOutcome } from './operation-processor.ts';

const lockKey = (ns: string, name: string): string => `capstan|op-lock|${ns}|${name}`;
const pendingKey = (ns: string, name: string): string => `capstan|op-pending|${ns}|${name}`;

/**
 * Operation steps as BullMQ jobs. Each app has at most one job waiting (a pending marker dedupes
 * requests) and at most one running anywhere (a Redis lock with a lease), so no operation ever runs on
 * two workers at once, and a step that must wait re-queues itself as a delayed job: the wait survives
 * a restart of the controller.
 */
export class OperationQueue {
  readonly #queue: JobQueue<SyncJobData>;
  readonly #worker: JobWorker;
  readonly #redis: Redis;
  readonly #namespace: string;
  readonly #lockMs = 120_000;

  constructor(options: {
    redisUrl: string;
    redis: Redis;
    namespace: string;
    concurrency: number;
    logger: Logger;
    process: (name: string) => Promise<StepOutcome>;
  }) {
    this.#redis = options.redis;
    this.#namespace = options.namespace;
    this.#queue = createJobQueue<SyncJobData>(queueNames.sync, options.redisUrl);
    this.#worker = startJobWorker<SyncJobData, void>(
      queueNames.sync,
      options.redisUrl,
      async (job) => {
        const { appNamespace: ns, appName: name } = job.data;
        await this.#redis.del(pendingKey(ns, name));
        const token = `${process.pid}-${job.id ?? ''}`;
        const locked = await this.#redis.set(lockKey(ns, name), token, 'PX', this.#lockMs, 'NX');
        if (locked !== 'OK') {
          await this.enqueue(name, 1000);
          return;
        }
        let outcome: StepOutcome;
        try {
          outcome = await options.process(name);
        } catch (err) {
          options.logger.warn('operation step failed; retrying', {
            app: name,
            error: (err as Error).message,
          });
          outcome = { requeueMs: 2000 };
        } finally {
          // Release only our own lock.
          await this.#redis.eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
            1,
            lockKey(ns, name),
            token,
          );
        }
        if ('requeueMs' in outcome) await this.enqueue(name, outcome.requeueMs);
      },
      { concurrency: options.concurrency },
    );
    this.#worker.worker.on('error', (err) =>
      options.logger.warn('operation worker error', { error: err.message }),
    );
  }

  /** Asks for a step of the app's operation (or deletion); a request already waiting absorbs this one. */
  async enqueue(name: string, delayMs = 0): Promise<void> {
    const ns = this.#namespace;
    const fresh = await this.#redis.set(pendingKey(ns, name), '1', 'PX', Math.max(delayMs, 0) + 30_000, 'NX');
    if (fresh !== 'OK') return;
    await this.#queue.add('step', { appNamespace: ns, appName: name }, delayMs > 0 ? { delayMs } : {});
  }

  async close(): Promise<void> {
    await this.#worker.close();
    await this.#queue.close();
  }
}
