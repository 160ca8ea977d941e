import {
  CapstanError,
  InvalidArgumentError,
  type CapstanErrorOptions,
  type ErrorCode,
} from '@capstan/errors';
import { InlineExecutor } from './inline-executor.ts';
import type { LuaExecutor } from './lua-executor.ts';
import type { LuaFailure, LuaLimits, LuaRun, RawHealth } from './lua-vm.ts';
import { WorkerExecutor } from './worker-executor.ts';

export const HEALTH_STATUS_CODES = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
] as const;

export type LuaHealthStatusCode = (typeof HEALTH_STATUS_CODES)[number];

export interface LuaHealth {
  readonly status: LuaHealthStatusCode;
  readonly message?: string;
}

export interface LuaSandboxOptions {
  /** VM instructions one evaluation may execute. @default 10_000_000 */
  readonly instructionLimit?: number;
  /** Wall time one evaluation may take. @default 1000 (Argo CD's limit) */
  readonly timeoutMs?: number;
  /** Memory one evaluation may allocate, its input object included. @default 32 MiB */
  readonly memoryLimitBytes?: number;
  /**
   * `worker` (default) runs Lua in worker threads, so even a native call that never returns is stopped (the
   * worker is terminated); `inline` runs it on the calling thread, cheaper, with the same Lua-level limits.
   */
  readonly isolation?: 'worker' | 'inline';
  /** Worker threads kept at most. @default 2 */
  readonly maxWorkers?: number;
  /** When a worker is terminated for an evaluation that will not return. @default timeoutMs + 1000 */
  readonly hardTimeoutMs?: number;
  /** Longest a worker may take to load the Lua runtime. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Evaluations sent to a worker in one message. @default 32 */
  readonly batchSize?: number;
  /** Clock read by `os.time()` / `os.date()` when a script has the safe os functions. @default Date.now */
  readonly now?: () => number;
}

export interface LuaRunOptions {
  /**
   * Argo CD's `useOpenLibs`: adds the clock-only `os.time`, `os.date`, `os.clock`, `os.difftime`, plus
   * `utf8` and `coroutine`. Never io, the rest of os, require, load or debug.
   */
  readonly openLibs?: boolean;
  /** Names the script in error messages. @default "health.lua" or "script.lua" */
  readonly chunkName?: string;
}

export interface LuaScriptRunOptions extends LuaRunOptions {
  /** More globals for the script (JSON values), e.g. an action's `actionParams`. */
  readonly globals?: Readonly<Record<string, unknown>>;
}

export interface LuaSandbox {
  /**
   * Runs a health script with the object as `obj`. Resolves with its `{status, message}`, or undefined when
   * it returned nil or an empty table. Rejects with a LuaScriptError when it fails, spends a budget or
   * returns an invalid status, and with Unavailable when the runtime cannot run at all.
   */
  runHealth(script: string, obj: unknown, options?: LuaRunOptions): Promise<LuaHealth | undefined>;
  /**
   * Runs a script with the object as `obj` and resolves with what it returned, as JSON (arrays for tables
   * with keys 1..n, and for empty tables, as Argo CD's encoder has it).
   */
  runScript(script: string, obj: unknown, options?: LuaScriptRunOptions): Promise<unknown>;
  close(): Promise<void>;
}

export type LuaErrorReason = LuaFailure['reason'] | 'invalid-status';

const codeByReason: Record<LuaErrorReason, ErrorCode> = {
  script: 'InvalidArgument',
  'invalid-status': 'InvalidArgument',
  instructions: 'ResourceExhausted',
  memory: 'ResourceExhausted',
  timeout: 'DeadlineExceeded',
};

/** A script that failed, spent a budget or answered nonsense; the message is fit to show as a health message. */
export class LuaScriptError extends CapstanError {
  readonly reason: LuaErrorReason;

  constructor(reason: LuaErrorReason, message: string, options?: CapstanErrorOptions) {
    super(codeByReason[reason], message, options);
    this.reason = reason;
  }
}

export function isLuaScriptError(value: unknown): value is LuaScriptError {
  return value instanceof LuaScriptError;
}

const VALID_STATUS: ReadonlySet<string> = new Set(HEALTH_STATUS_CODES);

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError(`${name} must be a positive number`);
  return value;
}

function healthOf(raw: RawHealth): LuaHealth | undefined {
  if (raw === null) return undefined;
  const status = raw.status;
  if (status === undefined || !VALID_STATUS.has(status)) {
    throw new LuaScriptError(
      'invalid-status',
      status === undefined
        ? 'health script returned no status'
        : `health script returned an invalid status ${JSON.stringify(status)}`,
    );
  }
  const code = status as LuaHealthStatusCode;
  return raw.message === undefined || raw.message === ''
    ? { status: code }
    : { status: code, message: raw.message };
}

/** Builds a sandbox; states (or workers) start on first use and are reused across evaluations. */
export function createLuaSandbox(options: LuaSandboxOptions = {}): LuaSandbox {
  const timeoutMs = positive(options.timeoutMs, 1000, 'timeoutMs');
  const limits: LuaLimits = {
    instructionLimit: positive(options.instructionLimit, 10_000_000, 'instructionLimit'),
    timeoutMs,
    memoryLimitBytes: positive(options.memoryLimitBytes, 32 * 1024 * 1024, 'memoryLimitBytes'),
  };
  const executor: LuaExecutor =
    options.isolation === 'inline'
      ? new InlineExecutor(limits)
      : new WorkerExecutor({
          limits,
          maxWorkers: Math.floor(positive(options.maxWorkers, 2, 'maxWorkers')),
          hardTimeoutMs: positive(options.hardTimeoutMs, timeoutMs + 1000, 'hardTimeoutMs'),
          startTimeoutMs: positive(options.startTimeoutMs, 30_000, 'startTimeoutMs'),
          batchSize: Math.floor(positive(options.batchSize, 32, 'batchSize')),
        });
  const now = options.now ?? Date.now;

  async function execute(run: LuaRun): Promise<unknown> {
    const outcome = await executor.execute(run);
    if (!outcome.ok) throw new LuaScriptError(outcome.failure.reason, outcome.failure.message);
    return outcome.value;
  }

  function request(
    kind: LuaRun['kind'],
    script: string,
    obj: unknown,
    runOptions: LuaScriptRunOptions,
  ): LuaRun {
    return {
      kind,
      script,
      chunkName: runOptions.chunkName ?? (kind === 'health' ? 'health.lua' : 'script.lua'),
      obj,
      openLibs: runOptions.openLibs === true,
      nowSeconds: Math.floor(now() / 1000),
      globals: runOptions.globals,
    };
  }

  return {
    async runHealth(script, obj, runOptions = {}) {
      return healthOf((await execute(request('health', script, obj, runOptions))) as RawHealth);
    },
    async runScript(script, obj, runOptions = {}) {
      return execute(request('value', script, obj, runOptions));
    },
    close: () => executor.close(),
  };
}

let shared: LuaSandbox | undefined;

/** The process-wide sandbox used when none is passed (default limits, worker isolation). */
export function sharedLuaSandbox(): LuaSandbox {
  shared ??= createLuaSandbox();
  return shared;
}
