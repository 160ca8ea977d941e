import type { OperationState, RetryStrategy } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import { applyRetryPolicy } from './apply-retry-policy.ts';
import { resumeRetry } from './resume-retry.ts';
import { canRetry, nextRetryAt, retryDelayMs } from './retry-backoff.ts';

const NOW = new Date('2026-03-02T10:30:00Z');
const at = (offsetS: number): Date => new Date(NOW.getTime() + offsetS * 1000);

describe('retryDelayMs', () => {
  it.each([
    [0, 5_000],
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [4, 80_000],
    [5, 160_000],
    [6, 180_000],
    [9, 180_000],
  ])('defaults (5 s ×2, max 3 m): count %d → %d ms', (count, ms) => {
    expect(retryDelayMs(undefined, count)).toBe(ms);
    expect(retryDelayMs({ limit: 3 }, count)).toBe(ms);
    expect(retryDelayMs({ backoff: {} }, count)).toBe(ms);
  });

  it.each<[string, RetryStrategy['backoff'], number[]]>([
    ['10s ×3 max 1m', { duration: '10s', factor: 3, maxDuration: '1m' }, [10_000, 30_000, 60_000, 60_000]],
    ['bare numbers are seconds', { duration: '2', maxDuration: '7' }, [2000, 4000, 7000, 7000]],
    ['factor 1 is constant', { duration: '1m', factor: 1 }, [60_000, 60_000, 60_000, 60_000]],
    [
      'maxDuration 0 means no cap',
      { duration: '1h', maxDuration: '0' },
      [3_600_000, 7_200_000, 14_400_000, 28_800_000],
    ],
    ['empty strings mean the defaults', { duration: '', maxDuration: '' }, [5000, 10_000, 20_000, 40_000]],
    [
      'compound durations',
      { duration: '1m30s', factor: 2, maxDuration: '1h30m' },
      [90_000, 180_000, 360_000, 720_000],
    ],
  ])('%s', (_name, backoff, expected) => {
    const retry: RetryStrategy = backoff === undefined ? {} : { backoff };
    expect(expected.map((_, n) => retryDelayMs(retry, n))).toEqual(expected);
  });

  it('rejects an unparsable duration', () => {
    expect(() => retryDelayMs({ backoff: { duration: 'soon' } }, 0)).toThrow(/soon/);
    expect(() => retryDelayMs({ backoff: { maxDuration: '3 minutes' } }, 0)).toThrow(/3 minutes/);
  });
});

describe('canRetry', () => {
  it.each<[RetryStrategy | undefined, number, boolean]>([
    [undefined, 0, false],
    [{}, 0, false],
    [{ limit: 0 }, 0, false],
    [{ limit: 5 }, 4, true],
    [{ limit: 5 }, 5, false],
    [{ limit: -1 }, 1000, true],
  ])('%j after %d retries → %s', (retry, count, expected) => {
    expect(canRetry(retry, count)).toBe(expected);
  });
});

function failed(o: Partial<OperationState> = {}): OperationState {
  return {
    operation: { sync: { revision: 'abc' }, retry: { limit: 2 } },
    phase: 'Failed',
    message: 'one or more objects failed to apply',
    startedAt: '2026-03-02T10:29:00Z',
    syncResult: { revision: 'abc', resources: [] },
    ...o,
  };
}

describe('applyRetryPolicy', () => {
  it('turns a failure into a pending retry: Running, finishedAt set, retryCount incremented', () => {
    expect(applyRetryPolicy({ state: failed(), now: NOW, terminating: false })).toEqual({
      ...failed(),
      phase: 'Running',
      finishedAt: '2026-03-02T10:30:00Z',
      retryCount: 1,
      message: 'one or more objects failed to apply. Retrying attempt #1 at 10:30AM.',
    });
  });

  it('§10.10 retry covers Error too', () => {
    const out = applyRetryPolicy({
      state: failed({ phase: 'Error', message: 'cluster unreachable' }),
      now: NOW,
      terminating: false,
    });
    expect(out.phase).toBe('Running');
    expect(out.retryCount).toBe(1);
  });

  it('§10.10 terminate disables retry', () => {
    const out = applyRetryPolicy({
      state: failed({ message: 'Operation terminated' }),
      now: NOW,
      terminating: true,
      terminatingCause: 'controller sync timeout',
    });
    expect(out).toMatchObject({
      phase: 'Failed',
      message: 'Operation terminated, triggered by controller sync timeout',
    });
    expect(out.finishedAt).toBeUndefined();
  });

  it('lets the failure stand once the limit is used up, noting the retries', () => {
    const out = applyRetryPolicy({ state: failed({ retryCount: 2 }), now: NOW, terminating: false });
    expect(out).toMatchObject({
      phase: 'Failed',
      retryCount: 2,
      message: 'one or more objects failed to apply (retried 2 times).',
    });
  });

  it('does not retry without a retry strategy', () => {
    const state = failed({ operation: { sync: {} } });
    expect(applyRetryPolicy({ state, now: NOW, terminating: false })).toBe(state);
  });

  it.each<OperationState['phase']>(['Succeeded', 'Running', 'Terminating'])(
    'leaves a %s operation alone',
    (phase) => {
      const state = failed({ phase });
      expect(applyRetryPolicy({ state, now: NOW, terminating: false })).toBe(state);
    },
  );

  it('ends in Error when the backoff cannot be read', () => {
    const state = failed({ operation: { sync: {}, retry: { limit: 3, backoff: { duration: 'later' } } } });
    const out = applyRetryPolicy({ state, now: NOW, terminating: false });
    expect(out.phase).toBe('Error');
    expect(out.message).toMatch(/^one or more objects failed to apply \(failed to retry: .*later/);
  });

  it('shows PM clock times', () => {
    const out = applyRetryPolicy({
      state: failed(),
      now: new Date('2026-03-02T23:59:55Z'),
      terminating: false,
    });
    expect(out.message).toMatch(/at 12:00AM\.$/);
    const noon = applyRetryPolicy({
      state: failed(),
      now: new Date('2026-03-02T12:05:00Z'),
      terminating: false,
    });
    expect(noon.message).toMatch(/at 12:05PM\.$/);
  });
});

describe('resumeRetry', () => {
  const pending = (o: Partial<OperationState> = {}): OperationState =>
    failed({ phase: 'Running', finishedAt: '2026-03-02T10:30:00Z', retryCount: 1, ...o });

  it('has nothing to do for an operation that is not waiting to retry', () => {
    expect(resumeRetry({ state: failed({ phase: 'Running' }), now: NOW })).toEqual({ action: 'none' });
    expect(resumeRetry({ state: failed(), now: NOW })).toEqual({ action: 'none' });
  });

  it('§10.10 the retry gate uses the incremented count: the first real gap is duration·factor', () => {
    const state = applyRetryPolicy({ state: failed(), now: NOW, terminating: false });
    expect(nextRetryAt(state.operation.retry, NOW, state.retryCount ?? 0)).toEqual(at(10));
    expect(resumeRetry({ state, now: at(5) })).toEqual({ action: 'wait', retryAt: at(10), waitMs: 5000 });
    expect(resumeRetry({ state, now: at(9.999) })).toMatchObject({ action: 'wait', waitMs: 1 });
    expect(resumeRetry({ state, now: at(10) }).action).toBe('retry');
  });

  it('starts the attempt with results and finishedAt cleared, keeping the pinned revision', () => {
    const out = resumeRetry({ state: pending(), now: at(60) });
    expect(out).toEqual({
      action: 'retry',
      state: {
        operation: { sync: { revision: 'abc' }, retry: { limit: 2 } },
        phase: 'Running',
        message: 'Retrying operation. Attempt #1',
        startedAt: '2026-03-02T10:29:00Z',
        retryCount: 1,
      },
    });
  });

  it('drops the pinned revision(s) with retry.refresh', () => {
    const state = pending({
      operation: {
        sync: { revision: 'abc', revisions: ['abc'], prune: true },
        retry: { limit: 2, refresh: true },
      },
    });
    const out = resumeRetry({ state, now: at(60) });
    expect(out).toMatchObject({
      action: 'retry',
      state: { message: 'Retrying operation with latest revisions. Attempt #1' },
    });
    if (out.action === 'retry') expect(out.state.operation.sync).toEqual({ prune: true });
  });

  it('errors out when the backoff cannot be read', () => {
    const state = pending({
      operation: { sync: {}, retry: { limit: 2, backoff: { maxDuration: 'never' } } },
    });
    expect(resumeRetry({ state, now: at(60) })).toMatchObject({ action: 'error', state: { phase: 'Error' } });
  });
});
