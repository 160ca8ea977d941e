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
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

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
  add(name: string, data: T, opts?: { jobId?: string; delayMs?: number }): Promise<Job<T>>;
  close(): Promise<void>;
}

export function createJobQueue<T>(name: QueueName, redisUrl: string): JobQueue<T> {
  const conn = connection(redisUrl);
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
      }) as Promise<Job<T>>,
    close: async () => {
      await queue.close();
      await conn.quit();
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
  opts: { concurrency?: number } = {},
): JobWorker {
  const conn = connection(redisUrl);
  const worker = new Worker<T, R>(name, processor as Processor<T, R>, {
    connection: conn,
    prefix: queuePrefix,
    concurrency: opts.concurrency ?? 1,
  });
  return {
    worker,
    close: async () => {
      await worker.close();
      await conn.quit();
    },
  };
}
