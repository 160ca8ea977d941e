// Go's numeric literal rules for template constants: strconv.ParseInt/ParseUint/ParseFloat with
// base prefixes and underscores, and parse.newNumber's int/uint/float/complex classification.

import { quote } from './go-quote.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv's underscoreOK: underscores only between digits, or between a base prefix and a digit. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** Parses an integer with Go's base-0 syntax, or returns undefined. */
export function parseGoInteger(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '') return undefined;
  let base = 10;
  let digits = s;
  if (s.length >= 2 && s[0] === '0') {
    const p = s[1]!.toLowerCase();
    if (p === 'x') {
      base = 16;
      digits = s.slice(2);
    } else if (p === 'o') {
      base = 8;
      digits = s.slice(2);
    } else if (p === 'b') {
      base = 2;
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  if (s.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    digits = digits.replaceAll('_', '');
  }
  if (digits === '') return undefined;
  const valid =
    base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  let v = 0n;
  const b = BigInt(base);
  for (const c of digits) v = v * b + BigInt(parseInt(c, 16));
  return neg ? -v : v;
}

/** strconv.ParseInt(text, 0, 64). */
export function parseInt64(text: string): bigint | undefined {
  const v = parseGoInteger(text);
  if (v === undefined || v < INT64_MIN || v > INT64_MAX) return undefined;
  return v;
}

/** strconv.ParseUint(text, 0, 64): no sign allowed. */
export function parseUint64(text: string): bigint | undefined {
  if (text.startsWith('-') || text.startsWith('+')) return undefined;
  const v = parseGoInteger(text);
  if (v === undefined || v > UINT64_MAX) return undefined;
  return v;
}

const decimalFloat = /^[+-]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?$/;
const hexFloat = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?\d[\d_]*)$/;

/** strconv.ParseFloat(text, 64) for the literal forms the lexer produces. */
export function parseGoFloat(text: string): number | undefined {
  if (decimalFloat.test(text)) {
    if (/_(?!\d)|(?<!\d)_/.test(text)) return undefined;
    const v = Number(text.replaceAll('_', ''));
    return Number.isNaN(v) ? undefined : v;
  }
  const m = hexFloat.exec(text);
  if (m !== null) {
    const intPart = m[2]!.replaceAll('_', '');
    const frac = (m[3] ?? '').replaceAll('_', '');
    if (intPart === '' && frac === '') return undefined;
    let mant = 0;
    for (const c of intPart + frac) mant = mant * 16 + parseInt(c, 16);
    const exp = Number(m[4]!.replaceAll('_', '')) - 4 * frac.length;
    const v = mant * 2 ** exp;
    return m[1] === '-' ? -v : v;
  }
  return undefined;
}

export interface NumberValue {
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: number;
  uint: number;
  float: number;
  re: number;
  im: number;
  intOverflow: boolean;
}

function simplifyComplex(n: NumberValue): void {
  n.isFloat = n.im === 0;
  if (n.isFloat) {
    n.float = n.re;
    n.isInt = Number.isInteger(n.float) && Math.abs(n.float) <= 2 ** 63;
    if (n.isInt) n.int = n.float;
    n.isUint = n.isInt && n.float >= 0;
    if (n.isUint) n.uint = n.float;
  }
}

function parseComplex(text: string): [number, number] | undefined {
  // "1+2i": the imaginary part starts at the last sign that does not follow an exponent marker.
  for (let i = text.length - 2; i > 0; i--) {
    const c = text[i];
    if ((c === '+' || c === '-') && !/[eEpP]/.test(text[i - 1]!)) {
      const re = parseGoFloat(text.slice(0, i));
      const im = parseGoFloat(text.slice(i, -1));
      if (re === undefined || im === undefined) return undefined;
      return [re, im];
    }
  }
  return undefined;
}

/**
 * parse.newNumber: classifies a numeric literal. Returns an error message (Go's) for bad syntax.
 * `kind` is 'char' for character constants (value already decoded), 'complex' or 'number'.
 */
export function classifyNumber(
  text: string,
  kind: 'char' | 'complex' | 'number',
  charValue = 0,
): NumberValue | string {
  const n: NumberValue = {
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int: 0,
    uint: 0,
    float: 0,
    re: 0,
    im: 0,
    intOverflow: false,
  };
  if (kind === 'char') {
    n.int = n.uint = n.float = charValue;
    n.isInt = n.isUint = n.isFloat = true;
    return n;
  }
  if (kind === 'complex') {
    const c = parseComplex(text);
    if (c === undefined) return `strconv.ParseComplex: parsing ${quote(text)}: invalid syntax`;
    n.isComplex = true;
    [n.re, n.im] = c;
    simplifyComplex(n);
    return n;
  }
  if (text.endsWith('i')) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== undefined) {
      n.isComplex = true;
      n.re = 0;
      n.im = f;
      simplifyComplex(n);
      return n;
    }
  }
  const u = parseUint64(text);
  if (u !== undefined) {
    n.isUint = true;
    n.uint = Number(u);
  }
  const i = parseInt64(text);
  if (i !== undefined) {
    n.isInt = true;
    n.int = Number(i);
    if (i === 0n && u !== undefined) {
      n.isUint = true;
      n.uint = Number(u);
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float = n.int;
  } else if (n.isUint) {
    n.isFloat = true;
    n.float = n.uint;
    n.intOverflow = true;
  } else {
    const f = parseGoFloat(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${text}`;
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int = f;
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint = f;
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) return `illegal number syntax: ${quote(text)}`;
  return n;
}
