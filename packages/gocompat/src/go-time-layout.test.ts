// Expected values are what Go's Time.Format prints for the same instant and zone.

import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, formatGoTime, layoutChunks } from './go-time-layout.ts';

// 2006-01-02T15:04:05.123456789 in a -07:00 zone called MST: Go's reference time.
const ref = { sec: 1136239445, nsec: 123456789, offset: -7 * 3600, abbrev: 'MST' };

describe('Time.Format', () => {
  it.each([
    ['2006-01-02T15:04:05Z07:00', '2006-01-02T15:04:05-07:00'],
    ['2006-01-02T15:04:05.999999999Z07:00', '2006-01-02T15:04:05.123456789-07:00'],
    ['Mon Jan _2 15:04:05 MST 2006', 'Mon Jan  2 15:04:05 MST 2006'],
    ['Monday, 02-Jan-06 03:04:05PM -0700', 'Monday, 02-Jan-06 03:04:05PM -0700'],
    ['January 2, 2006 at 3:04pm', 'January 2, 2006 at 3:04pm'],
    ['15:04:05.000', '15:04:05.123'],
    ['15:04:05,000000', '15:04:05,123456'],
    ['.99', '.12'],
    ['__2 002', '  2 002'],
    ['-07 -070000 -07:00:00 Z0700', '-07 -070000 -07:00:00 -0700'],
    ['2006-01-02 literal text', '2006-01-02 literal text'],
  ])('%s', (layout, want) => {
    expect(formatGoTime(ref, layout)).toBe(want);
  });

  it('prints Z for UTC with the Z layouts and trims zero fractions with 9s', () => {
    const utc = { sec: 0, nsec: 500_000_000, offset: 0, abbrev: 'UTC' };
    expect(formatGoTime(utc, '2006-01-02T15:04:05.999999999Z07:00')).toBe('1970-01-01T00:00:00.5Z');
    expect(formatGoTime({ ...utc, nsec: 0 }, '05.999 MST')).toBe('00 UTC');
    expect(formatGoTime({ ...utc, abbrev: '' }, 'MST')).toBe('+0000');
  });

  it('splits layouts as time.nextStdChunk does', () => {
    expect(layoutChunks('_2006 Jan.000x')).toEqual([
      { k: 'lit', s: '_' },
      { k: 'std', code: '2006' },
      { k: 'lit', s: ' ' },
      { k: 'std', code: 'Jan' },
      { k: 'frac', zero: true, digits: 3, sep: '.' },
      { k: 'lit', s: 'x' },
    ]);
  });
});

describe('civil calendar', () => {
  it('round-trips days and dates, including leap days and years before 1970', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28)).toBe(2);
    expect(civilFromDays(daysFromCivil(1, 1, 1))).toEqual([1, 1, 1]);
    expect(civilFromDays(daysFromCivil(2024, 2, 29))).toEqual([2024, 2, 29]);
  });
});
