import { createHash } from 'node:crypto';
import { Queue, Worker, type Job, type Processor } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * BullMQ queue names. The prefix keeps Capstan's keys apart when Redis is shared, and must be the same
 * in every replica: a job added under one prefix is invisible to workers using another.
 */
export const queuePrefix = 'capstan';
export const queueNames = {
  /** One job per sync-operation step; see the application-controller. */
  sync: 'sync',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames] | `sync-${string}`;

/**
 * The sync queue of one destination cluster (by server URL; '' for apps that resolve to none): the
 * replica that owns the cluster is the one working on it. Hashed because BullMQ keys its queues by name.
 */
export function syncQueueName(clusterKey: string): QueueName {
  return `sync-${createHash('sha256').update(clusterKey).digest('hex').slice(0, 20)}`;
}

/** What a sync job carries: the Application it advances. The operation itself lives on the CR. */
export interface SyncJobData {
  readonly appNamespace: string;
  readonly appName: string;
}

/**
 * BullMQ needs its own connections (workers block on them) with no per-request retry limit, so it is
 * given a URL rather than a shared client.
 */
function connection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
}

export interface JobQueue<T> {
  readonly queue: Queue<T>;
  /** `priority`: 1 is the most urgent of prioritised jobs; jobs without one go before all of them. */
  add(name: string, data: T, opts?: { jobId?: string; delayMs?: number; priority?: number }): Promise<Job<T>>;
  close(): Promise<void>;
}

/** A queue to add jobs to; given a client rather than a URL, it shares that connection and leaves it open. */
export function createJobQueue<T>(name: QueueName, redis: string | Redis): JobQueue<T> {
  const conn = typeof redis === 'string' ? connection(redis) : redis;
  const queue = new Queue<T>(name, {
    connection: conn,
    prefix: queuePrefix,
    defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
  });
  return {
    queue,
    add: (jobName, data, opts) =>
      (queue as unknown as Queue<unknown, unknown, string>).add(jobName, data, {
        ...(opts?.jobId === undefined ? {} : { jobId: opts.jobId }),
        ...(opts?.delayMs === undefined ? {} : { delay: opts.delayMs }),
        ...(opts?.priority === undefined ? {} : { priority: opts.priority }),
      }) as Promise<Job<T>>,
    close: async () => {
      await queue.close();
      if (typeof redis === 'string') await conn.quit();
    },
  };
}

export interface JobWorker {
  readonly worker: Worker;
  close(): Promise<void>;
}

export function startJobWorker<T, R>(
  name: QueueName,
  redisUrl: string,
  processor: (job: Job<T>) => Promise<R>,
  opts: {
    concurrency?: number;
    /** How long a job stays claimed without its worker renewing the claim (BullMQ's lockDuration). */
    lockMs?: number;
    /** How often claims that ran out are looked for, and their jobs handed to a live worker. */
    stalledCheckMs?: number;
    /** Stalls a job survives before it is failed. */
    maxStalled?: number;
  } = {},
): JobWorker {
  const conn = connection(redisUrl);
  const worker = new Worker<T, R>(name, processor as Processor<T, R>, {
    connection: conn,
    prefix: queuePrefix,
    concurrency: opts.concurrency ?? 1,
    ...(opts.lockMs === undefined ? {} : { lockDuration: opts.lockMs }),
    ...(opts.stalledCheckMs === undefined ? {} : { stalledInterval: opts.stalledCheckMs }),
    ...(opts.maxStalled === undefined ? {} : { maxStalledCount: opts.maxStalled }),
  });
  return {
    worker,
    close: async () => {
      await worker.close();
      await conn.quit();
    },
  };
}
