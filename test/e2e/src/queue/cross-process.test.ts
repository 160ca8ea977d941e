import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobQueue, queueNames, queuePrefix, type SyncJobData } from '@capstan/queue';
import { startRedis, type TestRedis } from '@capstan/testkit';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe('the sync queue', () => {
  it('delivers a job added by one process to a worker in another, over the same Redis', async () => {
    const worker = spawn(
      process.execPath,
      [
        '--conditions=@capstan/source',
        fileURLToPath(new URL('./fixtures/sync-worker.ts', import.meta.url)),
        redis.url,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [first] = (await once(worker.stdout, 'data')) as [Buffer];
      expect(first.toString()).toBe('ready\n');

      const queue = createJobQueue<SyncJobData>(queueNames.sync, redis.url);
      const events = new QueueEvents(queueNames.sync, {
        connection: { url: redis.url },
        prefix: queuePrefix,
      });
      await events.waitUntilReady();
      try {
        const job = await queue.add('sync', { appNamespace: 'argocd', appName: 'guestbook' });
        const result = (await job.waitUntilFinished(events, 15_000)) as { pid: number; app: string };
        expect(result.app).toBe('argocd/guestbook');
        expect(result.pid).toBe(worker.pid);
        expect(result.pid).not.toBe(process.pid);
      } finally {
        await events.close();
        await queue.close();
      }
    } finally {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }
  });
});
