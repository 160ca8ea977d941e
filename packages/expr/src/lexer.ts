// expr's lexer: tokens carry rune offsets so errors point where expr's would.

export type TokenKind = 'Identifier' | 'Number' | 'String' | 'Bytes' | 'Operator' | 'Bracket' | 'EOF';

export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  /** Rune offsets [from, to). */
  readonly from: number;
  readonly to: number;
}

export class LexError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

const EOF = -1;
const KEYWORD_OPERATORS = new Set([
  'in',
  'or',
  'and',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  'let',
  'if',
  'else',
]);
const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);

export function isLetter(r: number): boolean {
  if ((r >= 97 && r <= 122) || (r >= 65 && r <= 90)) return true;
  if (r < 128) return false;
  return /\p{L}/u.test(String.fromCodePoint(r));
}

export function isDigitRune(r: number): boolean {
  if (r >= 48 && r <= 57) return true;
  if (r < 128) return false;
  return /\p{Nd}/u.test(String.fromCodePoint(r));
}

export function isAlphabetic(r: number): boolean {
  return r === 95 || r === 36 || isLetter(r);
}

export function isAlphaNumeric(r: number): boolean {
  return isAlphabetic(r) || isDigitRune(r);
}

function isSpace(r: number): boolean {
  return (
    r === 32 ||
    (r >= 9 && r <= 13) ||
    r === 0x85 ||
    r === 0xa0 ||
    (r > 255 && /\s/u.test(String.fromCodePoint(r)))
  );
}

export function isValidIdentifier(s: string): boolean {
  const runes = Array.from(s, (c) => c.codePointAt(0) ?? 0);
  if (runes.length === 0 || !isAlphabetic(runes[0] as number)) return false;
  return runes.every(isAlphaNumeric);
}

function hexVal(r: number): number {
  if (r >= 48 && r <= 57) return r - 48;
  const l = r | 0x20;
  if (l >= 97 && l <= 102) return l - 97 + 10;
  return 16;
}

/** `%#U` of a rune: U+0040 '@'. */
function runeU(r: number): string {
  return `U+${r.toString(16).toUpperCase().padStart(4, '0')} '${String.fromCodePoint(r)}'`;
}

class Lexer {
  private readonly runes: number[];
  private start = 0;
  private end = 0;
  private eof = false;
  readonly tokens: Token[] = [];

  constructor(source: string) {
    this.runes = Array.from(source, (c) => c.codePointAt(0) ?? 0);
  }

  private next(): number {
    if (this.end >= this.runes.length) {
      this.eof = true;
      return EOF;
    }
    return this.runes[this.end++] as number;
  }

  private peek(): number {
    return this.end < this.runes.length ? (this.runes[this.end] as number) : EOF;
  }

  private backup(): void {
    if (this.eof) this.eof = false;
    else if (this.end > 0) this.end--;
  }

  private word(): string {
    return String.fromCodePoint(...this.runes.slice(this.start, this.end));
  }

  private emit(kind: TokenKind, value = this.word()): void {
    this.tokens.push({ kind, value, from: this.start, to: this.end });
    this.start = this.end;
  }

  private accept(valid: string): boolean {
    const p = this.peek();
    if (p !== EOF && valid.includes(String.fromCodePoint(p))) {
      this.next();
      return true;
    }
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  private error(message: string): never {
    let end = this.end;
    if (this.eof) end++;
    throw new LexError(message, Math.max(0, end - 1));
  }

  run(): Token[] {
    for (;;) {
      const r = this.next();
      if (r === EOF) {
        this.tokens.push({ kind: 'EOF', value: '', from: Math.max(0, this.end - 1), to: this.end });
        return this.tokens;
      }
      const c = String.fromCodePoint(r);
      if (isSpace(r)) {
        this.start = this.end;
      } else if (c === "'" || c === '"') {
        this.scanString(r);
        this.emit('String', unescape(this.word()));
      } else if (c === '`') {
        this.scanRawString();
      } else if ((c === 'b' || c === 'B') && (this.peek() === 39 || this.peek() === 34)) {
        const quote = this.next();
        this.scanString(quote);
        this.emit('Bytes', unescapeBytes(this.word().slice(1)));
      } else if (r >= 48 && r <= 57) {
        this.backup();
        this.number();
      } else if (c === '?') {
        this.accept('.?');
        this.emit('Operator');
      } else if (c === '/') {
        if (this.accept('/')) {
          for (;;) {
            const n = this.next();
            if (n === EOF || n === 10) break;
          }
          this.start = this.end;
        } else if (this.accept('*')) {
          for (;;) {
            const n = this.next();
            if (n === EOF) this.error('unclosed comment');
            if (n === 42 && this.accept('/')) break;
          }
          this.start = this.end;
        } else this.emit('Operator');
      } else if (c === '#') {
        this.accept('#');
        this.emit('Operator');
        for (;;) {
          const n = this.next();
          if (!isAlphaNumeric(n)) {
            this.backup();
            if (this.end > this.start) this.emit('Identifier');
            break;
          }
        }
      } else if (c === '|') {
        this.accept('|');
        this.emit('Operator');
      } else if (c === ':') {
        this.accept(':');
        this.emit('Operator');
      } else if ('([{)]}'.includes(c)) {
        this.emit('Bracket');
      } else if (',;%+-^'.includes(c)) {
        this.emit('Operator');
      } else if ('&!=*<>'.includes(c)) {
        this.accept('&=*');
        this.emit('Operator');
      } else if (c === '.') {
        this.backup();
        this.dot();
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.identifier();
      } else {
        this.error(`unrecognized character: ${runeU(r)}`);
      }
    }
  }

  private number(): void {
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    const end = this.end;
    if (this.accept('.')) {
      if (this.peek() === 46) {
        this.end = end;
        this.emit('Number');
        return;
      }
      this.acceptRun(digits);
    }
    if (this.accept('eE')) {
      this.accept('+-');
      this.acceptRun(digits);
    }
    if (isAlphaNumeric(this.peek())) {
      this.next();
      this.error(`bad number syntax: ${JSON.stringify(this.word())}`);
    }
    this.emit('Number');
  }

  private dot(): void {
    this.next();
    if (this.accept('0123456789')) {
      this.backup();
      this.number();
      return;
    }
    this.accept('.');
    this.emit('Operator');
  }

  private identifier(): void {
    for (;;) {
      const r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    const w = this.word();
    if (w === 'not') {
      this.notOperator();
      return;
    }
    this.emit(KEYWORD_OPERATORS.has(w) ? 'Operator' : 'Identifier');
  }

  /** `not` followed by in/matches/contains/startsWith/endsWith lexes as two operator tokens. */
  private notOperator(): void {
    this.emit('Operator');
    this.acceptRun(' ');
    this.start = this.end;
    const end = this.end;
    for (;;) {
      const r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    if (NEGATABLE.has(this.word())) this.emit('Operator');
    else this.end = end;
  }

  private scanDigits(ch: number, base: number, n: number): number {
    while (n > 0 && hexVal(ch) < base) {
      ch = this.next();
      n--;
    }
    if (n > 0) this.error('invalid char escape');
    return ch;
  }

  private scanEscape(quote: number): number {
    let ch = this.next();
    switch (ch) {
      case 97: // a
      case 98: // b
      case 102: // f
      case 110: // n
      case 114: // r
      case 116: // t
      case 118: // v
      case 92: // backslash
      case quote:
        return this.next();
      case 48:
      case 49:
      case 50:
      case 51:
      case 52:
      case 53:
      case 54:
      case 55:
        return this.scanDigits(ch, 8, 3);
      case 120: // x
        return this.scanDigits(this.next(), 16, 2);
      case 117: // u
        if (this.peek() === 123) {
          this.next();
          let digits = 0;
          for (;;) {
            const p = this.peek();
            if (p === 125) break;
            if (hexVal(p) >= 16 || digits >= 6) this.error('invalid char escape');
            this.next();
            digits++;
          }
          if (digits === 0) this.error('invalid char escape');
          this.next();
          ch = this.next();
          return ch;
        }
        return this.scanDigits(this.next(), 16, 4);
      case 85: // U
        return this.scanDigits(this.next(), 16, 8);
      default:
        this.error('invalid char escape');
    }
  }

  private scanString(quote: number): void {
    let ch = this.next();
    while (ch !== quote) {
      if (ch === 10 || ch === EOF) this.error('literal not terminated');
      ch = ch === 92 ? this.scanEscape(quote) : this.next();
    }
  }

  private scanRawString(): void {
    let out = '';
    for (;;) {
      let ch = this.next();
      while (ch === 96 && this.peek() === 96) {
        this.next();
        out += '`';
        ch = this.next();
      }
      if (ch === 96) break;
      if (ch === EOF) this.error('literal not terminated');
      out += String.fromCodePoint(ch);
    }
    this.emit('String', out);
  }
}

class UnescapeError extends Error {}

function readEscape(s: string, i: number, bytes: boolean): [number, number, boolean] {
  // Returns [value, next index, multibyte]
  const c = s[i + 1];
  if (c === undefined) throw new UnescapeError("unable to unescape string, found '\\' as last character");
  const simple: Record<string, number> = {
    a: 7,
    b: 8,
    f: 12,
    n: 10,
    r: 13,
    t: 9,
    v: 11,
    '\\': 92,
    "'": 39,
    '"': 34,
    '`': 96,
    '?': 63,
  };
  const sv = simple[c];
  if (sv !== undefined) return [sv, i + 2, false];
  if (c === 'x' || c === 'X' || (!bytes && (c === 'u' || c === 'U'))) {
    if (c === 'u' && s[i + 2] === '{') {
      const close = s.indexOf('}', i + 3);
      const hex = close < 0 ? '' : s.slice(i + 3, close);
      if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) throw new UnescapeError('unable to unescape string');
      const v = parseInt(hex, 16);
      if (v > 0x10ffff) throw new UnescapeError('unable to unescape string');
      return [v, close + 1, true];
    }
    const n = c === 'x' || c === 'X' ? 2 : c === 'u' ? 4 : 8;
    const hex = s.slice(i + 2, i + 2 + n);
    if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) throw new UnescapeError('unable to unescape string');
    const v = parseInt(hex, 16);
    if (v > 0x10ffff) throw new UnescapeError('unable to unescape string');
    return [v, i + 2 + n, !bytes];
  }
  if (c >= '0' && c <= '3') {
    const oct = s.slice(i + 2, i + 4);
    if (!/^[0-7]{2}$/.test(oct)) throw new UnescapeError('unable to unescape octal sequence in string');
    const v = (c.charCodeAt(0) - 48) * 64 + parseInt(oct, 8);
    return [v, i + 4, !bytes];
  }
  throw new UnescapeError('unable to unescape string');
}

function unescapeWith(quoted: string, bytes: boolean): string {
  const value = quoted.replace(/\r\n?/g, '\n').slice(1, -1);
  if (!value.includes('\\')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const ch = value[i] as string;
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const [v, next] = readEscape(value, i, bytes);
    out += String.fromCodePoint(v);
    i = next;
  }
  return out;
}

function unescape(quoted: string): string {
  try {
    return unescapeWith(quoted, false);
  } catch (e) {
    if (e instanceof UnescapeError) throw new LexError(e.message, 0);
    throw e;
  }
}

/** A bytes literal: each char of the result is one byte (escapes give raw bytes, text gives UTF-8). */
function unescapeBytes(quoted: string): string {
  try {
    const s = unescapeWith(quoted, true);
    // Re-encode non-escaped text as UTF-8 bytes, one char per byte.
    let out = '';
    for (const ch of s) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 256) out += ch;
      else for (const b of new TextEncoder().encode(ch)) out += String.fromCharCode(b);
    }
    return out;
  } catch (e) {
    if (e instanceof UnescapeError) throw new LexError(e.message, 0);
    throw e;
  }
}

export function lex(source: string): Token[] {
  return new Lexer(source).run();
}
