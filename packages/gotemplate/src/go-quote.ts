// strconv.Quote, QuoteToASCII, QuoteRune and Unquote: Go's string literal syntax, used by %q,
// Sprig's quote and the template lexer.

const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp < 0x20) return false;
  if (cp < 0x7f) return true;
  return printable.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 0x5c) return `\\${String.fromCodePoint(cp)}`;
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp > 0x10ffff) return '\\ufffd';
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

function quoteWith(s: string, quote: number, asciiOnly: boolean): string {
  let out = String.fromCharCode(quote);
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, quote, asciiOnly);
  return out + String.fromCharCode(quote);
}

export function quote(s: string): string {
  // Fast path: printable ASCII without quotes or backslashes.
  if (/^[\x20-\x7e]*$/.test(s) && !s.includes('"') && !s.includes('\\')) return `"${s}"`;
  return quoteWith(s, 0x22, false);
}

export function quoteToASCII(s: string): string {
  return quoteWith(s, 0x22, true);
}

export function quoteRune(cp: number, asciiOnly = false): string {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return `'${escapeRune(cp, 0x27, asciiOnly)}'`;
}

/** strconv.CanBackquote: no control characters other than tab, no backquote, no U+FEFF. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x60 || cp === 0xfeff) return false;
    if ((cp < 0x20 && cp !== 0x09) || cp === 0x7f) return false;
  }
  return true;
}

export class QuoteSyntaxError extends Error {
  constructor() {
    super('invalid syntax');
  }
}

interface UnquotedChar {
  /** A code point, or a raw byte (from \x or octal escapes) when `byte` is true. */
  value: number;
  byte: boolean;
  rest: number;
}

/** strconv.UnquoteChar: decodes one character or escape of a quoted literal starting at i. */
function unquoteChar(s: string, i: number, quote: number): UnquotedChar {
  const c = s.codePointAt(i)!;
  if (c === quote && (quote === 0x27 || quote === 0x22)) throw new QuoteSyntaxError();
  if (c !== 0x5c) return { value: c, byte: false, rest: i + (c > 0xffff ? 2 : 1) };
  if (i + 1 >= s.length) throw new QuoteSyntaxError();
  const e = s[i + 1]!;
  let j = i + 2;
  switch (e) {
    case 'a':
      return { value: 7, byte: false, rest: j };
    case 'b':
      return { value: 8, byte: false, rest: j };
    case 'f':
      return { value: 12, byte: false, rest: j };
    case 'n':
      return { value: 10, byte: false, rest: j };
    case 'r':
      return { value: 13, byte: false, rest: j };
    case 't':
      return { value: 9, byte: false, rest: j };
    case 'v':
      return { value: 11, byte: false, rest: j };
    case 'x':
    case 'u':
    case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = s.slice(j, j + n);
      if (digits.length < n || !/^[0-9a-fA-F]+$/.test(digits)) throw new QuoteSyntaxError();
      const v = parseInt(digits, 16);
      j += n;
      if (e === 'x') return { value: v, byte: true, rest: j };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new QuoteSyntaxError();
      return { value: v, byte: false, rest: j };
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      const digits = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) throw new QuoteSyntaxError();
      const v = parseInt(digits, 8);
      if (v > 255) throw new QuoteSyntaxError();
      return { value: v, byte: true, rest: i + 4 };
    }
    case '\\':
      return { value: 0x5c, byte: false, rest: j };
    case "'":
    case '"':
      if (e.charCodeAt(0) !== quote) throw new QuoteSyntaxError();
      return { value: e.charCodeAt(0), byte: false, rest: j };
    default:
      throw new QuoteSyntaxError();
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** strconv.Unquote for "…" and `…` literals (the lexer has already checked the delimiters). */
export function unquote(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new QuoteSyntaxError();
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new QuoteSyntaxError();
    return body.includes('\r') ? body.replaceAll('\r', '') : body;
  }
  if (q !== '"') throw new QuoteSyntaxError();
  if (!body.includes('\\')) {
    if (body.includes('"') || body.includes('\n')) throw new QuoteSyntaxError();
    return body;
  }
  // Raw bytes from \x and octal escapes may form UTF-8 sequences together, so collect bytes.
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] === '\n') throw new QuoteSyntaxError();
    const r = unquoteChar(body, i, 0x22);
    if (r.byte) bytes.push(r.value);
    else bytes.push(...encoder.encode(String.fromCodePoint(r.value)));
    i = r.rest;
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** Decodes a character constant such as 'a' or '\n' to its code point. */
export function unquoteCharLiteral(lit: string): number {
  if (lit.length < 3 || lit[0] !== "'" || lit[lit.length - 1] !== "'") throw new QuoteSyntaxError();
  const r = unquoteChar(lit, 1, 0x27);
  if (r.rest !== lit.length - 1) throw new Error(`malformed character constant: ${lit}`);
  return r.value;
}
