import { describe, expect, it } from 'vitest';
import { parseGoDuration, parseRetryDuration } from './go-duration.ts';

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['5s', 5000],
    ['3m', 180_000],
    ['1h30m', 5_400_000],
    ['2h45m30s', 9_930_000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['1.s', 1000],
    ['500ms', 500],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
    ['-2m', -120_000],
    ['+1h', 3_600_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '1', '30', 's', '5x', '1h 30m', '1d', '.s', '--1s', 'h1'])('rejects %j as Go does', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('parseRetryDuration', () => {
  it.each([
    ['30', 30_000],
    ['+5', 5000],
    ['0', 0],
    ['5s', 5000],
    ['1h30m', 5_400_000],
  ])('%s → %d ms (a bare number is seconds)', (text, ms) => {
    expect(parseRetryDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '5 s', '1.5'])('rejects %j', (text) => {
    expect(parseRetryDuration(text)).toBeUndefined();
  });
});
