import { Worker } from 'node:worker_threads';
import { UnavailableError } from '@capstan/errors';
import type { LuaExecutor } from './lua-executor.ts';
import type { LuaLimits, LuaOutcome, LuaRun } from './lua-vm.ts';

export interface WorkerExecutorOptions {
  readonly limits: LuaLimits;
  /** Worker threads kept at most. */
  readonly maxWorkers: number;
  /** Longest one evaluation may keep its worker busy before the worker is terminated. */
  readonly hardTimeoutMs: number;
  /** Longest a worker may take to load the Lua runtime. */
  readonly startTimeoutMs: number;
  /** Evaluations sent to a worker in one message. */
  readonly batchSize: number;
}

interface Job {
  readonly id: number;
  readonly run: LuaRun;
  resolve(outcome: LuaOutcome): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  /** Sent and not yet answered, oldest first: the head is the one running. */
  jobs: Job[];
  timer?: ReturnType<typeof setTimeout> | undefined;
}

type WorkerMessage =
  | { ready: true }
  | { ready: false; error: string }
  | { results: readonly { id: number; outcome: LuaOutcome }[] }
  | { id: number; fatal: string };

function workerUrl(): URL {
  // Sources run as .ts (type stripping), the build as .js: the worker sits beside this module either way.
  return new URL(import.meta.url.endsWith('.ts') ? './lua-worker.ts' : './lua-worker.js', import.meta.url);
}

/**
 * Lua states in worker threads, started on demand and unref'd while idle. Queued evaluations go out in
 * batches; the worker reports progress at least every few milliseconds between evaluations and each report
 * re-arms its timer, so `hardTimeoutMs` bounds every single evaluation. A
 * worker that overruns is terminated: its running evaluation resolves as a timeout, the rest of its batch
 * goes back to the front of the queue, and a replacement starts when there is work.
 */
export class WorkerExecutor implements LuaExecutor {
  private readonly options: WorkerExecutorOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: WorkerExecutorOptions) {
    this.options = options;
  }

  execute(run: LuaRun): Promise<LuaOutcome> {
    if (this.closed) return Promise.reject(new UnavailableError('Lua sandbox is closed'));
    return new Promise<LuaOutcome>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, run, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = new UnavailableError('Lua sandbox is closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    await Promise.all([...this.slots].map((slot) => this.kill(slot, error, 'fail')));
  }

  private pump(): void {
    if (this.closed) return;
    const idle = this.slots.filter((slot) => slot.state === 'idle');
    for (const [index, slot] of idle.entries()) {
      if (this.queue.length === 0) return;
      // Share the queue among the idle workers rather than handing it all to the first.
      const share = Math.ceil(this.queue.length / (idle.length - index));
      this.dispatch(slot, this.queue.splice(0, Math.min(this.options.batchSize, share)));
    }
    if (this.queue.length === 0) return;
    const starting = this.slots.some((slot) => slot.state === 'starting');
    if (this.slots.length < this.options.maxWorkers && !starting) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(workerUrl(), { workerData: { limits: this.options.limits } });
    const slot: Slot = { worker, state: 'starting', jobs: [] };
    this.slots.push(slot);
    slot.timer = setTimeout(() => {
      void this.kill(
        slot,
        new UnavailableError(`Lua worker did not start within ${this.options.startTimeoutMs} ms`),
        'fail-queue',
      );
    }, this.options.startTimeoutMs);
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error) => {
      void this.kill(
        slot,
        new UnavailableError('Lua worker failed', { cause: error }),
        slot.state === 'starting' ? 'fail-queue' : 'requeue',
      );
    });
    worker.on('exit', () => {
      void this.kill(
        slot,
        new UnavailableError('Lua worker exited'),
        slot.state === 'starting' ? 'fail-queue' : 'requeue',
      );
    });
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    if (slot.state === 'dead') return;
    if ('ready' in message) {
      clearTimeout(slot.timer);
      if (!message.ready) {
        void this.kill(
          slot,
          new UnavailableError(`Lua runtime could not be loaded: ${message.error}`),
          'fail-queue',
        );
        return;
      }
      slot.state = 'idle';
      slot.worker.unref();
      this.pump();
      return;
    }
    if ('fatal' in message) {
      if (slot.jobs[0]?.id === message.id) {
        void this.kill(slot, new UnavailableError(`the Lua runtime failed: ${message.fatal}`), 'requeue');
      }
      return;
    }
    for (const result of message.results) {
      if (slot.jobs[0]?.id !== result.id) break;
      slot.jobs.shift()?.resolve(result.outcome);
    }
    this.arm(slot);
  }

  private dispatch(slot: Slot, jobs: Job[]): void {
    slot.state = 'busy';
    slot.jobs = jobs;
    // Held while evaluations run, so a short-lived process still waits for their answers.
    slot.worker.ref();
    try {
      slot.worker.postMessage({ items: jobs.map((job) => ({ id: job.id, run: job.run })) });
    } catch (error) {
      // Only plain data crosses to the worker; anything else fails these evaluations, not the worker.
      slot.jobs = [];
      for (const job of jobs)
        job.reject(new UnavailableError('could not pass the object to the Lua worker', { cause: error }));
    }
    this.arm(slot);
  }

  /** Times the evaluation at the head of the batch; with the batch done, the worker goes idle. */
  private arm(slot: Slot): void {
    clearTimeout(slot.timer);
    if (slot.jobs.length === 0) {
      slot.state = 'idle';
      slot.worker.unref();
      this.pump();
      return;
    }
    slot.timer = setTimeout(() => {
      const [running, ...waiting] = slot.jobs.splice(0);
      this.queue.unshift(...waiting);
      running?.resolve({
        ok: false,
        failure: {
          reason: 'timeout',
          message: `Lua script did not finish within ${this.options.hardTimeoutMs} ms`,
        },
      });
      void this.kill(slot, new UnavailableError('Lua worker terminated'), 'requeue');
    }, this.options.hardTimeoutMs);
  }

  /**
   * Removes a worker. The evaluation it was running fails with `error`; the rest of its batch goes back to
   * the queue (`requeue`) or fails too, and with `fail-queue` so does everything queued, as when no worker
   * can start at all.
   */
  private async kill(slot: Slot, error: Error, mode: 'requeue' | 'fail' | 'fail-queue'): Promise<void> {
    if (slot.state === 'dead') return;
    slot.state = 'dead';
    clearTimeout(slot.timer);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    const [running, ...waiting] = slot.jobs.splice(0);
    running?.reject(error);
    if (mode === 'requeue' && !this.closed) this.queue.unshift(...waiting);
    else for (const job of waiting) job.reject(error);
    if (mode === 'fail-queue') for (const job of this.queue.splice(0)) job.reject(error);
    this.pump();
    await slot.worker.terminate();
  }
}
