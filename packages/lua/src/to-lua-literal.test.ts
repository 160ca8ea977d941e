import { describe, expect, it } from 'vitest';
import { LiteralDepthError, luaString, MAX_LITERAL_DEPTH, toLuaLiteral } from './to-lua-literal.ts';

describe('toLuaLiteral', () => {
  it.each([
    [null, 'nil'],
    [true, 'true'],
    [3, '3'],
    [-2.5, '-2.5'],
    [1e21, '1e+21'],
    [Infinity, '1e999'],
    [Number.NaN, 'nil'],
    ['plain', '"plain"'],
    [[1, 'a'], '{1,"a",}'],
    [{ a: 1, b: null, c: [] }, '{["a"]=1,["c"]={},}'],
  ])('writes %j as %s', (value, expected) => {
    expect(toLuaLiteral(value)).toBe(expected);
  });

  it('escapes quotes, backslashes and control characters with fixed-width escapes', () => {
    expect(luaString('a"b\\c\n1\u00002')).toBe('"a\\"b\\\\c\\0101\\0002"');
    expect(luaString('ünïcode ✓')).toBe('"ünïcode ✓"');
  });

  it('switches to keyed lists when lists nest deeply, so the parser never runs out of registers', () => {
    expect(toLuaLiteral([[[[1, null, 3]]]])).toBe('{{{{[1]=1,[3]=3,},},},}');
  });

  it('refuses values nested deeper than the Lua parser allows', () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_LITERAL_DEPTH; i++) deep = { a: deep };
    expect(() => toLuaLiteral(deep)).toThrow(LiteralDepthError);
  });
});
