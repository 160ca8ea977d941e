import { describe, expect, it } from 'vitest';
import { quantitiesEqual } from './quantity.ts';

describe('quantitiesEqual', () => {
  it.each<[string | number, string | number, boolean]>([
    ['500m', '0.5', true],
    ['1', 1, true],
    ['1000m', '1', true],
    ['100m', 0.1, true],
    ['1Gi', '1024Mi', true],
    ['1.5Gi', '1536Mi', true],
    ['1k', '1000', true],
    ['1e3', '1k', true],
    ['128974848', '129e6', false],
    ['128974848', '123Mi', true],
    ['1M', '1Mi', false],
    ['0', '0m', true],
    ['-1', '-1000m', true],
    ['2', '1', false],
    ['abc', 'abc', false],
    ['1e400', '1', false],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(quantitiesEqual(a, b)).toBe(equal);
  });
});
