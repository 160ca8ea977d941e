// Sprig's string functions (strings.go and the string entries of functions.go, v3.3.0).

import { createHash } from 'node:crypto';
import { formatValue } from './go-fmt.ts';
import { quote } from './go-quote.ts';
import { parseInt64 } from './go-number.ts';
import { adler32 } from './go-encoding.ts';
import { strval } from './go-cast.ts';
import type { GoInt } from './go-values.ts';
import { GoMap, GoSlice, goInt, goInt64, sliceItems } from './go-values.ts';
import { checkCount, checkSize } from './limits.ts';
import {
  abbreviateFull,
  camelCaseToLowerCase,
  deleteWhiteSpace,
  goTitle,
  goToLower,
  goToUpper,
  goTrim,
  goTrimSpace,
  initials,
  swapCase,
  toPascalCase,
  untitle,
  wrapCustom,
} from './string-case.ts';
import { B, def, defv, fail, I, S, sliceBoundsError, X, type FuncTable } from './sprig-define.ts';
import { byteLength, byteSlice, compareBytes, isAscii, utf8Bytes } from './utf8.ts';
import type { RandomSource } from './func-env.ts';

/** Sprig's strslice: a list as strings (nils dropped), a scalar as a one-element list. */
export function strslice(v: unknown): string[] {
  if (v instanceof GoSlice && v.elem === 'string') return v.items as string[];
  const items = sliceItems(v);
  if (items !== undefined) return items.filter((x) => x !== null && x !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

/** strings.Split(s, sep) with Go's rules (an empty separator explodes into runes). */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const runes = [...s];
    if (n < 0 || n > runes.length) n = runes.length;
    const out = runes.slice(0, n > 0 ? n - 1 : 0);
    if (n > 0) out.push(runes.slice(n - 1).join(''));
    return out;
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function splitMap(parts: string[]): GoMap {
  return new GoMap('string', new Map(parts.map((p, i) => [`_${i}`, p])));
}

function repeat(s: string, count: number): string {
  if (count < 0) fail('strings: negative Repeat count');
  checkSize(s.length * count, 'repeat result');
  return s.repeat(count);
}

function hash(alg: string, s: string): string {
  return createHash(alg).update(s, 'utf8').digest('hex');
}

function randomString(random: RandomSource, count: number, alphabet: string): string {
  if (count <= 0) return '';
  checkSize(count, 'random string');
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[Math.floor(random.next() * alphabet.length)]!;
  return out;
}

const alpha = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const digits = '0123456789';
let ascii = '';
for (let c = 32; c <= 126; c++) ascii += String.fromCharCode(c);

/** untilStep of Sprig (shared with seq and until). */
export function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    checkCount(Math.ceil((start - stop) / -step), 'list');
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0) return v;
  checkCount(Math.ceil((stop - start) / step), 'list');
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

function seq(...params: GoInt[]): string {
  const p = params.map((x) => x.value);
  let list: number[];
  switch (p.length) {
    case 0:
      return '';
    case 1: {
      const end = p[0]!;
      const inc = end < 1 ? -1 : 1;
      list = untilStep(1, end + inc, inc);
      break;
    }
    case 2: {
      const [start, end] = p as [number, number];
      const step = end < start ? -1 : 1;
      list = untilStep(start, end + step, step);
      break;
    }
    case 3: {
      const [start, step, end] = p as [number, number, number];
      let inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      list = untilStep(start, end + inc, step);
      break;
    }
    default:
      return '';
  }
  return list.join(' ');
}

/** strings.Replace(s, old, new, -1): an empty old inserts at every rune boundary. */
function replaceAll(src: string, old: string, repl: string): string {
  if (old === '') {
    const runes = [...src];
    checkSize(src.length + repl.length * (runes.length + 1), 'replace result');
    return repl + runes.map((r) => r + repl).join('');
  }
  const n = src.split(old).length - 1;
  checkSize(src.length + n * (repl.length - old.length), 'replace result');
  return src.split(old).join(repl);
}

function indent(spaces: GoInt, v: string): string {
  const n = Math.max(spaces.value, 0);
  const pad = ' '.repeat(Math.min(n, 1e7));
  const lines = v.split('\n').length;
  checkSize(v.length + n * lines, 'indent result');
  return pad + v.split('\n').join('\n' + pad);
}

/** Sprig's substring: byte indexes, with Go's slice panics. */
function substr(start: GoInt, end: GoInt, s: string): string {
  const a = start.value;
  const b = end.value;
  const len = byteLength(s);
  if (a < 0) {
    if (b < 0 || b > len) sliceBoundsError(undefined, b, len);
    return byteSlice(s, 0, b);
  }
  if (b < 0 || b > len) {
    if (a > len) sliceBoundsError(a, undefined, len);
    return byteSlice(s, a);
  }
  if (a > b) sliceBoundsError(a, b, len);
  return byteSlice(s, a, b);
}

function trunc(c: GoInt, s: string): string {
  const n = c.value;
  const len = byteLength(s);
  if (n < 0 && len + n > 0) return byteSlice(s, len + n);
  if (n >= 0 && len > n) return byteSlice(s, 0, n);
  return s;
}

export function stringFuncs(random: RandomSource): FuncTable {
  return [
    ['hello', def([], S, () => 'Hello!')],
    [
      'abbrev',
      def([I, S], S, (w: GoInt, s: string) => (w.value < 4 ? s : (abbreviateFull(s, 0, w.value) ?? ''))),
    ],
    [
      'abbrevboth',
      def([I, I, S], S, (l: GoInt, r: GoInt, s: string) =>
        r.value < 4 || (l.value > 0 && r.value < 7) ? s : (abbreviateFull(s, l.value, r.value) ?? ''),
      ),
    ],
    ['trunc', def([I, S], S, trunc)],
    ['trim', def([S], S, goTrimSpace)],
    ['upper', def([S], S, goToUpper)],
    ['lower', def([S], S, goToLower)],
    ['title', def([S], S, goTitle)],
    ['untitle', def([S], S, untitle)],
    ['substr', def([I, I, S], S, substr)],
    ['repeat', def([I, S], S, (count: GoInt, s: string) => repeat(s, count.value))],
    ['trimall', def([S, S], S, (a: string, b: string) => goTrim(b, a))],
    ['trimAll', def([S, S], S, (a: string, b: string) => goTrim(b, a))],
    [
      'trimSuffix',
      def([S, S], S, (a: string, b: string) => (a !== '' && b.endsWith(a) ? b.slice(0, -a.length) : b)),
    ],
    ['trimPrefix', def([S, S], S, (a: string, b: string) => (b.startsWith(a) ? b.slice(a.length) : b))],
    [
      'nospace',
      def([S], S, (s: string) =>
        isAscii(s) ? s.replace(/[\t\n\v\f\r ]/g, '') : deleteWhiteSpace(s, utf8Bytes(s)),
      ),
    ],
    ['initials', def([S], S, (s: string) => initials(s, utf8Bytes(s)))],
    ['randAlphaNum', def([I], S, (n: GoInt) => randomString(random, n.value, alpha + digits))],
    ['randAlpha', def([I], S, (n: GoInt) => randomString(random, n.value, alpha))],
    ['randAscii', def([I], S, (n: GoInt) => randomString(random, n.value, ascii))],
    ['randNumeric', def([I], S, (n: GoInt) => randomString(random, n.value, digits))],
    ['swapcase', def([S], S, swapCase)],
    [
      'shuffle',
      def([S], S, (s: string) => {
        const runes = [...s];
        for (let i = runes.length - 1; i > 0; i--) {
          const j = Math.floor(random.next() * (i + 1));
          [runes[i], runes[j]] = [runes[j]!, runes[i]!];
        }
        return runes.join('');
      }),
    ],
    ['snakecase', def([S], S, (s: string) => camelCaseToLowerCase(s, '_'))],
    ['camelcase', def([S], S, toPascalCase)],
    ['kebabcase', def([S], S, (s: string) => camelCaseToLowerCase(s, '-'))],
    [
      'wrap',
      def([I, S], S, (l: GoInt, s: string) => {
        checkSize(s.length * 2, 'wrap result');
        return wrapCustom(s, l.value, '', false);
      }),
    ],
    [
      'wrapWith',
      def([I, S, S], S, (l: GoInt, sep: string, s: string) => {
        checkSize(s.length * (sep.length + 1), 'wrapWith result');
        return wrapCustom(s, l.value, sep, true);
      }),
    ],
    ['contains', def([S, S], B, (sub: string, s: string) => s.includes(sub))],
    ['hasPrefix', def([S, S], B, (p: string, s: string) => s.startsWith(p))],
    ['hasSuffix', def([S, S], B, (p: string, s: string) => s.endsWith(p))],
    [
      'quote',
      defv([X], S, (...a: unknown[]) =>
        a
          .filter((x) => x !== null && x !== undefined)
          .map((x) => quote(strval(x)))
          .join(' '),
      ),
    ],
    [
      'squote',
      defv([X], S, (...a: unknown[]) =>
        a
          .filter((x) => x !== null && x !== undefined)
          .map((x) => `'${formatValue(x)}'`)
          .join(' '),
      ),
    ],
    [
      'cat',
      defv([X], S, (...a: unknown[]) =>
        a
          .filter((x) => x !== null && x !== undefined)
          .map((x) => formatValue(x))
          .join(' '),
      ),
    ],
    ['indent', def([I, S], S, indent)],
    ['nindent', def([I, S], S, (n: GoInt, v: string) => '\n' + indent(n, v))],
    ['replace', def([S, S, S], S, (o: string, n: string, src: string) => replaceAll(src, o, n))],
    ['plural', def([S, S, I], S, (one: string, many: string, n: GoInt) => (n.value === 1 ? one : many))],
    ['sha1sum', def([S], S, (s: string) => hash('sha1', s))],
    ['sha256sum', def([S], S, (s: string) => hash('sha256', s))],
    ['sha512sum', def([S], S, (s: string) => hash('sha512', s))],
    ['adler32sum', def([S], S, (s: string) => String(adler32(s)))],
    ['toString', def([X], S, strval)],
    [
      'atoi',
      def([S], I, (s: string) => {
        if (!/^[+-]?\d+$/.test(s)) return goInt(0);
        const v = parseInt64(s.replace(/^\+/, '').replace(/^(-?)0+(?=\d)/, '$1'));
        if (v !== undefined) return goInt(Number(v));
        return goInt(s.startsWith('-') ? -9223372036854775808 : 9223372036854775807);
      }),
    ],
    ['seq', defv([I], S, seq)],
    [
      'toDecimal',
      def([X], 'int64', (v: unknown) => {
        const s = formatValue(v === undefined ? null : v);
        if (!/^[+-]?[0-7]+$/.test(s)) return goInt64(0);
        const n = BigInt.asIntN(64, BigInt(parseInt(s, 8)));
        return goInt64(Number(n));
      }),
    ],
    ['split', def([S, S], 'map[string]string', (sep: string, s: string) => splitMap(goSplit(s, sep)))],
    [
      'splitList',
      def([S, S], '[]string', (sep: string, s: string) => new GoSlice('string', goSplit(s, sep))),
    ],
    [
      'splitn',
      def([S, I, S], 'map[string]string', (sep: string, n: GoInt, s: string) =>
        splitMap(goSplit(s, sep, n.value)),
      ),
    ],
    ['toStrings', def([X], '[]string', (v: unknown) => new GoSlice('string', strslice(v)))],
    ['join', def([S, X], S, (sep: string, v: unknown) => strslice(v).join(sep))],
    [
      'sortAlpha',
      def([X], '[]string', (v: unknown) => {
        if (sliceItems(v) !== undefined) return new GoSlice('string', [...strslice(v)].sort(compareBytes));
        return new GoSlice('string', [strval(v)]);
      }),
    ],
  ];
}
