// The language beyond the reference table: literals, operators, builtins, closures, types and error
// shapes, as expr v1.17.8 behaves (read from its source).
import { describe, expect, it } from 'vitest';
import { ExprError } from './expr-error.ts';
import { formatValue, goTypeName } from './go-format.ts';
import { compile } from './program.ts';

const now = (): number => Date.parse('2026-03-04T05:06:07Z');

function show(src: string, env: Record<string, unknown> = {}): string {
  let program;
  try {
    program = compile(src);
  } catch (e) {
    if (e instanceof ExprError) return `CERR ${e.reason}`;
    throw e;
  }
  try {
    const v = program.run(env, { now });
    return `${formatValue(v)} :: ${goTypeName(v, 'int')}`;
  } catch (e) {
    if (e instanceof ExprError) return `ERR ${e.reason}`;
    throw e;
  }
}

const table: [string, Record<string, unknown>, string][] = [
  // literals
  ['0x2A + 0o52 + 0b101 + 1_000', {}, '1089 :: int'],
  ['.5 + 1e3', {}, '1000.5 :: float64'],
  ['1e3', {}, '1000 :: float64'],
  ['`raw \\n`', {}, 'raw \\n :: string'],
  ['"\\u00e9\\u{1F600}\\t"', {}, 'é😀\t :: string'],
  ['[1, "a", nil,]', {}, '[1 a <nil>] :: []interface {}'],
  ['{a: 1, "b c": 2, ("d" + "e"): 3}', {}, 'map[a:1 b c:2 de:3] :: map[string]interface {}'],
  ['1 /* block */ + 2 // line', {}, '3 :: int'],
  ['let x = 2; let y = x * 3; y + 1', {}, '7 :: int'],
  ['let x = 1; let x = 2; x', {}, 'CERR cannot redeclare variable x'],
  ['let len = 1; len', {}, 'CERR cannot redeclare builtin len'],
  ['if 1 > 2 { "a" } else if true { "b" } else { "c" }', {}, 'b :: string'],
  ['$env.x + $env["y"]', { x: 1, y: 2 }, '3 :: int'],
  ['b"hi"', {}, '[104 105] :: []uint8'],
  // arithmetic and comparison
  ['x + 1', { x: 1 }, '2 :: int'],
  ['x * 1.5', { x: 2 }, '3 :: float64'],
  ['7 % 2.0', {}, 'CERR invalid operation: % (mismatched types int and float64)'],
  ['x % y', { x: 7, y: 0 }, 'ERR runtime error: integer divide by zero'],
  ['1 / 0', {}, '+Inf :: float64'],
  ['"b" > "a" && "B" < "a"', {}, 'true :: bool'],
  ['[1, 2] == [1.0, 2]', {}, 'true :: bool'],
  ['[1] == [1, 2]', {}, 'false :: bool'],
  ['x == nil', {}, 'true :: bool'],
  ['x == x', { x: { a: [1, { b: 2 }] } }, 'true :: bool'],
  ['-x', { x: 'a' }, 'ERR invalid operation: - string'],
  ['x + y', { x: 'a', y: 1 }, 'ERR invalid operation: string + int64'],
  ['x.y', { x: 1 }, 'ERR cannot fetch y from int64'],
  ['"abc"[1]', {}, 'CERR type string[int] is undefined'],
  ['s[1]', { s: 'abc' }, '98 :: int'],
  ['s[1:]', { s: 'abc' }, 'bc :: string'],
  ['m[1]', { m: { a: 1 } }, 'ERR reflect.Value.MapIndex: value of type int is not assignable to type string'],
  ['a["x"]', { a: [1] }, 'ERR invalid operation: int(string)'],
  ['1 in [1, 2] && x in [1, 2] && 2.0 in [1, 2]', { x: 2 }, 'true :: bool'],
  ['"a" in {"a": 1}', {}, 'true :: bool'],
  ['3 in 1..5 and 6 not in 1..5', {}, 'true :: bool'],
  ['x.a?.b?.c ?? "none"', { x: { a: null } }, 'none :: string'],
  ['x?.[0]', { x: null }, '<nil> :: <nil>'],
  ['x?.[0]', { x: ['first'] }, 'first :: string'],
  ['not true in [false]', {}, 'true :: bool'],
  ['"ab" startsWith "a" and "ab" endsWith "b" and "ab" not contains "c"', {}, 'true :: bool'],
  ['"Ab" matches "(?i)^ab$" and not ("ab" matches "^b")', {}, 'true :: bool'],
  // builtins
  ['len("héllo") + len([1, 2]) + len({"a": 1})', {}, '8 :: int'],
  ['len(nil)', {}, 'CERR invalid argument for len (type <nil>)'],
  ['abs(-3) + abs(-1)', {}, '4 :: int'],
  ['abs(-2.5)', {}, '2.5 :: float64'],
  ['[round(2.5), round(-2.5), ceil(1.2), floor(-1.2), floor(1)]', {}, '[3 -3 2 -2 1] :: []interface {}'],
  ['int("42") + int(-3.9)', {}, '39 :: int'],
  ['float("1.5") + float(1)', {}, '2.5 :: float64'],
  [
    '[type(1), type(1.5), type("s"), type(true), type(nil), type([]), type({}), type(now()), type(duration("1s"))]',
    {},
    '[int float string bool nil array map time.Time time.Duration] :: []interface {}',
  ],
  ['string([1, "a", nil]) + string({"b": 1, "a": [2]})', {}, '[1 a <nil>]map[a:[2] b:1] :: string'],
  [
    '[trim("  x "), trimPrefix("ab", "a"), trimSuffix("ab", "b"), upper("ß"), lower("ÀB")]',
    {},
    '[x b a ß àb] :: []interface {}',
  ],
  [
    '[split("a,b", ""), splitAfter("a,b", ","), split("a,b,c", ",", -1)]',
    {},
    '[[a , b] [a, b] [a b c]] :: []interface {}',
  ],
  [
    '[replace("aaa", "a", "b"), replace("aaa", "a", "b", 2), repeat("ab", 2)]',
    {},
    '[bbb bba abab] :: []interface {}',
  ],
  [
    '[indexOf("héllo", "l"), lastIndexOf("hello", "l"), hasPrefix("ab", "a"), hasSuffix("ab", "a")]',
    {},
    '[3 3 true false] :: []interface {}',
  ],
  ['join(["a", "b"], "-") + join(["c"])', {}, 'a-bc :: string'],
  ['join([1])', {}, 'ERR interface conversion: interface {} is int64, not string'],
  [
    '[max(1, 2.5, [3]), min([4, 2], 3), median([3, 1, 2]), median([1, 2, 3, 4]), mean([])]',
    {},
    '[3 2 2 2.5 0] :: []interface {}',
  ],
  ['max("a")', {}, 'CERR invalid argument for max (type string)'],
  ['toJSON([1, 2.5, "<"])', {}, '[\n  1,\n  2.5,\n  "\\u003c"\n] :: string'],
  ['toJSON({})', {}, '{} :: string'],
  ['fromJSON("[1, 2.5, {\\"a\\": null}]")', {}, '[1 2.5 map[a:<nil>]] :: []interface {}'],
  ['type(fromJSON("1"))', {}, 'float :: string'],
  ['fromJSON("x")', {}, "ERR invalid character 'x' looking for beginning of value"],
  ['toBase64("hi") + fromBase64("aGk=")', {}, 'aGk=hi :: string'],
  [
    '[first([]), first([1, 2]), last([1, 2]), get({"a": 1}, "b"), get([1], 5), get(x, "y")]',
    {},
    '[<nil> 1 2 <nil> <nil> <nil>] :: []interface {}',
  ],
  ['get(nil, "x")', {}, 'CERR type unknown does not support indexing'],
  [
    '[take([1, 2, 3], 2), reverse([1, 2]), uniq([1, 1.0, 2]), concat([1], [2]), flatten([[1], [2, [3]]])]',
    {},
    '[[1 2] [2 1] [1 2] [1 2] [1 2 3]] :: []interface {}',
  ],
  ['[sort([3, 1, 2]), sort(["b", "a", "c"], "desc")]', {}, '[[1 2 3] [c b a]] :: []interface {}'],
  ['sort([1, "a"])', {}, 'ERR invalid operation: string < int'],
  ['toPairs({"a": 1})', {}, '[[a 1]] :: []interface {}'],
  ['fromPairs([["a", 1]]).a', {}, '1 :: int'],
  ['bitand(6, 3) + bitor(4, 1) + bitxor(5, 1) + bitshl(1, 3) + bitshr(16, 2) + bitnot(0)', {}, '22 :: int'],
  // closures
  ['map([1, 2, 3], # * #index)', {}, '[0 2 6] :: []interface {}'],
  ['filter([1, 2, 3], #index > 0)', {}, 'CERR unknown pointer #index'],
  [
    '[findIndex([1, 2, 3], # == 2), findLast([1, 2, 3], # < 3), findLastIndex([1, 2, 3], # < 3), findIndex([1], # > 5)]',
    {},
    '[1 2 1 <nil>] :: []interface {}',
  ],
  ['none([1, 2], # > 2) and all([1, 2], # > 0) and not one([1, 2], # > 0)', {}, 'true :: bool'],
  ['sum([1, 2, 3], # * 2) + sum(1..100000000)', {}, '5000000050000012 :: int'],
  [
    'groupBy(x, .team)["a"] | map(.n)',
    {
      x: [
        { team: 'a', n: 1 },
        { team: 'b', n: 2 },
        { team: 'a', n: 3 },
      ],
    },
    '[1 3] :: []interface {}',
  ],
  ['reduce([1, 2, 3], #acc * #)', {}, '6 :: int'],
  ['filter([1, 2, 3], # > 1)[0]', {}, '2 :: int'],
  ['filter([1], # > 1)[0]', {}, 'ERR reflect: slice index out of range'],
  ['[1, 2, 3] | filter(# > 1) | map(# * 10) | sum()', {}, '50 :: int'],
  ['all(x, # > 0)', { x: { a: 1 } }, 'ERR reflect: call of reflect.Value.Index on map Value'],
  ['any({}, true)', {}, 'CERR builtin any takes only array (got map[string]interface {})'],
  ['map("ab", #)', {}, 'CERR builtin map takes only array (got string)'],
  ['map(s, #)', { s: 'ab' }, '[97 98] :: []interface {}'],
  ['all(1, true)', {}, 'CERR builtin all takes only array (got int)'],
  ['any(x, 1)', {}, 'CERR predicate should return boolean (got int)'],
  ['sortBy([{"n": 2}, {"n": 1}], .n) | map(.n)', {}, '[1 2] :: []interface {}'],
  ['sortBy([1], #, "up")', {}, 'ERR unknown order, use asc or desc'],
  ['count([1], #)', {}, 'CERR predicate should return boolean (got int)'],
  ['count(x, #)', { x: [1] }, 'ERR interface conversion: interface {} is int64, not bool'],
  // time and durations
  ['now().Year() * 100 + now().Day()', {}, '202604 :: int'],
  ['now().Month().String() + " " + string(now().Weekday())', {}, 'March Wednesday :: string'],
  ['int(true)', {}, 'CERR invalid argument for int (type bool)'],
  ['duration("1h30m") + duration("90s")', {}, '1h31m30s :: time.Duration'],
  [
    '[duration("1.5s"), duration("500ms"), duration("1us"), duration("0"), duration("-1h")]',
    {},
    '[1.5s 500ms 1µs 0s -1h0m0s] :: []interface {}',
  ],
  ['2 * duration("1m")', {}, '2m0s :: time.Duration'],
  ['duration("1m") * 1.5', {}, '9e+10 :: float64'],
  ['duration("1x")', {}, 'ERR time: unknown unit "x" in duration "1x"'],
  ['duration("1")', {}, 'ERR time: missing unit in duration "1"'],
  ['date("10:30:00")', {}, '0000-01-01 10:30:00 +0000 UTC :: time.Time'],
  ['date("01 Jan 24 10:00 MST")', {}, '2024-01-01 10:00:00 +0000 MST :: time.Time'],
  ['date("2024-01-02", "2006-01-02", "America/New_York")', {}, '2024-01-02 00:00:00 -0500 EST :: time.Time'],
  [
    'date("2024-01-02T03:04:05.5+02:00").UTC().Format("2006-01-02T15:04:05.999Z07:00")',
    {},
    '2024-01-02T01:04:05.5Z :: string',
  ],
  ['date("2024-02-30")', {}, 'ERR invalid date 2024-02-30'],
  ['date("2024-01-02") - date("2024-01-01") == duration("24h")', {}, 'true :: bool'],
  ['date("2024-01-02") > date("2024-01-01") and duration("1s") < duration("1m")', {}, 'true :: bool'],
  ['(now() - date("2026-03-04")).Hours() >= 5', {}, 'true :: bool'],
  ['timezone("Nowhere/City")', {}, 'ERR unknown time zone Nowhere/City'],
];

describe('language', () => {
  it.each(table)('%s', (src, env, want) => {
    expect(show(src, env)).toBe(want);
  });

  it('formats errors like expr: reason, position and a caret under the failing node', () => {
    const e = (() => {
      try {
        compile('m.x.y').run({ m: {} });
      } catch (err) {
        return err as ExprError;
      }
      throw new Error('expected an error');
    })();
    expect(e.message).toBe('cannot fetch y from <nil> (1:5)\n | m.x.y\n | ....^');
    expect([e.line, e.column, e.phase, e.code]).toEqual([1, 5, 'run', 'FailedPrecondition']);
  });

  it('reports compile errors with their position', () => {
    try {
      compile('a +\n  ) b');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ExprError);
      expect((e as ExprError).message).toBe('unexpected token Bracket(")") (2:3)\n |   ) b\n | ..^');
      expect((e as ExprError).code).toBe('InvalidArgument');
    }
  });

  it('now() needs an injected clock', () => {
    expect(() => compile('now()').run({})).toThrow(/needs a clock/);
  });

  it('a program is reusable and runs are independent', () => {
    const p = compile('filter(items, .n > min) | map(.n)');
    expect(p.run({ items: [{ n: 1 }, { n: 5 }], min: 2 })).toEqual([5]);
    expect(p.run({ items: [{ n: 3 }], min: 0 })).toEqual([3]);
  });
});
