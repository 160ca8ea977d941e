import { Worker } from 'node:worker_threads';
import {
  DeadlineExceededError,
  InvalidArgumentError,
  ResourceExhaustedError,
  UnavailableError,
} from '@capstan/errors';
import { isPlainObject, type JsonObject } from './json-value.ts';

/** Runs a jq filter over a JSON object and returns its single output object. */
export interface JqRunner {
  run(input: JsonObject, filter: string): Promise<JsonObject>;
}

export interface JqPoolOptions {
  /** Longest a single filter may run before its worker is terminated. @default 1000 */
  timeoutMs?: number;
  /** Worker threads kept at most. @default 2 */
  maxWorkers?: number;
  /** Longest a worker may take to load jq. @default 30000 */
  startTimeoutMs?: number;
  /** Timer source, injectable for tests. @default setTimeout/clearTimeout */
  timers?: {
    set(fn: () => void, ms: number): unknown;
    clear(handle: unknown): void;
  };
}

interface Job {
  readonly id: number;
  readonly input: string;
  readonly filter: string;
  resolve(output: string): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  job?: Job | undefined;
  timer?: unknown;
}

type WorkerMessage =
  | { ready: true }
  | { ready: false; error: string }
  | { id: number; ok: true; output: string }
  | { id: number; ok: false; error: string };

const defaultTimers = {
  set: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clear: (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function workerUrl(): URL {
  // Sources run as .ts (type stripping), the build as .js: the worker sits beside this module either way.
  return new URL(import.meta.url.endsWith('.ts') ? './jq-worker.ts' : './jq-worker.js', import.meta.url);
}

/**
 * A small pool of jq worker threads, started on first use and unref'd while idle so they never hold the
 * process open. A filter still running after `timeoutMs` has its worker terminated (a replacement starts on
 * demand) and its promise rejected with a DeadlineExceeded error; jq errors reject with InvalidArgument, and a
 * filter that exhausts jq's (bounded) wasm memory with ResourceExhausted.
 */
export class JqPool implements JqRunner {
  private readonly timeoutMs: number;
  private readonly maxWorkers: number;
  private readonly startTimeoutMs: number;
  private readonly timers: NonNullable<JqPoolOptions['timers']>;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: JqPoolOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.maxWorkers = Math.max(1, options.maxWorkers ?? 2);
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.timers = options.timers ?? defaultTimers;
  }

  async run(input: JsonObject, filter: string): Promise<JsonObject> {
    const output = await this.runRaw(JSON.stringify(input), filter);
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    if (lines.length !== 1) {
      throw new InvalidArgumentError(
        lines.length === 0 ? 'jq filter returned no output' : 'jq filter returned multiple outputs',
      );
    }
    const value: unknown = JSON.parse(lines[0] ?? 'null');
    if (!isPlainObject(value)) throw new InvalidArgumentError('jq filter did not return an object');
    return value;
  }

  /** The filter's raw, compact (`-c`) output. */
  runRaw(input: string, filter: string): Promise<string> {
    if (this.closed) return Promise.reject(new UnavailableError('jq pool is closed'));
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, filter, resolve, reject });
      this.pump();
    });
  }

  /** Terminates every worker; queued and running filters are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new UnavailableError('jq pool is closed'));
    await Promise.all(
      this.slots.splice(0).map((slot) => this.kill(slot, new UnavailableError('jq pool is closed'))),
    );
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const idle = this.slots.find((slot) => slot.state === 'idle');
      if (idle !== undefined) {
        this.dispatch(idle, this.queue.shift() as Job);
        continue;
      }
      // Start another worker only when none is already starting to take the next job.
      if (this.slots.length < this.maxWorkers && !this.slots.some((s) => s.state === 'starting'))
        this.spawn();
      return;
    }
  }

  private spawn(): void {
    // jq's own diagnostics (it prints to stderr) are drained here: errors come back in the reply instead.
    const worker = new Worker(workerUrl(), { stdout: true, stderr: true });
    worker.stdout.resume();
    worker.stderr.resume();
    const slot: Slot = { worker, state: 'starting' };
    this.slots.push(slot);
    slot.timer = this.timers.set(() => {
      void this.kill(
        slot,
        new UnavailableError(`jq worker did not start within ${this.startTimeoutMs} ms`),
        true,
      );
    }, this.startTimeoutMs);
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error) => {
      void this.kill(
        slot,
        new UnavailableError('jq worker failed', { cause: error }),
        slot.state === 'starting',
      );
    });
    worker.on('exit', () => {
      if (slot.state !== 'dead') void this.kill(slot, new UnavailableError('jq worker exited'));
    });
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    if ('ready' in message) {
      this.timers.clear(slot.timer);
      if (!message.ready) {
        void this.kill(slot, new UnavailableError(`jq could not be loaded: ${message.error}`), true);
        return;
      }
      slot.state = 'idle';
      slot.worker.unref();
      this.pump();
      return;
    }
    const job = slot.job;
    if (job === undefined || job.id !== message.id) return;
    if (!message.ok && message.error.includes('Aborted(')) {
      // jq ran out of wasm memory: the module is unusable after an abort, so the worker is replaced.
      void this.kill(slot, new ResourceExhaustedError('jq filter ran out of memory'));
      return;
    }
    this.timers.clear(slot.timer);
    slot.job = undefined;
    slot.state = 'idle';
    slot.worker.unref();
    if (message.ok) job.resolve(message.output);
    else
      job.reject(
        new InvalidArgumentError(`jq: ${message.error.replace(/^Failed to execute raw query: /, '')}`),
      );
    this.pump();
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.state = 'busy';
    slot.job = job;
    // Held while a filter runs, so a short-lived process still waits for its answer.
    slot.worker.ref();
    slot.timer = this.timers.set(() => {
      void this.kill(slot, new DeadlineExceededError(`jq filter timed out after ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    slot.worker.postMessage({ id: job.id, input: job.input, filter: job.filter });
  }

  /** Removes a worker; its running job fails with `error`, and so does the queue when jq cannot start at all. */
  private async kill(slot: Slot, error: Error, failQueue = false): Promise<void> {
    if (slot.state === 'dead') return;
    slot.state = 'dead';
    this.timers.clear(slot.timer);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    slot.job?.reject(error);
    slot.job = undefined;
    if (failQueue) for (const job of this.queue.splice(0)) job.reject(error);
    if (!this.closed) this.pump();
    await slot.worker.terminate();
  }
}

let shared: JqPool | undefined;

/** The process-wide pool used when no runner is passed (default timeout, two workers). */
export function sharedJqPool(): JqPool {
  shared ??= new JqPool();
  return shared;
}
