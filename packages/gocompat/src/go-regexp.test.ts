// Go regexp semantics: the expected values are what Go's regexp package returns (leftmost-first
// submatches, Go's empty-match rule, Expand templates, Split), plus Go's error text and linear time.

import { describe, expect, it } from 'vitest';
import {
  compileGoRegexp,
  findAllString,
  findString,
  GoRegexpError,
  matchBytes,
  matchString,
  quoteMeta,
  replaceAll,
  split,
} from './go-regexp.ts';

// [pattern, input, FindAllString(-1), ReplaceAllString("<$1>"), Split(-1)]
const cases: [string, string, string[] | null, string, string[] | null][] = [
  // Empty matches step over whole code points, never half a surrogate pair.
  ['a*', '😀ab😀', ['', 'a', '', ''], '<>😀<>b<>😀<>', ['😀', 'b', '😀']],
  ['', 'é😀', ['', '', ''], '<>é<>😀<>', ['é', '😀']],
  ['a|', 'baaab', ['', 'a', 'a', 'a', ''], '<>b<><><>b<>', ['b', '', '', 'b']],
  ['a*', 'baaac', ['', 'aaa', ''], '<>b<>c<>', ['b', 'c']],
  ['(a+)(b)?', 'aab ab a', ['aab', 'ab', 'a'], '<aa> <a> <a>', ['', ' ', ' ', '']],
  ['(?i)héllo', 'HÉLLO héllo', ['HÉLLO', 'héllo'], '<> <>', ['', ' ', '']],
  ['^\\w+$', 'word', ['word'], '<>', ['', '']],
  ['(?m)^(\\w)', 'ab\ncd\n', ['a', 'c'], '<a>b\n<c>d\n', ['', 'b\n', 'd\n']],
  ['\\bfoo\\b', 'foo food foo', ['foo', 'foo'], '<> food <>', ['', ' food ', '']],
  ['x*?y', 'xxy xy y', ['xxy', 'xy', 'y'], '<> <> <>', ['', ' ', ' ', '']],
  ['(a|ab)(c|bcd)(d*)', 'abcd', ['abcd'], '<a>', ['', '']],
  ['[[:alpha:]]+|\\d+', 'abc123def', ['abc', '123', 'def'], '<><><>', ['', '', '', '']],
  ['\\p{Greek}+', 'αβγ abc δ', ['αβγ', 'δ'], '<> abc <>', ['', ' abc ', '']],
  ['(?s).+', 'a\nb', ['a\nb'], '<>', ['', '']],
  ['.+', 'a\nb', ['a', 'b'], '<>\n<>', ['', '\n', '']],
  ['a{2,3}', 'aaaaaaa', ['aaa', 'aaa'], '<><>a', ['', '', 'a']],
  ['(a*)*b', 'aaab', ['aaab'], '<aaa>', ['', '']],
  ['(x+x+)+y', 'xxxxy', ['xxxxy'], '<xxxx>', ['', '']],
  ['(?U)a+', 'aaa', ['a', 'a', 'a'], '<><><>', ['', '', '', '']],
  // The repeat after \Q…\E applies to its last character only (Go keeps that character a separate literal).
  ['\\Qa.b\\E+', 'a.bbb a.b', ['a.bbb', 'a.b'], '<> <>', ['', ' ', '']],
  ['[^a-c]+', 'abcdefabc', ['def'], 'abc<>abc', ['abc', 'abc']],
  [
    '(?P<y>\\d{4})-(?P<m>\\d{2})',
    'on 2024-03 and 1999-12',
    ['2024-03', '1999-12'],
    'on <2024> and <1999>',
    ['on ', ' and ', ''],
  ],
];

describe('Go regexp', () => {
  for (const [pattern, input, all, replaced, parts] of cases) {
    it(`${pattern} on ${JSON.stringify(input)}`, () => {
      const re = compileGoRegexp(pattern);
      expect(findAllString(re, input, -1)).toEqual(all);
      expect(replaceAll(re, input, '<$1>', false)).toBe(replaced);
      expect(split(re, input, -1)).toEqual(parts);
    });
  }

  it('expands named groups and $$, and replaces literally when asked', () => {
    const re = compileGoRegexp('(?P<y>\\d{4})-(?P<m>\\d{2})');
    expect(replaceAll(re, '2024-03', '${m}/$y $$', false)).toBe('03/2024 $');
    expect(replaceAll(re, '2024-03', '${m}', true)).toBe('${m}');
  });

  it('accepts a group name used twice, as Go does (RE2 itself rejects it)', () => {
    const re = compileGoRegexp('(?P<n>a)[(?P<n>]|(?<n>b)\\Q(?P<n>\\E');
    expect(re.names).toEqual(['', 'n', 'n']);
    expect(findAllString(re, 'a< b(?P<n> b', -1)).toEqual(['a<', 'b(?P<n>']);
    expect(replaceAll(compileGoRegexp('(?P<n>a)|(?P<n>b)'), 'ab', '[$n]', false)).toBe('[a][b]');
  });

  it('limits FindAll and Split by n', () => {
    const re = compileGoRegexp(',');
    expect(findAllString(re, 'a,b,c', 1)).toEqual([',']);
    expect(split(re, 'a,b,c', 2)).toEqual(['a', 'b,c']);
    expect(split(re, 'a,b,c', 0)).toBeNull();
    expect(split(re, '', -1)).toEqual(['']);
  });

  it('matches and finds the leftmost match', () => {
    const re = compileGoRegexp('b+');
    expect(matchString(re, 'abbbc')).toBe(true);
    expect(matchString(re, 'ac')).toBe(false);
    expect(findString(re, 'abbbcb')).toBe('bbb');
    expect(findString(re, 'ac')).toBe('');
    expect(matchBytes(re, new TextEncoder().encode('ébb'))).toBe(true);
    expect(matchBytes(re, new TextEncoder().encode('é'))).toBe(false);
  });

  it.each([
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['(', 'error parsing regexp: missing closing ): `(`'],
    ['a(?=b)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
  ])("rejects %s with Go's message", (pattern, message) => {
    expect(() => compileGoRegexp(pattern)).toThrow(GoRegexpError);
    expect(() => compileGoRegexp(pattern)).toThrow(message);
  });

  it('quotes metacharacters as regexp.QuoteMeta', () => {
    expect(quoteMeta('a.b*c[d]{e}(f)|g^h$i\\j+k?')).toBe(
      'a\\.b\\*c\\[d\\]\\{e\\}\\(f\\)\\|g\\^h\\$i\\\\j\\+k\\?',
    );
    expect(matchString(compileGoRegexp('^' + quoteMeta('1.5+x') + '$'), '1.5+x')).toBe(true);
  });
});

describe('linear time on patterns that make backtracking explode', () => {
  it.each([
    ['(a+)+$', `${'a'.repeat(5000)}b`],
    ['(a|a)*c', 'a'.repeat(5000)],
    ['(x+x+)+y', 'x'.repeat(3000)],
    ['a*a*a*a*a*a*a*b', 'a'.repeat(2000)],
  ])('%s', (pattern, input) => {
    const start = performance.now();
    expect(findAllString(compileGoRegexp(pattern), input, -1)).toBeNull();
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
