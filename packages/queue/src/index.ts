export {
  queuePrefix,
  queueNames,
  type QueueName,
  type SyncJobData,
  type JobQueue,
  type JobWorker,
  createJobQueue,
  startJobWorker,
  syncQueueName,
} from './queues.ts';
export type { Job } from 'bullmq';
