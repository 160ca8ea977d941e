import { describe, expect, it } from 'vitest';
import { reconciliationJitterMs } from './app-reconciler.ts';

describe('reconciliationJitterMs', () => {
  it('is stable per app, bounded by a minute and by half the period, and spreads apps out', () => {
    expect(reconciliationJitterMs('guestbook', 180_000)).toBe(reconciliationJitterMs('guestbook', 180_000));
    const offsets = Array.from({ length: 200 }, (_, i) => reconciliationJitterMs(`app-${i}`, 180_000));
    expect(Math.max(...offsets)).toBeLessThan(60_000);
    expect(new Set(offsets.map((o) => Math.floor(o / 10_000))).size).toBe(6);
    expect(
      Math.max(...Array.from({ length: 50 }, (_, i) => reconciliationJitterMs(`a${i}`, 10_000))),
    ).toBeLessThan(5_000);
    expect(reconciliationJitterMs('x', 0)).toBe(0);
  });
});
