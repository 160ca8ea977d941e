import { describe, expect, it } from 'vitest';
import { mergePatch } from './merge-patch.ts';

describe('mergePatch', () => {
  it('is undefined for equal documents, ignoring undefined fields', () => {
    expect(mergePatch({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] }, d: undefined })).toBeUndefined();
  });
  it('sends changed leaves, nulls removed keys and replaces lists whole', () => {
    expect(
      mergePatch({ a: 1, b: { c: 1, d: 2 }, l: [1, 2], gone: 'x' }, { a: 2, b: { c: 1, d: 3 }, l: [1] }),
    ).toEqual({ a: 2, b: { d: 3 }, l: [1], gone: null });
  });
  it('never mentions a field present in neither document', () => {
    expect(mergePatch({ sync: { status: 'Synced' } }, { sync: { status: 'OutOfSync' } })).toEqual({
      sync: { status: 'OutOfSync' },
    });
  });
});
