// Go's regexp semantics on both engines: JavaScript's (for simple patterns) and the linear-time VM
// (for patterns a backtracking engine could take exponential time on). They must agree.

import { describe, expect, it } from 'vitest';
import { compileRegexp, findAllString, replaceAll, split } from './go-regexp.ts';

const cases: [string, string][] = [
  ['a|', 'baaab'],
  ['a*', 'baaac'],
  ['(a+)(b)?', 'aab ab a'],
  ['(?i)héllo', 'HÉLLO héllo'],
  ['^\\w+$', 'word'],
  ['(?m)^(\\w)', 'ab\ncd\n'],
  ['\\bfoo\\b', 'foo food foo'],
  ['x*?y', 'xxy xy y'],
  ['(a|ab)(c|bcd)(d*)', 'abcd'],
  ['[[:alpha:]]+|\\d+', 'abc123def'],
  ['\\p{Greek}+', 'αβγ abc δ'],
  ['(?s).+', 'a\nb'],
  ['.+', 'a\nb'],
  ['a{2,3}', 'aaaaaaa'],
  ['(a*)*b', 'aaab'],
  ['(x+x+)+y', 'xxxxy'],
  ['(?U)a+', 'aaa'],
  ['\\Qa.b\\E+', 'a.bbb a.b'],
  ['[^a-c]+', 'abcdefabc'],
  ['(?P<y>\\d{4})-(?P<m>\\d{2})', 'on 2024-03 and 1999-12'],
];

describe('both engines agree', () => {
  for (const [pattern, input] of cases) {
    it(`${pattern} on ${JSON.stringify(input)}`, () => {
      const js = compileRegexp(pattern);
      const vm = compileRegexp(pattern, { engine: 'vm' });
      expect(findAllString(vm, input, -1)).toEqual(findAllString(js, input, -1));
      expect(replaceAll(vm, input, '<$1>', false)).toBe(replaceAll(js, input, '<$1>', false));
      expect(split(vm, input, -1)).toEqual(split(js, input, -1));
    });
  }

  it('finds what Go finds', () => {
    const re = compileRegexp('(a|ab)(c|bcd)(d*)', { engine: 'vm' });
    const m = re.exec('abcd', 0)!;
    // Leftmost-first (Perl-like) submatches, as Go's regexp reports them.
    expect([m.index, m.end, ...m.caps.slice(2)]).toEqual([0, 4, 0, 1, 1, 4, 4, 4]);
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
    expect(findAllString(compileRegexp(pattern), input, -1)).toBeNull();
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
