import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileGlob } from './compile-glob.ts';
import { compileGoRegexp } from './compile-go-regexp.ts';
import { splitPolicyLine } from './split-policy-line.ts';

// Expected results produced by the real Go libraries Argo CD uses (see __fixtures__/generate-go-vectors.go.txt).
interface MatchCases {
  inputs: string[];
  cases: { pattern: string; valid: boolean; matching?: string[] }[];
}
const vectors = JSON.parse(
  readFileSync(new URL('./__fixtures__/go-vectors.json', import.meta.url), 'utf8'),
) as {
  glob: MatchCases;
  regexp: MatchCases;
  csv: { line: string; fields: string[] | null; error: boolean }[];
};

/**
 * Patterns where gobwas/glob's optimising compiler is wrong about its own syntax, and Capstan follows
 * the syntax instead. They are far from anything a policy uses; each is listed with what Capstan does.
 */
const GLOB_DIVERGENCES: ReadonlyMap<
  string,
  { readonly reason: string; readonly capstan: (inputs: string[]) => string[] }
> = new Map([
  // A lone one-character matcher also matches the empty string in gobwas (it decodes no rune and
  // finds it outside the class). Matching "" would grant more, so Capstan does not.
  ['?', { reason: 'gobwas matches ""', capstan: (i) => i.filter((s) => Array.from(s).length === 1) }],
  [
    '[!ab]',
    {
      reason: 'gobwas matches ""',
      capstan: (i) => i.filter((s) => Array.from(s).length === 1 && !'ab'.includes(s)),
    },
  ],
  [
    '[!a-c]',
    {
      reason: 'gobwas matches ""',
      capstan: (i) => i.filter((s) => Array.from(s).length === 1 && !'abc'.includes(s)),
    },
  ],
  [
    '[!-a]',
    {
      reason: 'gobwas matches ""',
      capstan: (i) => i.filter((s) => Array.from(s).length === 1 && !'-a'.includes(s)),
    },
  ],
  // A fixed-length run with a multi-byte character slices bytes as if they were runes.
  [
    '?本',
    { reason: 'gobwas cannot match multi-byte runs', capstan: (i) => i.filter((s) => /^.本$/u.test(s)) },
  ],
  // Alternatives with an empty or wildcard branch lose matches in gobwas's tree optimiser.
  ['a{}b', { reason: 'gobwas drops the empty alternative', capstan: (i) => i.filter((s) => s === 'ab') }],
  ['{*,a}b', { reason: 'gobwas drops the * branch', capstan: (i) => i.filter((s) => s.endsWith('b')) }],
]);

function table(
  compile: (p: string) => { test(v: string): boolean } | undefined,
  set: MatchCases,
  divergences = GLOB_DIVERGENCES,
) {
  return set.cases.map((c) => {
    const divergence = divergences.get(c.pattern);
    if (divergence !== undefined) {
      const matcher = compile(c.pattern)!;
      return {
        pattern: `${c.pattern} (differs: ${divergence.reason})`,
        got: set.inputs.filter((i) => matcher.test(i)),
        want: divergence.capstan(set.inputs),
      };
    }
    const matcher = compile(c.pattern);
    const got = matcher === undefined ? undefined : set.inputs.filter((i) => matcher.test(i));
    return {
      pattern: c.pattern,
      got: got === undefined ? 'invalid' : got,
      want: c.valid ? c.matching : 'invalid',
    };
  });
}

describe('agreement with Go', () => {
  it.each(table(compileGlob, vectors.glob))('glob $pattern', ({ got, want }) => {
    expect(got).toEqual(want);
  });

  it.each(table(compileGoRegexp, vectors.regexp, new Map()))('regexp $pattern', ({ got, want }) => {
    expect(got).toEqual(want);
  });

  it.each(vectors.csv)('csv line $line', ({ line, fields, error }) => {
    const result = splitPolicyLine(line);
    if (error) expect(result).toHaveProperty('error');
    else expect(result).toEqual({ fields });
  });

  it('covers a meaningful number of vectors', () => {
    expect(vectors.glob.cases.length).toBeGreaterThan(50);
    expect(vectors.regexp.cases.length).toBeGreaterThan(60);
    expect(vectors.csv.length).toBeGreaterThan(15);
  });
});

describe('stars-only globs', () => {
  it.each([
    ['a*b*c', ['abc', 'a-b-c', 'aXbYbZc'], ['ab', 'acb', 'abcx', 'xabc']],
    ['*/ns/*', ['p/ns/app', '/ns/'], ['p/n/app']],
    ['a**b', ['ab', 'a/x/b'], ['a', 'ba']],
    ['ab*ba', ['abba', 'ab-ba'], ['aba', 'abab']],
    ['*a*a*', ['aa', 'xaxax'], ['a', 'xa']],
  ])('%s', (pattern, yes, no) => {
    const glob = compileGlob(pattern)!;
    for (const v of yes) expect(glob.test(v), v).toBe(true);
    for (const v of no) expect(glob.test(v), v).toBe(false);
  });

  it('take linear time on values built to make a backtracking matcher explode', () => {
    const glob = compileGlob('*a*a*a*a*a*a*a*a*b')!;
    const value = 'a'.repeat(200_000);
    const started = performance.now();
    expect(glob.test(value)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
