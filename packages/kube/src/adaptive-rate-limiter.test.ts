import { describe, expect, it } from 'vitest';
import { AdaptiveRateLimiter } from './adaptive-rate-limiter.ts';
import { parseRetryAfter } from './kube-transport.ts';

/** Reserves `n` slots at `now` and answers the waits. */
function reserveMany(limiter: AdaptiveRateLimiter, now: number, n: number): number[] {
  return Array.from({ length: n }, () => limiter.reserve(now));
}

describe('AdaptiveRateLimiter', () => {
  it('lets a burst through at once, then spaces requests at the rate', () => {
    const limiter = new AdaptiveRateLimiter({ qps: 10, burst: 3 });
    expect(reserveMany(limiter, 0, 3)).toEqual([0, 0, 0]);
    // The 4th, 5th and 6th wait one, two and three tenths of a second.
    expect(reserveMany(limiter, 0, 3)).toEqual([100, 200, 300]);
  });

  it('refills with time, never above the burst', () => {
    const limiter = new AdaptiveRateLimiter({ qps: 10, burst: 2 });
    reserveMany(limiter, 0, 2);
    expect(limiter.tokens(0)).toBe(0);
    expect(limiter.tokens(100)).toBeCloseTo(1);
    expect(limiter.tokens(60_000)).toBe(2);
    expect(reserveMany(limiter, 60_000, 3)).toEqual([0, 0, 100]);
  });

  it('halves the rate on a 429, down to 1 qps and no lower', () => {
    const limiter = new AdaptiveRateLimiter({ qps: 8, burst: 8 });
    const rates: number[] = [];
    for (let i = 0; i < 5; i++) {
      limiter.throttled(0, 0);
      rates.push(limiter.rate);
    }
    expect(rates).toEqual([4, 2, 1, 1, 1]);
  });

  it('holds every request until Retry-After has passed, earning no tokens meanwhile', () => {
    const limiter = new AdaptiveRateLimiter({ qps: 10, burst: 10 });
    limiter.throttled(1_000, 2_000); // paused until t=3000, rate now 5 qps, bucket emptied
    expect(limiter.rate).toBe(5);
    // Reserved at t=1500: waits out the pause (1500 ms) plus a token at 5 qps (200 ms).
    expect(limiter.reserve(1_500)).toBe(1_700);
    expect(limiter.tokens(3_000)).toBeCloseTo(-1);
    expect(limiter.tokens(3_200)).toBeCloseTo(0);
  });

  it('shrinks the burst with the rate, so a throttled limiter does not release a flood', () => {
    const limiter = new AdaptiveRateLimiter({ qps: 100, burst: 100 });
    limiter.throttled(0, 0);
    limiter.throttled(0, 0); // 25 qps
    expect(limiter.tokens(3_600_000)).toBe(25);
  });

  it('recovers slowly after successes, up to the configured rate', () => {
    const limiter = new AdaptiveRateLimiter({ qps: 50, burst: 100 });
    for (let i = 0; i < 10; i++) limiter.throttled(0, 0);
    expect(limiter.rate).toBe(1);
    limiter.succeeded(0);
    expect(limiter.rate).toBe(2);
    for (let i = 0; i < 100; i++) limiter.succeeded(0);
    expect(limiter.rate).toBe(50);
  });

  it('rejects nonsense settings', () => {
    expect(() => new AdaptiveRateLimiter({ qps: 0 })).toThrow(RangeError);
    expect(() => new AdaptiveRateLimiter({ burst: 0 })).toThrow(RangeError);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores the rest', () => {
    expect(parseRetryAfter('2', 0)).toBe(2_000);
    expect(parseRetryAfter('0', 0)).toBe(0);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:05 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
