// The lexer of text/template (parse/lex.go of current Go): text, actions with `{{-`/`-}}` trim
// markers, comments, and the tokens inside actions. It runs to completion and hands the parser an
// array; a lexing error becomes an Error token where Go's lexer would have stopped.

export const Tok = {
  Error: 0,
  Bool: 1,
  Char: 2,
  CharConstant: 3,
  Complex: 4,
  Assign: 5,
  Declare: 6,
  EOF: 7,
  Field: 8,
  Identifier: 9,
  LeftDelim: 10,
  LeftParen: 11,
  Number: 12,
  Pipe: 13,
  RawString: 14,
  RightDelim: 15,
  RightParen: 16,
  Space: 17,
  String: 18,
  Text: 19,
  Variable: 20,
  Keyword: 21,
  Block: 22,
  Break: 23,
  Continue: 24,
  Dot: 25,
  Define: 26,
  Else: 27,
  End: 28,
  If: 29,
  Nil: 30,
  Range: 31,
  Template: 32,
  With: 33,
} as const;

export type TokType = (typeof Tok)[keyof typeof Tok];

export interface Token {
  readonly typ: TokType;
  /** UTF-16 offset of the token in the template text. */
  readonly pos: number;
  readonly val: string;
  /** Line (1-based) where the token starts. */
  readonly line: number;
}

const keywords = new Map<string, TokType>([
  ['.', Tok.Dot],
  ['block', Tok.Block],
  ['break', Tok.Break],
  ['continue', Tok.Continue],
  ['define', Tok.Define],
  ['else', Tok.Else],
  ['end', Tok.End],
  ['if', Tok.If],
  ['range', Tok.Range],
  ['nil', Tok.Nil],
  ['template', Tok.Template],
  ['with', Tok.With],
]);

const leftDelim = '{{';
const rightDelim = '}}';
const leftComment = '/*';
const rightComment = '*/';

function isSpaceCode(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

const letterOrDigit = /^[\p{L}\p{Nd}_]$/u;

function isAlphaNumeric(ch: string): boolean {
  if (ch.length === 1) {
    const c = ch.charCodeAt(0);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f)
      return true;
    if (c < 0x80) return false;
  }
  return letterOrDigit.test(ch);
}

function hasLeftTrimMarker(s: string, i: number): boolean {
  return s.charCodeAt(i) === 0x2d && i + 1 < s.length && isSpaceCode(s.charCodeAt(i + 1));
}

function hasRightTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && isSpaceCode(s.charCodeAt(i)) && s.charCodeAt(i + 1) === 0x2d;
}

/** `%#U` of fmt: U+002D '-'. */
export function formatRuneU(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} '${ch}'`;
}

interface LexOptions {
  breakOK: boolean;
  continueOK: boolean;
}

export function lex(input: string, options: LexOptions): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  let done = false;

  const countLines = (a: number, b: number): number => {
    let n = 0;
    for (let i = a; i < b; i++) if (input.charCodeAt(i) === 0x0a) n++;
    return n;
  };
  const emit = (typ: TokType): void => {
    tokens.push({ typ, pos: start, val: input.slice(start, pos), line: startLine });
    line = startLine + countLines(start, pos);
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    line = startLine + countLines(start, pos);
    start = pos;
    startLine = line;
  };
  const errorf = (msg: string): void => {
    tokens.push({ typ: Tok.Error, pos: start, val: msg, line: startLine });
    done = true;
  };
  /** Next character (a full code point), or '' at EOF. */
  const peekCh = (): string => {
    if (pos >= input.length) return '';
    const c = input.charCodeAt(pos);
    if (c >= 0xd800 && c <= 0xdbff && pos + 1 < input.length) return input.slice(pos, pos + 2);
    return input[pos]!;
  };
  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrimMarker(input, pos) && input.startsWith(rightDelim, pos + 2)) return [true, true];
    if (input.startsWith(rightDelim, pos)) return [true, false];
    return [false, false];
  };
  const atTerminator = (): boolean => {
    const ch = peekCh();
    if (ch === '') return true;
    const c = ch.charCodeAt(0);
    if (isSpaceCode(c)) return true;
    switch (ch) {
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
      default:
    }
    return input.startsWith(rightDelim, pos);
  };
  const accept = (valid: string): boolean => {
    const ch = peekCh();
    if (ch !== '' && valid.includes(ch)) {
      pos += ch.length;
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string): void => {
    while (accept(valid));
  };
  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    const ch = peekCh();
    if (ch !== '' && isAlphaNumeric(ch)) {
      pos += ch.length;
      return false;
    }
    return true;
  };

  // State functions return the next state; they mirror lex.go.
  type State = () => State | null;

  const lexText: State = () => {
    const x = input.indexOf(leftDelim, pos);
    if (x >= 0) {
      if (x > pos) {
        pos = x;
        let trim = 0;
        if (hasLeftTrimMarker(input, pos + leftDelim.length)) {
          let j = pos;
          while (j > start && isSpaceCode(input.charCodeAt(j - 1))) j--;
          trim = pos - j;
        }
        pos -= trim;
        if (pos > start) emit(Tok.Text);
        pos += trim;
        ignore();
      }
      return lexLeftDelim;
    }
    pos = input.length;
    if (pos > start) emit(Tok.Text);
    emit(Tok.EOF);
    return null;
  };

  const lexLeftDelim: State = () => {
    pos += leftDelim.length;
    const trimSpace = hasLeftTrimMarker(input, pos);
    const afterMarker = trimSpace ? 2 : 0;
    if (input.startsWith(leftComment, pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return lexComment;
    }
    emit(Tok.LeftDelim);
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    return lexInsideAction;
  };

  const lexComment: State = () => {
    pos += leftComment.length;
    const x = input.indexOf(rightComment, pos);
    if (x < 0) {
      errorf('unclosed comment');
      return null;
    }
    pos = x + rightComment.length;
    const [delim, trimSpace] = atRightDelim();
    if (!delim) {
      errorf('comment ends before closing delimiter');
      return null;
    }
    if (trimSpace) pos += 2;
    pos += rightDelim.length;
    if (trimSpace) while (pos < input.length && isSpaceCode(input.charCodeAt(pos))) pos++;
    ignore();
    return lexText;
  };

  const lexRightDelim: State = () => {
    const [, trimSpace] = atRightDelim();
    if (trimSpace) {
      pos += 2;
      ignore();
    }
    pos += rightDelim.length;
    emit(Tok.RightDelim);
    if (trimSpace) {
      while (pos < input.length && isSpaceCode(input.charCodeAt(pos))) pos++;
      ignore();
    }
    return lexText;
  };

  const lexSpace: State = () => {
    let numSpaces = 0;
    while (pos < input.length && isSpaceCode(input.charCodeAt(pos))) {
      pos++;
      numSpaces++;
    }
    // A trim-marked right delimiter starts with a space: leave that space to it.
    if (hasRightTrimMarker(input, pos - 1) && input.startsWith(rightDelim, pos + 1)) {
      pos--;
      if (numSpaces === 1) return lexRightDelim;
    }
    emit(Tok.Space);
    return lexInsideAction;
  };

  const lexFieldOrVariable = (typ: TokType): State | null => {
    if (atTerminator()) {
      emit(typ === Tok.Variable ? Tok.Variable : Tok.Dot);
      return lexInsideAction;
    }
    let ch = '';
    for (;;) {
      ch = peekCh();
      if (ch === '' || !isAlphaNumeric(ch)) break;
      pos += ch.length;
    }
    if (!atTerminator()) {
      errorf(`bad character ${formatRuneU(ch)}`);
      return null;
    }
    emit(typ);
    return lexInsideAction;
  };

  const lexIdentifier: State = () => {
    for (;;) {
      const ch = peekCh();
      if (ch !== '' && isAlphaNumeric(ch)) {
        pos += ch.length;
        continue;
      }
      const word = input.slice(start, pos);
      if (!atTerminator()) {
        errorf(`bad character ${formatRuneU(ch)}`);
        return null;
      }
      const kw = keywords.get(word);
      if (kw !== undefined && kw > Tok.Keyword) {
        if ((kw === Tok.Break && !options.breakOK) || (kw === Tok.Continue && !options.continueOK)) {
          emit(Tok.Identifier);
        } else emit(kw);
      } else if (word === 'true' || word === 'false') emit(Tok.Bool);
      else emit(Tok.Identifier);
      return lexInsideAction;
    }
  };

  const lexQuoted = (close: string, raw: boolean, typ: TokType, unterminated: string): State | null => {
    for (;;) {
      if (pos >= input.length) {
        errorf(unterminated);
        return null;
      }
      const c = input[pos++]!;
      if (!raw && c === '\\') {
        if (pos < input.length && input[pos] !== '\n') {
          pos++;
          continue;
        }
        errorf(unterminated);
        return null;
      }
      if (!raw && c === '\n') {
        errorf(unterminated);
        return null;
      }
      if (c === close) break;
    }
    emit(typ);
    return lexInsideAction;
  };

  const lexNumber: State = () => {
    if (!scanNumber()) {
      errorf(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
      return null;
    }
    const sign = peekCh();
    if (sign === '+' || sign === '-') {
      if (!scanNumber() || input[pos - 1] !== 'i') {
        errorf(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
        return null;
      }
      emit(Tok.Complex);
      return lexInsideAction;
    }
    emit(Tok.Number);
    return lexInsideAction;
  };

  const lexInsideAction: State = () => {
    const [delim] = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim;
      errorf('unclosed left paren');
      return null;
    }
    const ch = peekCh();
    if (ch === '') {
      errorf('unclosed action');
      return null;
    }
    const c = ch.charCodeAt(0);
    if (isSpaceCode(c)) return lexSpace;
    pos += ch.length;
    switch (ch) {
      case '=':
        emit(Tok.Assign);
        return lexInsideAction;
      case ':':
        if (input[pos] !== '=') {
          errorf('expected :=');
          return null;
        }
        pos++;
        emit(Tok.Declare);
        return lexInsideAction;
      case '|':
        emit(Tok.Pipe);
        return lexInsideAction;
      case '"':
        return lexQuoted('"', false, Tok.String, 'unterminated quoted string');
      case '`':
        return lexQuoted('`', true, Tok.RawString, 'unterminated raw quoted string');
      case '$':
        return lexFieldOrVariable(Tok.Variable);
      case "'":
        return lexQuoted("'", false, Tok.CharConstant, 'unterminated character constant');
      case '.':
        if (pos < input.length) {
          const n = input.charCodeAt(pos);
          if (n < 0x30 || n > 0x39) return lexFieldOrVariable(Tok.Field);
        }
        pos -= 1;
        return lexNumber;
      case '(':
        parenDepth++;
        emit(Tok.LeftParen);
        return lexInsideAction;
      case ')':
        parenDepth--;
        if (parenDepth < 0) {
          errorf('unexpected right paren');
          return null;
        }
        emit(Tok.RightParen);
        return lexInsideAction;
      default:
    }
    if (ch === '+' || ch === '-' || (c >= 0x30 && c <= 0x39)) {
      pos -= ch.length;
      return lexNumber;
    }
    if (isAlphaNumeric(ch)) {
      pos -= ch.length;
      return lexIdentifier;
    }
    if (c < 0x7f && c >= 0x20) {
      emit(Tok.Char);
      return lexInsideAction;
    }
    errorf(`unrecognized character in action: ${formatRuneU(ch)}`);
    return null;
  };

  let state: State | null = lexText;
  while (state !== null && !done) state = state();
  return tokens;
}
