import type { OperationState } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SELF_HEAL_CONFIG, selfHealDelayMs, selfHealRemainingMs } from './self-heal-backoff.ts';

const NOW = new Date('2026-03-02T10:30:00Z');

describe('selfHealDelayMs', () => {
  it.each([
    [0, 0],
    [1, 2_000],
    [2, 6_000],
    [3, 18_000],
    [4, 54_000],
    [5, 162_000],
    [6, 300_000],
    [7, 300_000],
    [1000, 300_000],
  ])('attempt %d waits %d ms with the defaults (2 s ×3, cap 300 s)', (attempts, ms) => {
    expect(selfHealDelayMs(attempts)).toBe(ms);
  });

  it.each<[string, Parameters<typeof selfHealDelayMs>[1], number[]]>([
    [
      'base 1 s ×2 cap 5 s',
      { backoff: { durationMs: 1000, factor: 2, capMs: 5000 }, timeoutMs: 0 },
      [0, 1000, 2000, 4000, 5000, 5000],
    ],
    [
      'no growth (factor 0)',
      { backoff: { durationMs: 3000, factor: 0, capMs: 0 }, timeoutMs: 0 },
      [0, 3000, 3000, 3000, 3000, 3000],
    ],
    [
      'no cap',
      { backoff: { durationMs: 1000, factor: 10, capMs: 0 }, timeoutMs: 0 },
      [0, 1000, 10_000, 100_000, 1_000_000, 10_000_000],
    ],
    [
      'a base above the cap is kept once',
      { backoff: { durationMs: 10_000, factor: 2, capMs: 5000 }, timeoutMs: 0 },
      [0, 10_000, 5000, 5000, 5000, 5000],
    ],
    ['backoff off: flat timeout', { backoff: null, timeoutMs: 5000 }, [5000, 5000, 5000, 5000, 5000, 5000]],
    [
      'backoff with base 0 is off',
      { backoff: { durationMs: 0, factor: 3, capMs: 300_000 }, timeoutMs: 0 },
      [0, 0, 0, 0, 0, 0],
    ],
  ])('%s', (_name, config, expected) => {
    expect(expected.map((_, n) => selfHealDelayMs(n, config))).toEqual(expected);
  });

  it('defaults are frozen', () => {
    expect(Object.isFrozen(DEFAULT_SELF_HEAL_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SELF_HEAL_CONFIG.backoff)).toBe(true);
  });
});

describe('selfHealRemainingMs', () => {
  const op = (attempts: number, finishedAt?: string): OperationState => ({
    operation: { sync: { autoHealAttemptsCount: attempts } },
    phase: 'Succeeded',
    startedAt: '2026-03-02T10:29:00Z',
    ...(finishedAt !== undefined && { finishedAt }),
  });

  it.each<[string, OperationState | undefined, number]>([
    ['no previous operation', undefined, 0],
    ['first self-heal', op(0, '2026-03-02T10:29:59Z'), -1000],
    ['third attempt, 4 s after', op(2, '2026-03-02T10:29:56Z'), 2000],
    ['no finishedAt: the whole delay', op(3), 18_000],
  ])('%s → %d', (_name, operationState, expected) => {
    expect(selfHealRemainingMs({ operationState, now: NOW })).toBe(expected);
  });
});
