import { systemClock, type Clock } from './clock.ts';

export interface BackoffOptions {
  /** @default 100 */
  readonly initialMs?: number;
  /** @default 2 */
  readonly factor?: number;
  /** @default 10_000 */
  readonly maxMs?: number;
  /** Fraction of each delay randomised away, so replicas retrying together spread out. @default 0.2 */
  readonly jitter?: number;
  /** Source of randomness in [0, 1); injectable for deterministic tests. @default Math.random */
  readonly random?: () => number;
}

export interface Backoff {
  /** Delay before retry number `attempt` (1 = first retry). */
  delay(attempt: number): number;
}

export function exponentialBackoff(options: BackoffOptions = {}): Backoff {
  const initial = options.initialMs ?? 100;
  const factor = options.factor ?? 2;
  const max = options.maxMs ?? 10_000;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  return {
    delay(attempt) {
      const base = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
      return Math.round(base * (1 - jitter * random()));
    },
  };
}

export interface RetryOptions {
  /** Total attempts including the first. */
  readonly attempts: number;
  readonly backoff?: Backoff;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** Whether a failure is worth another attempt. @default every failure */
  readonly retryable?: (err: unknown) => boolean;
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `fn` until it succeeds, the attempts run out, a failure is not retryable, or the signal aborts. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const backoff = options.backoff ?? exponentialBackoff();
  const clock = options.clock ?? systemClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const last = attempt >= options.attempts || options.signal?.aborted === true;
      if (last || !(options.retryable?.(err) ?? true)) throw err;
      const ms = backoff.delay(attempt);
      options.onRetry?.(err, attempt, ms);
      await clock.sleep(ms, options.signal);
    }
  }
}
