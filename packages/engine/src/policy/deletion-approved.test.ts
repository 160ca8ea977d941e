import { describe, expect, it } from 'vitest';
import { isDeletionApproved } from './deletion-approved.ts';

const STARTED = new Date('2026-03-02T10:30:00Z');
const KEY = 'argocd.argoproj.io/deletion-approved';

describe('isDeletionApproved', () => {
  it.each<[string, Record<string, string> | undefined, boolean]>([
    ['approved at the same second', { [KEY]: '2026-03-02T10:30:00Z' }, true],
    ['approved later', { [KEY]: '2026-03-02T10:31:00Z' }, true],
    ['approved later, with an offset', { [KEY]: '2026-03-02T11:30:05+01:00' }, true],
    ['approved earlier', { [KEY]: '2026-03-02T10:29:59Z' }, false],
    ['approved earlier, with an offset', { [KEY]: '2026-03-02T11:29:00+01:00' }, false],
    ['not a timestamp', { [KEY]: 'yes' }, false],
    ['a date only', { [KEY]: '2026-03-03' }, false],
    ['no annotation', {}, false],
    ['no annotations', undefined, false],
  ])('§10.18 deletion-approved must be ≥ the request time: %s → %s', (_name, annotations, expected) => {
    expect(isDeletionApproved(annotations, STARTED)).toBe(expected);
  });
});
