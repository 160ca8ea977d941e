import { describe, expect, it } from 'vitest';
import { chartSemVer, parseVersionConstraint, selectVersion, sortNewestFirst } from './select-version.ts';

const index = sortNewestFirst(
  ['0.1.0', '1.0.0', '1.2.0', '1.2.5', '1.3.0-beta.1', '2.0.0', 'v2.1.0-rc.1', 'nightly', '1.10.0'].map(
    (version) => ({
      version,
    }),
  ),
);
const pick = (constraint: string): string | undefined => {
  const s = selectVersion(index, constraint);
  return s.kind === 'found' ? s.version.version : s.kind;
};

describe('sortNewestFirst', () => {
  it('orders by semver precedence, not text, and puts non-semver versions last', () => {
    expect(index.map((v) => v.version)).toEqual([
      'v2.1.0-rc.1',
      '2.0.0',
      '1.10.0',
      '1.3.0-beta.1',
      '1.2.5',
      '1.2.0',
      '1.0.0',
      '0.1.0',
      'nightly',
    ]);
  });

  it('keeps the index order of versions with equal precedence', () => {
    const sorted = sortNewestFirst([
      { version: '1.0.0', n: 1 },
      { version: 'v1.0.0', n: 2 },
      { version: '1.0.0+b', n: 3 },
    ]);
    expect(sorted.map((v) => v.n)).toEqual([1, 2, 3]);
  });
});

describe('chartSemVer', () => {
  it('reads versions the way Helm (Masterminds, non-strict) does', () => {
    expect(chartSemVer('v1.16.0')?.version).toBe('1.16.0');
    expect(chartSemVer('1.2')?.version).toBe('1.2.0');
    expect(chartSemVer('2')?.version).toBe('2.0.0');
    expect(chartSemVer('1.0.0-rc.1+build.5')?.version).toBe('1.0.0-rc.1');
    expect(chartSemVer('nightly')).toBeUndefined();
    expect(chartSemVer('1.2.3.4')).toBeUndefined();
  });
});

describe('selectVersion', () => {
  it('takes an exact version', () => {
    expect(pick('1.2.0')).toBe('1.2.0');
    expect(pick(' 1.0.0 ')).toBe('1.0.0');
  });

  it('takes the highest match of caret, tilde, range, comma range, x-range, hyphen range and !=', () => {
    expect(pick('^1.2')).toBe('1.10.0');
    expect(pick('~1.2')).toBe('1.2.5');
    expect(pick('~1.2.0')).toBe('1.2.5');
    expect(pick('>=1.0 <1.3')).toBe('1.2.5');
    expect(pick('>=1.0, <1.3')).toBe('1.2.5');
    expect(pick('1.2.x')).toBe('1.2.5');
    expect(pick('1.x')).toBe('1.10.0');
    expect(pick('1.0 - 1.2')).toBe('1.2.5');
    expect(pick('0.1.0 || ^1.0.0 <1.1')).toBe('1.0.0');
    expect(pick('1.2.x != 1.2.5')).toBe('1.2.0');
    expect(pick('>=1.0, !=2.0.0, !=1.10.x')).toBe('1.2.5');
  });

  it('treats "" and "*" as the latest release, never a prerelease', () => {
    expect(pick('')).toBe('2.0.0');
    expect(pick('*')).toBe('2.0.0');
    expect(pick('>=1.0')).toBe('2.0.0');
  });

  it('lets prereleases match only when the constraint names one', () => {
    expect(pick('1.3.0-beta.1')).toBe('1.3.0-beta.1');
    expect(pick('>=1.3.0-0 <1.4')).toBe('1.3.0-beta.1');
    expect(pick('>=1.3.0-0 <1.4, !=1.3.0-beta.1')).toBe('none');
    expect(pick('~1.3.0-alpha')).toBe('1.3.0-beta.1');
    expect(pick('^1.3.0-alpha')).toBe('1.10.0');
    expect(pick('>=2.1.0-0')).toBe('v2.1.0-rc.1');
    expect(pick('>1.2.5 <2')).toBe('1.10.0');
    expect(pick('~1.3')).toBe('none');
  });

  it('accepts v-prefixed versions and constraints on both sides', () => {
    expect(pick('v1.2.0')).toBe('1.2.0');
    expect(pick('v2.1.0-rc.1')).toBe('v2.1.0-rc.1');
    expect(pick('2.1.0-rc.1')).toBe('v2.1.0-rc.1');
    expect(pick('^v1.2.0')).toBe('1.10.0');
  });

  it('matches a non-semver version only by its exact spelling', () => {
    expect(pick('nightly')).toBe('nightly');
  });

  it('says when nothing matches and when the constraint is not one', () => {
    expect(pick('>=3')).toBe('none');
    expect(pick('9.9.9')).toBe('none');
    expect(pick('not a version')).toBe('invalid-constraint');
  });

  it('does not mistake build metadata for a prerelease', () => {
    expect(parseVersionConstraint('>=1.0.0+build-7')?.includePrerelease).toBe(false);
    expect(parseVersionConstraint('1.0 - 2.0')?.includePrerelease).toBe(false);
    expect(parseVersionConstraint('>=1.0.0-0')?.includePrerelease).toBe(true);
  });
});
