import type { RetryStrategy } from '@capstan/crds';
import { InvalidArgumentError } from '@capstan/errors';
import { parseRetryDuration } from './go-duration.ts';

export const DEFAULT_RETRY_DURATION_MS = 5000;
export const DEFAULT_RETRY_FACTOR = 2;
export const DEFAULT_RETRY_MAX_DURATION_MS = 180_000;

function durationOr(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const ms = parseRetryDuration(text);
  if (ms === undefined) throw new InvalidArgumentError(`retry backoff duration '${text}' is not a duration`);
  return ms;
}

/**
 * Wait before a retry: duration · factor^retryCount, capped at maxDuration (a cap of 0 means none).
 * Defaults 5s, ×2, 3m. Throws InvalidArgumentError for an unparsable duration.
 */
export function retryDelayMs(retry: RetryStrategy | undefined, retryCount: number): number {
  const backoff = retry?.backoff;
  const duration = durationOr(backoff?.duration, DEFAULT_RETRY_DURATION_MS);
  const maxDuration = durationOr(backoff?.maxDuration, DEFAULT_RETRY_MAX_DURATION_MS);
  const factor = backoff?.factor ?? DEFAULT_RETRY_FACTOR;
  const wait = duration * factor ** retryCount;
  return maxDuration > 0 ? Math.min(maxDuration, wait) : wait;
}

/**
 * When the next attempt may start. The controller calls it with the count *after* recording the
 * failed attempt, so the first real gap is duration·factor (10s with the defaults), not duration.
 */
export function nextRetryAt(retry: RetryStrategy | undefined, lastAttempt: Date, retryCount: number): Date {
  return new Date(lastAttempt.getTime() + retryDelayMs(retry, retryCount));
}

/** Whether another attempt is allowed: a negative limit retries forever, 0 (or none) never. */
export function canRetry(retry: RetryStrategy | undefined, retryCount: number): boolean {
  const limit = retry?.limit ?? 0;
  return limit < 0 || retryCount < limit;
}
