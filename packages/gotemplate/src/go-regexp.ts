// Go's regexp (RE2 syntax) on top of JavaScript RegExp. The pattern is parsed with Go's grammar,
// rejected with Go's error messages (`error parsing regexp: missing closing ]: `[``), and
// translated so that classes, anchors and flags mean what they mean in Go (\s is ASCII, ^ and $
// anchor the text unless (?m), . excludes only \n). Both engines are leftmost-first, so matches
// agree; Go's Find/Replace/Split iteration rules are reimplemented on top.

export class RegexpError extends Error {}

function fail(code: string, expr: string): never {
  throw new RegexpError(`error parsing regexp: ${code}: \`${expr}\``);
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const perlClasses: Record<string, [string, boolean]> = {
  d: ['0-9', false],
  D: ['0-9', true],
  s: ['\\t\\n\\f\\r ', false],
  S: ['\\t\\n\\f\\r ', true],
  w: ['0-9A-Za-z_', false],
  W: ['0-9A-Za-z_', true],
};

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function escapeLiteral(cp: number, inClass: boolean): string {
  const ch = String.fromCodePoint(cp);
  if ('\\^$.*+?()[]{}|/'.includes(ch) || (inClass && ch === '-')) return '\\' + ch;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return ch;
}

/** Unicode class names Go accepts in \p{…}: general categories and scripts. Returns a class body. */
function unicodeClass(name: string, negate: boolean, text: string): { body: string; negated: boolean } {
  const neg = name.startsWith('^');
  if (neg) name = name.slice(1);
  const p = negate !== neg ? 'P' : 'p';
  if (name === 'Any') return { body: '\\s\\S', negated: negate !== neg };
  const category =
    /^(L|Lu|Ll|Lt|Lm|Lo|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Cs|Co)$/;
  let js: string;
  if (category.test(name)) js = `\\${p}{${name}}`;
  else js = `\\${p}{Script=${name}}`;
  try {
    new RegExp(js, 'u');
  } catch {
    fail('invalid character class range', text);
  }
  return { body: js, negated: false };
}

/** The parsed expression. Leaves carry their JavaScript translation; assertions are named. */
export type RNode =
  | { readonly t: 'empty' }
  | { readonly t: 'char'; readonly js: string }
  | { readonly t: 'assert'; readonly kind: AssertKind }
  | { readonly t: 'cat'; readonly items: RNode[] }
  | { readonly t: 'alt'; readonly items: RNode[] }
  | {
      readonly t: 'rep';
      readonly node: RNode;
      readonly min: number;
      readonly max: number;
      readonly greedy: boolean;
    }
  | { readonly t: 'group'; readonly node: RNode; readonly cap: number };

export type AssertKind =
  'beginText' | 'endText' | 'beginLine' | 'endLine' | 'wordBoundary' | 'noWordBoundary';

const EMPTY: RNode = { t: 'empty' };

class Translator {
  private i = 0;
  private groups = 0;
  readonly names: string[] = [''];
  private readonly re: string;

  constructor(re: string) {
    this.re = re;
  }

  private cp(): number {
    return this.re.codePointAt(this.i)!;
  }

  private char(): string {
    return String.fromCodePoint(this.cp());
  }

  parse(): RNode {
    const out = this.alternation({ i: false, m: false, s: false, U: false }, 0);
    if (this.i < this.re.length) fail('unexpected )', this.re);
    return out;
  }

  /** alternation := concat ('|' concat)*; stops at ')' or the end. */
  private alternation(flags: Flags, depth: number): RNode {
    if (depth > 1000) fail('expression nests too deeply', this.re);
    const parts = [this.concat(flags, depth)];
    while (this.i < this.re.length && this.re[this.i] === '|') {
      this.i++;
      parts.push(this.concat(flags, depth));
    }
    return parts.length === 1 ? parts[0]! : { t: 'alt', items: parts };
  }

  private concat(flags: Flags, depth: number): RNode {
    const items: RNode[] = [];
    // Whether the last item can take a repetition operator, and whether it already is one.
    let repeatable = false;
    let lastWasRepeat = false;
    let lastRepeatText = '';
    while (this.i < this.re.length) {
      const c = this.re[this.i]!;
      if (c === '|' || c === ')') break;
      const opStart = this.i;
      const rep = this.repetition();
      if (rep !== null) {
        const opText = this.re.slice(opStart, this.i);
        if (!repeatable) fail('missing argument to repetition operator', opText);
        if (lastWasRepeat) fail('invalid nested repetition operator', lastRepeatText + opText);
        let lazy = false;
        if (this.re[this.i] === '?') {
          lazy = true;
          this.i++;
        }
        if (flags.U) lazy = !lazy;
        items.push({ t: 'rep', node: items.pop()!, min: rep.min, max: rep.max, greedy: !lazy });
        lastWasRepeat = true;
        lastRepeatText = this.re.slice(opStart, this.i);
        continue;
      }
      const item = this.atom(flags, depth);
      if (item === null) continue;
      items.push(item);
      repeatable = true;
      lastWasRepeat = false;
    }
    if (items.length === 0) return EMPTY;
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  /** A repetition operator at the cursor, or null (a `{` that is not a valid repeat is literal). */
  private repetition(): { min: number; max: number } | null {
    const c = this.re[this.i];
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      return c === '*' ? { min: 0, max: -1 } : c === '+' ? { min: 1, max: -1 } : { min: 0, max: 1 };
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.re.slice(this.i));
      if (m === null) return null;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
      if (min > 1000 || max > 1000 || (max >= 0 && min > max)) fail('invalid repeat count', m[0]);
      this.i += m[0].length;
      return { min, max };
    }
    return null;
  }

  private atom(flags: Flags, depth: number): RNode | null {
    const c = this.re[this.i]!;
    switch (c) {
      case '(':
        return this.group(flags, depth);
      case '[':
        return { t: 'char', js: this.wrapCase(this.charClass(), flags) };
      case '.':
        this.i++;
        return { t: 'char', js: flags.s ? '[\\s\\S]' : '[^\\n]' };
      case '^':
        this.i++;
        return { t: 'assert', kind: flags.m ? 'beginLine' : 'beginText' };
      case '$':
        this.i++;
        return { t: 'assert', kind: flags.m ? 'endLine' : 'endText' };
      case '\\':
        return this.escape(flags);
      default: {
        const cp = this.cp();
        this.i += cp > 0xffff ? 2 : 1;
        return { t: 'char', js: this.wrapCase(escapeLiteral(cp, false), flags) };
      }
    }
  }

  private wrapCase(text: string, flags: Flags): string {
    return flags.i ? `(?i:${text})` : text;
  }

  private group(flags: Flags, depth: number): RNode | null {
    const start = this.i;
    this.i++;
    if (this.re[this.i] === '?') {
      const rest = this.re.slice(this.i);
      const named = /^\?P?<([^>]*)>/.exec(rest);
      if (named !== null && (rest.startsWith('?P<') || rest.startsWith('?<'))) {
        const name = named[1]!;
        if (!/^[A-Za-z0-9_]+$/.test(name))
          fail('invalid named capture', this.re.slice(start, this.i + named[0].length));
        if (this.names.includes(name))
          fail('duplicate capture group name', this.re.slice(start, this.i + named[0].length));
        this.i += named[0].length;
        const cap = ++this.groups;
        this.names.push(name);
        const body = this.alternation({ ...flags }, depth + 1);
        this.close();
        return { t: 'group', node: body, cap };
      }
      // Flags: (?flags) or (?flags:re).
      const m = /^\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
      if (m === null || m[2] === '') {
        const end = Math.min(this.re.length, this.i + (/^\?[^:)]*[:)]?/.exec(rest)?.[0].length ?? 1));
        fail('invalid or unsupported Perl syntax', this.re.slice(start, end));
      }
      const next: Flags = { ...flags };
      for (const f of m[1]!) next[f as keyof Flags] = true;
      for (const f of m[2] ?? '') next[f as keyof Flags] = false;
      this.i += m[0].length;
      if (m[3] === ')') {
        // (?flags) changes the flags for the rest of the enclosing group.
        Object.assign(flags, next);
        return null;
      }
      const body = this.alternation(next, depth + 1);
      this.close();
      return { t: 'group', node: body, cap: 0 };
    }
    const cap = ++this.groups;
    this.names.push('');
    const body = this.alternation({ ...flags }, depth + 1);
    this.close();
    return { t: 'group', node: body, cap };
  }

  private close(): void {
    if (this.re[this.i] !== ')') fail('missing closing )', this.re);
    this.i++;
  }

  get numSubexp(): number {
    return this.groups;
  }

  /** An escape outside a class. */
  private escape(flags: Flags): RNode {
    const start = this.i;
    this.i++;
    if (this.i >= this.re.length) fail('trailing backslash at end of expression', '');
    const c = this.re[this.i]!;
    switch (c) {
      case 'A':
        this.i++;
        return { t: 'assert', kind: 'beginText' };
      case 'z':
        this.i++;
        return { t: 'assert', kind: 'endText' };
      case 'b':
        this.i++;
        return { t: 'assert', kind: 'wordBoundary' };
      case 'B':
        this.i++;
        return { t: 'assert', kind: 'noWordBoundary' };
      case 'Q': {
        const end = this.re.indexOf('\\E', this.i + 1);
        const lit = end < 0 ? this.re.slice(this.i + 1) : this.re.slice(this.i + 1, end);
        this.i = end < 0 ? this.re.length : end + 2;
        const chars: RNode[] = [...lit].map((ch) => ({
          t: 'char',
          js: this.wrapCase(escapeLiteral(ch.codePointAt(0)!, false), flags),
        }));
        return chars.length === 0
          ? EMPTY
          : chars.length === 1
            ? chars[0]!
            : { t: 'group', node: { t: 'cat', items: chars }, cap: 0 };
      }
      default:
    }
    const cls = this.classEscape(start);
    if (cls !== null) return { t: 'char', js: cls.negated ? `[^${cls.body}]` : `[${cls.body}]` };
    return { t: 'char', js: this.wrapCase(escapeLiteral(this.literalEscape(start), false), flags) };
  }

  /** \d, \pL and friends: a class body (without brackets), or null. */
  private classEscape(start: number): { body: string; negated: boolean } | null {
    const c = this.re[this.i]!;
    const perl = perlClasses[c];
    if (perl !== undefined) {
      this.i++;
      return { body: perl[0], negated: perl[1] };
    }
    if (c === 'p' || c === 'P') {
      this.i++;
      let name: string;
      if (this.re[this.i] === '{') {
        const end = this.re.indexOf('}', this.i);
        if (end < 0) fail('invalid character class range', this.re.slice(start));
        name = this.re.slice(this.i + 1, end);
        this.i = end + 1;
      } else {
        if (this.i >= this.re.length) fail('invalid character class range', this.re.slice(start));
        name = this.char();
        this.i += name.length;
      }
      return unicodeClass(name, c === 'P', this.re.slice(start, this.i));
    }
    return null;
  }

  /** A literal escape (\n, \x41, \101, \.); returns the code point. */
  private literalEscape(start: number): number {
    const c = this.re[this.i]!;
    this.i++;
    switch (c) {
      case 'a':
        return 7;
      case 'f':
        return 12;
      case 't':
        return 9;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 'v':
        return 11;
      case 'x': {
        if (this.re[this.i] === '{') {
          const end = this.re.indexOf('}', this.i);
          const hex = end < 0 ? '' : this.re.slice(this.i + 1, end);
          if (!/^[0-9A-Fa-f]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
            fail('invalid escape sequence', this.re.slice(start, end < 0 ? this.re.length : end + 1));
          }
          this.i = end + 1;
          return parseInt(hex, 16);
        }
        const hex = this.re.slice(this.i, this.i + 2);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex))
          fail('invalid escape sequence', this.re.slice(start, this.i + hex.length));
        this.i += 2;
        return parseInt(hex, 16);
      }
      default:
    }
    if (c >= '0' && c <= '7') {
      // Octal: \0 alone, or up to three digits; \1-\7 alone would be a backreference, which RE2 lacks.
      if (c !== '0' && !(this.re[this.i]! >= '0' && this.re[this.i]! <= '7'))
        fail('invalid escape sequence', `\\${c}`);
      let digits = c;
      while (digits.length < 3 && this.re[this.i]! >= '0' && this.re[this.i]! <= '7')
        digits += this.re[this.i++];
      return parseInt(digits, 8);
    }
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) return cp;
    fail('invalid escape sequence', this.re.slice(start, this.i));
  }

  /** A bracketed class; returns a JS class including brackets. */
  private charClass(): string {
    const start = this.i;
    this.i++;
    let negated = false;
    if (this.re[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let body = '';
    let first = true;
    for (;;) {
      if (this.i >= this.re.length) fail('missing closing ]', this.re.slice(start));
      const c = this.re[this.i]!;
      if (c === ']' && !first) break;
      first = false;
      if (c === '[' && this.re[this.i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.re.slice(this.i));
        if (m !== null) {
          const cls = posixClasses[m[2]!];
          if (cls === undefined) fail('invalid character class range', m[0]);
          body += m[1] === '^' ? `[^${cls}]` : cls;
          this.i += m[0].length;
          continue;
        }
      }
      const itemStart = this.i;
      let lo: number;
      if (c === '\\') {
        this.i++;
        if (this.i >= this.re.length) fail('missing closing ]', this.re.slice(start));
        const cls = this.classEscape(itemStart);
        if (cls !== null) {
          body += cls.negated ? `[^${cls.body}]` : cls.body;
          continue;
        }
        lo = this.literalEscape(itemStart);
      } else {
        lo = this.cp();
        this.i += lo > 0xffff ? 2 : 1;
      }
      if (this.re[this.i] === '-' && this.i + 1 < this.re.length && this.re[this.i + 1] !== ']') {
        this.i++;
        let hi: number;
        if (this.re[this.i] === '\\') {
          const hs = this.i;
          this.i++;
          hi = this.literalEscape(hs);
        } else {
          hi = this.cp();
          this.i += hi > 0xffff ? 2 : 1;
        }
        if (hi < lo) fail('invalid character class range', this.re.slice(itemStart, this.i));
        body += `${escapeLiteral(lo, true)}-${escapeLiteral(hi, true)}`;
      } else {
        body += escapeLiteral(lo, true);
      }
    }
    this.i++;
    // Nested [^…] pieces (negated POSIX/Perl classes) need set operations; use an alternation.
    if (body.includes('[^')) {
      const pieces: string[] = [];
      const plain = body.replace(/\[\^[^\]]*\]/g, (m) => {
        pieces.push(m);
        return '';
      });
      const alt = [...(plain === '' ? [] : [`[${plain}]`]), ...pieces].join('|');
      return negated ? `(?:(?!${alt})[\\s\\S])` : `(?:${alt})`;
    }
    if (body === '') return negated ? '[\\s\\S]' : '[^\\s\\S]';
    return negated ? `[^${body}]` : `[${body}]`;
  }
}

// Backends ----------------------------------------------------------------------------------

const assertJs: Record<AssertKind, string> = {
  beginText: '(?<![\\s\\S])',
  endText: '(?![\\s\\S])',
  beginLine: '(?<![^\\n])',
  endLine: '(?![^\\n])',
  wordBoundary: '(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))',
  noWordBoundary: '(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))',
};

function toJs(n: RNode): string {
  switch (n.t) {
    case 'empty':
      return '(?:)';
    case 'char':
      return n.js;
    case 'assert':
      return assertJs[n.kind];
    case 'cat':
      return n.items.map(toJs).join('');
    case 'alt':
      return `(?:${n.items.map(toJs).join('|')})`;
    case 'group':
      return n.cap > 0 ? `(${toJs(n.node)})` : `(?:${toJs(n.node)})`;
    case 'rep': {
      const q =
        n.min === 0 && n.max === -1
          ? '*'
          : n.min === 1 && n.max === -1
            ? '+'
            : n.min === 0 && n.max === 1
              ? '?'
              : n.max === -1
                ? `{${n.min},}`
                : n.min === n.max
                  ? `{${n.min}}`
                  : `{${n.min},${n.max}}`;
      return `(?:${toJs(n.node)})${q}${n.greedy ? '' : '?'}`;
    }
  }
}

/** Whether a node repeats something that can itself match in several ways. */
function ambiguous(n: RNode): boolean {
  switch (n.t) {
    case 'empty':
    case 'char':
    case 'assert':
      return false;
    case 'alt':
      return true;
    case 'rep':
      return n.max !== n.min;
    case 'cat':
      return n.items.some(ambiguous);
    case 'group':
      return ambiguous(n.node);
  }
}

/**
 * A backtracking engine can take exponential time on nested or stacked quantifiers, where RE2 is
 * linear. Such patterns run on the linear-time VM below; simple ones on JavaScript's engine.
 */
function risky(root: RNode): boolean {
  let unbounded = 0;
  const walk = (n: RNode): boolean => {
    switch (n.t) {
      case 'rep':
        if (n.max === -1 || n.max > 1) unbounded++;
        if ((n.max === -1 || n.max > 1) && ambiguous(n.node)) return true;
        return walk(n.node);
      case 'cat':
      case 'alt':
        return n.items.some(walk);
      case 'group':
        return walk(n.node);
      case 'empty':
      case 'char':
      case 'assert':
        return false;
    }
  };
  return walk(root) || unbounded > 2;
}

/** A match: UTF-16 offsets of the whole match and of each group (-1 when a group did not take part). */
export interface RegexpMatch {
  readonly index: number;
  readonly end: number;
  readonly caps: readonly number[];
}

export interface GoRegexp {
  readonly source: string;
  readonly numSubexp: number;
  readonly names: readonly string[];
  /** The leftmost-first match starting at or after pos. */
  exec(s: string, pos: number): RegexpMatch | null;
}

function jsMatcher(js: RegExp, numSubexp: number): GoRegexp['exec'] {
  return (s, pos) => {
    js.lastIndex = pos;
    const m = js.exec(s);
    if (m === null) return null;
    const caps = [m.index, m.index + m[0].length];
    const indices = (m as RegExpExecArray & { indices?: [number, number][] }).indices;
    for (let g = 1; g <= numSubexp; g++) {
      const r = indices?.[g];
      caps.push(r === undefined ? -1 : r[0], r === undefined ? -1 : r[1]);
    }
    return { index: m.index, end: m.index + m[0].length, caps };
  };
}

// The linear-time VM (Pike's NFA simulation with leftmost-first thread priorities) -------------

type Inst =
  | { op: 'char'; test: (ch: string) => boolean; next: number }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; n: number; next: number }
  | { op: 'assert'; kind: AssertKind; next: number }
  | { op: 'match' };

const MAX_PROGRAM = 200_000;

class ProgramBuilder {
  readonly prog: Inst[] = [];
  private readonly tests = new Map<string, (ch: string) => boolean>();

  private emit(i: Inst): number {
    if (this.prog.length >= MAX_PROGRAM) throw new RegexpError('error parsing regexp: expression too large');
    this.prog.push(i);
    return this.prog.length - 1;
  }

  private test(js: string): (ch: string) => boolean {
    let t = this.tests.get(js);
    if (t === undefined) {
      const re = new RegExp(`^(?:${js})$`, 'u');
      t = (ch: string) => re.test(ch);
      this.tests.set(js, t);
    }
    return t;
  }

  /** Compiles n so that it continues at the instruction index patched into the returned holes. */
  compile(n: RNode): void {
    switch (n.t) {
      case 'empty':
        return;
      case 'char': {
        const pc = this.prog.length;
        this.emit({ op: 'char', test: this.test(n.js), next: pc + 1 });
        return;
      }
      case 'assert': {
        const pc = this.prog.length;
        this.emit({ op: 'assert', kind: n.kind, next: pc + 1 });
        return;
      }
      case 'cat':
        for (const it of n.items) this.compile(it);
        return;
      case 'group': {
        if (n.cap > 0) this.emit({ op: 'save', n: 2 * n.cap, next: this.prog.length + 1 });
        this.compile(n.node);
        if (n.cap > 0) this.emit({ op: 'save', n: 2 * n.cap + 1, next: this.prog.length + 1 });
        return;
      }
      case 'alt': {
        const jumps: Inst[] = [];
        n.items.forEach((item, k) => {
          if (k < n.items.length - 1) {
            const split = { op: 'split', x: 0, y: 0 } as Extract<Inst, { op: 'split' }>;
            this.emit(split);
            split.x = this.prog.length;
            this.compile(item);
            const j = { op: 'jmp', x: 0 } as Extract<Inst, { op: 'jmp' }>;
            this.emit(j);
            jumps.push(j);
            split.y = this.prog.length;
          } else this.compile(item);
        });
        for (const j of jumps) (j as Extract<Inst, { op: 'jmp' }>).x = this.prog.length;
        return;
      }
      case 'rep': {
        for (let k = 0; k < n.min; k++) this.compile(n.node);
        if (n.max === -1) {
          // x*: L: split(body, out); body; jmp L
          const split = { op: 'split', x: 0, y: 0 } as Extract<Inst, { op: 'split' }>;
          const loop = this.emit(split);
          const body = this.prog.length;
          this.compile(n.node);
          this.emit({ op: 'jmp', x: loop });
          const out = this.prog.length;
          if (n.greedy) [split.x, split.y] = [body, out];
          else [split.x, split.y] = [out, body];
          return;
        }
        const splits: Extract<Inst, { op: 'split' }>[] = [];
        for (let k = n.min; k < n.max; k++) {
          const split = { op: 'split', x: 0, y: 0 } as Extract<Inst, { op: 'split' }>;
          this.emit(split);
          split.x = this.prog.length;
          splits.push(split);
          this.compile(n.node);
        }
        const out = this.prog.length;
        for (const split of splits) {
          const body = split.x;
          if (n.greedy) [split.x, split.y] = [body, out];
          else [split.x, split.y] = [out, body];
        }
      }
    }
  }
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /^[0-9A-Za-z_]$/.test(ch);

function assertHolds(kind: AssertKind, s: string, pos: number): boolean {
  const prev = pos > 0 ? s[pos - 1] : undefined;
  const next = pos < s.length ? s[pos] : undefined;
  switch (kind) {
    case 'beginText':
      return pos === 0;
    case 'endText':
      return pos === s.length;
    case 'beginLine':
      return pos === 0 || prev === '\n';
    case 'endLine':
      return pos === s.length || next === '\n';
    case 'wordBoundary':
      return isWordChar(prev) !== isWordChar(next);
    case 'noWordBoundary':
      return isWordChar(prev) === isWordChar(next);
  }
}

function vmMatcher(prog: Inst[], ncap: number): GoRegexp['exec'] {
  return (s, pos) => {
    type Thread = { pc: number; caps: number[] };
    let clist: Thread[] = [];
    let nlist: Thread[] = [];
    const mark = new Int32Array(prog.length).fill(-1);
    let generation = 0;
    let matched: number[] | null = null;

    const add = (list: Thread[], pc: number, caps: number[], at: number): void => {
      if (mark[pc] === generation) return;
      mark[pc] = generation;
      const inst = prog[pc]!;
      switch (inst.op) {
        case 'jmp':
          add(list, inst.x, caps, at);
          return;
        case 'split':
          add(list, inst.x, caps, at);
          add(list, inst.y, caps, at);
          return;
        case 'save': {
          const c = caps.slice();
          c[inst.n] = at;
          add(list, inst.next, c, at);
          return;
        }
        case 'assert':
          if (assertHolds(inst.kind, s, at)) add(list, inst.next, caps, at);
          return;
        case 'char':
        case 'match':
          list.push({ pc, caps });
      }
    };

    let at = pos;
    for (;;) {
      generation++;
      if (matched === null) {
        const caps = new Array<number>(2 * (ncap + 1)).fill(-1);
        caps[0] = at;
        // Existing threads were started earlier, so they keep priority over a new start here.
        for (const t of clist) mark[t.pc] = generation;
        add(clist, 0, caps, at);
      }
      if (clist.length === 0 && (matched !== null || at >= s.length)) break;
      const cp = at < s.length ? s.codePointAt(at)! : -1;
      const ch = cp < 0 ? '' : String.fromCodePoint(cp);
      const width = cp > 0xffff ? 2 : 1;
      generation++;
      nlist = [];
      for (const t of clist) {
        const inst = prog[t.pc]!;
        if (inst.op === 'match') {
          matched = t.caps.slice();
          matched[1] = at;
          break; // lower-priority threads lose
        }
        if (inst.op === 'char' && cp >= 0 && inst.test(ch)) add(nlist, inst.next, t.caps, at + width);
      }
      if (cp < 0) break;
      at += width;
      [clist, nlist] = [nlist, clist];
    }
    if (matched === null) return null;
    return { index: matched[0]!, end: matched[1]!, caps: matched };
  };
}

function buildVm(root: RNode, ncap: number): GoRegexp['exec'] {
  const b = new ProgramBuilder();
  // Group 0 is the whole match; its start is recorded when a thread starts.
  b.compile({ t: 'group', node: root, cap: 0 });
  b.prog.push({ op: 'match' });
  return vmMatcher(b.prog, ncap);
}

const cache = new Map<string, GoRegexp>();

/** regexp.Compile; throws RegexpError with Go's message. */
export function compileRegexp(source: string, options: { engine?: 'auto' | 'vm' } = {}): GoRegexp {
  const key = `${options.engine ?? 'auto'}:${source}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const t = new Translator(source);
  const root = t.parse();
  let exec: GoRegexp['exec'];
  if (options.engine === 'vm' || risky(root)) exec = buildVm(root, t.numSubexp);
  else {
    let js: RegExp;
    try {
      js = new RegExp(toJs(root), 'gud');
    } catch (e) {
      throw new RegexpError(
        `error parsing regexp: invalid or unsupported Perl syntax: \`${source}\` (${(e as Error).message})`,
      );
    }
    exec = jsMatcher(js, t.numSubexp);
  }
  const re: GoRegexp = { source, numSubexp: t.numSubexp, names: t.names, exec };
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/** All leftmost-first matches with Go's rule: an empty match right after a match is skipped. */
export function findAll(re: GoRegexp, s: string, n: number): RegexpMatch[] {
  const out: RegexpMatch[] = [];
  if (n < 0) n = s.length + 1;
  let pos = 0;
  let prevEnd = -1;
  while (out.length < n && pos <= s.length) {
    const m = re.exec(s, pos);
    if (m === null) break;
    let accept = true;
    if (m.end === m.index) {
      if (m.index === prevEnd) accept = false;
      const cp = s.codePointAt(m.end);
      pos = m.end + (cp === undefined ? 1 : cp > 0xffff ? 2 : 1);
    } else pos = m.end;
    prevEnd = m.end;
    if (accept) out.push(m);
  }
  return out;
}

export function matchString(re: GoRegexp, s: string): boolean {
  return re.exec(s, 0) !== null;
}

export function findString(re: GoRegexp, s: string): string {
  const m = re.exec(s, 0);
  return m === null ? '' : s.slice(m.index, m.end);
}

export function findAllString(re: GoRegexp, s: string, n: number): string[] | null {
  const ms = findAll(re, s, n);
  return ms.length === 0 ? null : ms.map((m) => s.slice(m.index, m.end));
}

function group(s: string, m: RegexpMatch, g: number): string {
  const a = m.caps[2 * g] ?? -1;
  const b = m.caps[2 * g + 1] ?? -1;
  return a < 0 || b < 0 ? '' : s.slice(a, b);
}

/** Regexp.Expand's template syntax: $1, ${1}, $name, ${name}, $$. */
function expand(re: GoRegexp, template: string, src: string, m: RegexpMatch): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let ok: boolean;
    if (template[i] === '{') {
      const end = template.indexOf('}', i);
      name = end < 0 ? '' : template.slice(i + 1, end);
      ok = end >= 0 && /^[A-Za-z0-9_]+$/.test(name);
      if (ok) i = end + 1;
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(template.slice(i));
      name = mm?.[0] ?? '';
      ok = name !== '';
      if (ok) i += name.length;
    }
    if (!ok) {
      out += '$';
      continue;
    }
    let idx = -1;
    if (/^\d+$/.test(name)) {
      const num = Number(name);
      if (name.length < 10 || num <= re.numSubexp) idx = num;
    } else idx = re.names.indexOf(name);
    if (idx >= 0 && idx <= re.numSubexp) out += group(src, m, idx);
  }
  return out;
}

export function replaceAll(re: GoRegexp, src: string, repl: string, literal: boolean): string {
  let out = '';
  let last = 0;
  for (const m of findAll(re, src, -1)) {
    out += src.slice(last, m.index);
    out += literal ? repl : expand(re, repl, src, m);
    last = m.end;
  }
  return out + src.slice(last);
}

export function split(re: GoRegexp, s: string, n: number): string[] | null {
  if (n === 0) return null;
  if (re.source.length > 0 && s.length === 0) return [''];
  const matches = findAll(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.end !== 0) out.push(s.slice(beg, end));
    beg = m.end;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => '\\' + c);
}
