import { describe, expect, it } from 'vitest';
import { goEqual } from './go-equal.ts';

describe('goEqual', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['identical sources', { repoURL: 'r', path: 'p' }, { repoURL: 'r', path: 'p' }, true],
    ['absent vs empty string', { repoURL: 'r', path: '' }, { repoURL: 'r' }, true],
    ['absent vs false', { repoURL: 'r', directory: { recurse: false } }, { repoURL: 'r' }, true],
    ['absent vs empty list', { repoURL: 'r', helm: { valueFiles: [] } }, { repoURL: 'r' }, true],
    ['null vs absent', { repoURL: 'r', helm: null }, { repoURL: 'r' }, true],
    ['undefined vs empty list', undefined, [], true],
    ['different path', { repoURL: 'r', path: 'a' }, { repoURL: 'r', path: 'b' }, false],
    ['list order matters', { revisions: ['a', 'b'] }, { revisions: ['b', 'a'] }, false],
    ['list length matters', ['a'], ['a', 'b'], false],
    ['empty string kept in a list', ['', 'a'], ['a'], false],
    ['a zero in a free-form map is data', { helm: { valuesObject: { replicas: 0 } } }, { helm: {} }, false],
    ['an empty label value is data', { commonLabels: { team: '' } }, {}, false],
    ['object vs list', { a: [] as unknown[] }, { a: {} }, true],
    ['number vs string', { a: 1 }, { a: '1' }, false],
  ])('%s → %s', (_name, a, b, expected) => {
    expect(goEqual(a, b)).toBe(expected);
  });
});
