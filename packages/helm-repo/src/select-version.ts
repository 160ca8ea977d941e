import semver from 'semver';
import type { Range, SemVer } from 'semver';

/**
 * Chart versions as Helm reads them (Masterminds semver, non-strict): an optional `v`, and a missing
 * minor or patch counts as 0 (`v1.2` is 1.2.0). Anything else is not a version constraints can match.
 */
const chartVersionPattern =
  /^v?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export function chartSemVer(version: string): SemVer | undefined {
  const m = chartVersionPattern.exec(version.trim());
  if (m === null) return undefined;
  const [, major, minor = '0', patch = '0', pre, build] = m;
  const text = `${major}.${minor}.${patch}${pre === undefined ? '' : `-${pre}`}${build === undefined ? '' : `+${build}`}`;
  return semver.parse(text) ?? undefined;
}

/** Newest first by semver precedence; versions that are not semver keep their order after the rest. */
export function sortNewestFirst<T extends { readonly version: string }>(versions: readonly T[]): T[] {
  const keyed = versions.map((item, index) => ({ item, index, semver: chartSemVer(item.version) }));
  keyed.sort((a, b) => {
    if (a.semver !== undefined && b.semver !== undefined) {
      return b.semver.compare(a.semver) || a.index - b.index;
    }
    if (a.semver !== undefined) return -1;
    if (b.semver !== undefined) return 1;
    return a.index - b.index;
  });
  return keyed.map((k) => k.item);
}

export interface VersionConstraint {
  /** The constraint as given, trimmed; '' means the latest version. */
  readonly text: string;
  /** Whether prereleases may match: only when the constraint itself names one (as Helm does). */
  readonly includePrerelease: boolean;
  test(version: SemVer): boolean;
}

/**
 * Whether a constraint names a prerelease (`1.3.0-beta.1`, `>=2.0.0-0`). Build metadata is dropped
 * first (`1.0.0+build-7` names none), and a hyphen range needs spaces (`1.0 - 2.0`), so a hyphen right
 * after a digit is always a prerelease.
 */
function namesPrerelease(constraint: string): boolean {
  return /\d-[0-9A-Za-z]/.test(constraint.replace(/\+[0-9A-Za-z.-]*/g, ''));
}

/** One `||` alternative: node-semver's range for its comparators, plus Masterminds' `!=` exclusions. */
interface Alternative {
  readonly range: Range;
  readonly excluded: readonly Range[];
}

function alternative(group: string, includePrerelease: boolean): Alternative {
  const excluded: Range[] = [];
  const rest = group.replace(/!=\s*([^\s]+)/g, (_, version: string) => {
    excluded.push(new semver.Range(version, { includePrerelease }));
    return ' ';
  });
  const range = new semver.Range(rest.trim() === '' ? '*' : rest, { includePrerelease });
  return { range, excluded };
}

/**
 * Parses a Helm (Masterminds) version constraint with node-semver: an exact version, `^1.2`, `~1.2.3`,
 * `>=1.0 <2` or `>=1.0, <2`, `1.x`, `*`, hyphen ranges, `||`, `!=`, and `v`-prefixed forms. '' is `*`.
 * Undefined when the text is no constraint at all.
 */
export function parseVersionConstraint(constraint: string): VersionConstraint | undefined {
  const text = constraint.trim();
  const normalized = text === '' ? '*' : text.replace(/\s*,\s*/g, ' ');
  const includePrerelease = namesPrerelease(normalized);
  try {
    const alternatives = normalized.split('||').map((group) => alternative(group, includePrerelease));
    return {
      text,
      includePrerelease,
      test: (version) =>
        alternatives.some((a) => a.range.test(version) && !a.excluded.some((x) => x.test(version))),
    };
  } catch {
    return undefined;
  }
}

export type VersionSelection<T> =
  | { readonly kind: 'found'; readonly version: T }
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid-constraint' };

/**
 * Picks a version the way Helm's `IndexFile.Get` does: a version spelled exactly like the constraint
 * wins; otherwise the highest semver version the constraint accepts. `newestFirst` must be sorted by
 * {@link sortNewestFirst}.
 */
export function selectVersion<T extends { readonly version: string }>(
  newestFirst: readonly T[],
  constraint: string,
): VersionSelection<T> {
  const text = constraint.trim();
  const exact = text === '' ? undefined : newestFirst.find((v) => v.version === text);
  if (exact !== undefined) return { kind: 'found', version: exact };
  const parsed = parseVersionConstraint(text);
  if (parsed === undefined) return { kind: 'invalid-constraint' };
  for (const candidate of newestFirst) {
    const version = chartSemVer(candidate.version);
    if (version !== undefined && parsed.test(version)) return { kind: 'found', version: candidate };
  }
  return { kind: 'none' };
}
