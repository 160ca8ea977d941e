// Expected values are what Go's time.ParseDuration and Duration.String return.

import { describe, expect, it } from 'vitest';
import { formatGoDuration, GoDurationError, parseGoDuration } from './go-duration.ts';

describe('time.ParseDuration', () => {
  it.each([
    ['0', 0n],
    ['5s', 5_000_000_000n],
    ['-1.5h', -5_400_000_000_000n],
    ['+1h30m', 5_400_000_000_000n],
    ['1.000000001s', 1_000_000_001n],
    ['300ms', 300_000_000n],
    ['2µs', 2000n],
    ['2μs', 2000n],
    ['.5m', 30_000_000_000n],
    ['9223372036854775807ns', 9_223_372_036_854_775_807n],
    ['-9223372036854775808ns', -9_223_372_036_854_775_808n],
  ])('%s', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['1', 'time: missing unit in duration "1"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['.s', 'time: invalid duration ".s"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
  ])('rejects %j', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(GoDurationError);
    expect(() => parseGoDuration(text)).toThrow(message);
  });
});

describe('Duration.String', () => {
  it.each([
    [0n, '0s'],
    [999n, '999ns'],
    [1500n, '1.5µs'],
    [1_500_000n, '1.5ms'],
    [5_400_000_000_000n, '1h30m0s'],
    [-1_000_000_001n, '-1.000000001s'],
    [9_223_372_036_854_775_807n, '2562047h47m16.854775807s'],
  ])('%s', (ns, text) => {
    expect(formatGoDuration(ns)).toBe(text);
  });
});
