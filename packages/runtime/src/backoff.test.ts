import { describe, expect, it } from 'vitest';
import { exponentialBackoff, retry } from './backoff.ts';
import type { Clock } from './clock.ts';

function fakeClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms) => void slept.push(ms) };
}

describe('exponentialBackoff', () => {
  it('grows by the factor up to the cap, with jitter taken off', () => {
    const b = exponentialBackoff({ initialMs: 100, factor: 2, maxMs: 500, jitter: 0.5, random: () => 0 });
    expect([1, 2, 3, 4, 5].map((a) => b.delay(a))).toEqual([100, 200, 400, 500, 500]);
    const jittered = exponentialBackoff({ initialMs: 100, jitter: 0.5, random: () => 1 });
    expect(jittered.delay(1)).toBe(50);
  });
});

describe('retry', () => {
  it('retries until success, sleeping the backoff between attempts', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retry(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('transient');
        return 'ok';
      },
      { attempts: 5, clock, backoff: exponentialBackoff({ initialMs: 10, jitter: 0 }) },
    );
    expect(result).toBe('ok');
    expect(clock.slept).toEqual([10, 20]);
  });

  it('stops at the attempt limit and on non-retryable errors', async () => {
    const clock = fakeClock();
    await expect(
      retry(async () => Promise.reject(new Error('down')), { attempts: 3, clock }),
    ).rejects.toThrow('down');
    expect(clock.slept).toHaveLength(2);
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls += 1;
          throw new Error('bad input');
        },
        { attempts: 5, clock, retryable: () => false },
      ),
    ).rejects.toThrow('bad input');
    expect(calls).toBe(1);
  });
});
