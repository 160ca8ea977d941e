import { Pattern } from './pattern.ts';

class GoRegexpSyntaxError extends Error {}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

interface Frame {
  readonly saved: Flags;
  /** JS modifier groups opened by a bare `(?i)` in this group; closed at `|` and `)`, reopened after `|`. */
  readonly modifiers: string[];
}

// Go's \s is ASCII-only, unlike JavaScript's.
const GO_SPACE = '\\t\\n\\f\\r\\u{20}';

const POSIX_CLASSES: ReadonlyMap<string, string> = new Map([
  ['alnum', '0-9A-Za-z'],
  ['alpha', 'A-Za-z'],
  ['ascii', '\\u{0}-\\u{7f}'],
  ['blank', '\\t\\u{20}'],
  ['cntrl', '\\u{0}-\\u{1f}\\u{7f}'],
  ['digit', '0-9'],
  ['graph', '\\u{21}-\\u{7e}'],
  ['lower', 'a-z'],
  ['print', '\\u{20}-\\u{7e}'],
  ['punct', '\\u{21}-\\u{2f}\\u{3a}-\\u{40}\\u{5b}-\\u{60}\\u{7b}-\\u{7e}'],
  ['space', '\\t\\n\\u{b}\\f\\r\\u{20}'],
  ['upper', 'A-Z'],
  ['word', '0-9A-Za-z_'],
  ['xdigit', '0-9A-Fa-f'],
]);

const lit = (codePoint: number): string => `\\u{${codePoint.toString(16)}}`;

function isAlnum(c: string): boolean {
  return /^[0-9A-Za-z]$/.test(c);
}

/**
 * Translates Go (RE2) regular-expression syntax into an equivalent JavaScript pattern for the `v` flag:
 * Go's ASCII `\s`, `.` that only stops at `\n`, `\A`/`\z`, `\Q…\E`, POSIX classes, `\pL`, inline flags
 * `(?i)` that run to the end of the group, `{` that is a literal when it is not a repeat, and `-`
 * anywhere in a class, multi-line `^`/`$` that only know `\n`. Constructs Go rejects (backreferences,
 * look-around, repeat counts above 1000, nested repeats) throw, so the pattern behaves as it does in
 * Argo CD: as an error.
 */
export function translateGoRegexp(pattern: string): string {
  const src = Array.from(pattern);
  let pos = 0;
  let out = '';
  let flags: Flags = { i: false, m: false, s: false };
  const frames: Frame[] = [{ saved: flags, modifiers: [] }];
  // Whether the previous item can take a repeat operator, and whether it already is a repeat.
  let operand = false;
  let repeated = false;
  const fail = (message: string): never => {
    throw new GoRegexpSyntaxError(message);
  };
  const peek = (offset = 0): string | undefined => src[pos + offset];

  const readHex = (): number => {
    if (peek() === '{') {
      const close = src.indexOf('}', pos);
      if (close < 0) fail('invalid escape sequence');
      const digits = src.slice(pos + 1, close).join('');
      if (!/^[0-9A-Fa-f]+$/.test(digits)) fail('invalid escape sequence');
      const value = parseInt(digits, 16);
      if (value > 0x10ffff) fail('invalid escape sequence');
      pos = close + 1;
      return value;
    }
    const digits = src.slice(pos, pos + 2).join('');
    if (!/^[0-9A-Fa-f]{2}$/.test(digits)) fail('invalid escape sequence');
    pos += 2;
    return parseInt(digits, 16);
  };

  const readUnicodeClass = (negated: boolean): string => {
    let name: string;
    if (peek() === '{') {
      const close = src.indexOf('}', pos);
      if (close < 0) fail('invalid character class range');
      name = src.slice(pos + 1, close).join('');
      pos = close + 1;
    } else {
      name = peek() ?? fail('invalid character class range');
      pos++;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name)) fail('invalid character class range');
    const property = name === 'Any' || /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
    return `\\${negated ? 'P' : 'p'}{${property}}`;
  };

  /**
   * Reads the escape after a backslash. Returns either a single code point (usable in a class range)
   * or a class/assertion as JavaScript source.
   */
  const readEscape = (inClass: boolean): { codePoint: number } | { source: string } => {
    const c = peek() ?? fail('trailing backslash at end of expression');
    pos++;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return { source: `\\${c}` };
      case 's':
        return { source: inClass ? GO_SPACE : `[${GO_SPACE}]` };
      case 'S':
        return { source: `[^${GO_SPACE}]` };
      case 'p':
      case 'P':
        return { source: readUnicodeClass(c === 'P') };
      case 'a':
        return { codePoint: 7 };
      case 'f':
        return { codePoint: 12 };
      case 't':
        return { codePoint: 9 };
      case 'n':
        return { codePoint: 10 };
      case 'r':
        return { codePoint: 13 };
      case 'v':
        return { codePoint: 11 };
      case 'x':
        return { codePoint: readHex() };
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        // A lone \1–\7 would be a backreference, which RE2 does not support.
        if (c !== '0' && !/^[0-7]$/.test(peek() ?? '')) fail('invalid escape sequence');
        let digits = c;
        while (digits.length < 3 && /^[0-7]$/.test(peek() ?? '')) digits += src[pos++];
        return { codePoint: parseInt(digits, 8) };
      }
      default:
        if (!inClass) {
          if (c === 'A') return { source: '(?<![^])' };
          if (c === 'z') return { source: '(?![^])' };
          if (c === 'b' || c === 'B') return { source: `\\${c}` };
        }
        if (c.codePointAt(0)! < 0x80 && !isAlnum(c)) return { codePoint: c.codePointAt(0)! };
        return fail(`invalid escape sequence: \\${c}`);
    }
  };

  const readClass = (): string => {
    let negated = false;
    if (peek() === '^') {
      negated = true;
      pos++;
    }
    let body = '';
    let first = true;
    for (;;) {
      const c = peek();
      if (c === undefined) return fail('missing closing ]');
      if (c === ']' && !first) {
        pos++;
        break;
      }
      first = false;
      if (c === '[' && peek(1) === ':') {
        const close = src.indexOf(':', pos + 2);
        const name = close > 0 && src[close + 1] === ']' ? src.slice(pos + 2, close).join('') : undefined;
        if (name !== undefined) {
          const positive = name.startsWith('^') ? name.slice(1) : name;
          const ranges = POSIX_CLASSES.get(positive);
          if (ranges === undefined) fail('invalid character class range');
          body += name.startsWith('^') ? `[^${ranges}]` : ranges;
          pos = close + 2;
          continue;
        }
      }
      if (c === '\\' && peek(1) === 'Q') {
        pos += 2;
        while (pos < src.length && !(src[pos] === '\\' && src[pos + 1] === 'E')) {
          body += lit(src[pos++]!.codePointAt(0)!);
        }
        if (pos < src.length) pos += 2;
        continue;
      }
      let lo: number;
      if (c === '\\') {
        pos++;
        const escape = readEscape(true);
        if ('source' in escape) {
          body += escape.source;
          continue;
        }
        lo = escape.codePoint;
      } else {
        lo = c.codePointAt(0)!;
        pos++;
      }
      if (peek() === '-' && peek(1) !== undefined && peek(1) !== ']') {
        pos++;
        let hi: number;
        if (peek() === '\\') {
          pos++;
          const escape = readEscape(true);
          if ('source' in escape) return fail('invalid character class range');
          hi = escape.codePoint;
        } else {
          hi = peek()!.codePointAt(0)!;
          pos++;
        }
        if (hi < lo) fail('invalid character class range');
        body += `${lit(lo)}-${lit(hi)}`;
      } else {
        body += lit(lo);
      }
    }
    // Go's `[^\x00-\x{10FFFF}]` is a valid empty class; JavaScript accepts `[^…]` and `[]` the same way.
    return `[${negated ? '^' : ''}${body}]`;
  };

  const modifierFor = (set: string, clear: string): string => {
    // Only i becomes a JavaScript modifier: s and m are applied by translating `.`, `^` and `$` (Go's
    // multi-line mode knows only \n as a line end, JavaScript's also \r and U+2028/9).
    if (set.includes('i')) return '(?i:';
    if (clear.includes('i')) return '(?-i:';
    return '(?:';
  };

  const applyFlags = (spec: string): { set: string; clear: string } => {
    const dash = spec.indexOf('-');
    if (dash >= 0 && (dash === spec.length - 1 || spec.includes('-', dash + 1))) {
      fail('invalid or unsupported Perl syntax');
    }
    const set = dash < 0 ? spec : spec.slice(0, dash);
    const clear = dash < 0 ? '' : spec.slice(dash + 1);
    // U (ungreedy) only changes which match is found, never whether one is: it can be ignored here.
    for (const f of set + clear) {
      if (f !== 'i' && f !== 'm' && f !== 's' && f !== 'U') fail('invalid or unsupported Perl syntax');
    }
    const next = { ...flags };
    for (const f of set) if (f !== 'U') next[f as keyof Flags] = true;
    for (const f of clear) if (f !== 'U') next[f as keyof Flags] = false;
    flags = next;
    return { set, clear };
  };

  const readRepeat = (): { text: string } | undefined => {
    // `{n}`, `{n,}` or `{n,m}`; anything else leaves `{` a literal.
    let j = pos + 1;
    let min = '';
    while (/^[0-9]$/.test(src[j] ?? '')) min += src[j++];
    if (min === '') return undefined;
    let max: string | undefined = min;
    if (src[j] === ',') {
      j++;
      max = '';
      while (/^[0-9]$/.test(src[j] ?? '')) max += src[j++];
    }
    if (src[j] !== '}') return undefined;
    const lo = Number(min);
    const hi = max === '' ? undefined : Number(max);
    if (lo > 1000 || (hi !== undefined && (hi > 1000 || hi < lo))) fail('invalid repeat count');
    const text = src.slice(pos, j + 1).join('');
    pos = j + 1;
    return { text };
  };

  while (pos < src.length) {
    const c = src[pos]!;
    switch (c) {
      case '*':
      case '+':
      case '?':
        if (!operand) fail(`missing argument to repetition operator: ${c}`);
        if (repeated) fail(`invalid nested repetition operator: ${c}`);
        pos++;
        out += c;
        if (peek() === '?') {
          pos++;
          out += '?';
        }
        repeated = true;
        continue;
      case '{': {
        const repeat = readRepeat();
        if (repeat !== undefined) {
          if (!operand) fail('missing argument to repetition operator');
          if (repeated) fail('invalid nested repetition operator');
          out += repeat.text;
          if (peek() === '?') {
            pos++;
            out += '?';
          }
          repeated = true;
          continue;
        }
        pos++;
        out += lit(0x7b);
        break;
      }
      case '(': {
        pos++;
        const frame: Frame = { saved: flags, modifiers: [] };
        if (peek() !== '?') {
          frames.push(frame);
          out += '(';
          operand = false;
          repeated = false;
          continue;
        }
        pos++;
        if (peek() === 'P' || (peek() === '<' && peek(1) !== '=' && peek(1) !== '!')) {
          if (peek() === 'P') pos++;
          if (peek() !== '<') fail('invalid named capture');
          const close = src.indexOf('>', pos);
          const name = close < 0 ? '' : src.slice(pos + 1, close).join('');
          if (!/^[A-Za-z0-9_]+$/.test(name)) fail('invalid named capture');
          pos = close + 1;
          frames.push(frame);
          out += '(';
          operand = false;
          repeated = false;
          continue;
        }
        let spec = '';
        while (peek() !== undefined && peek() !== ')' && peek() !== ':') spec += src[pos++];
        const end = peek() ?? fail('missing closing )');
        pos++;
        if (spec === '' && end === ':') {
          frames.push(frame);
          out += '(?:';
        } else {
          const { set, clear } = applyFlags(spec);
          const modifier = modifierFor(set, clear);
          if (end === ':') {
            frames.push(frame);
            out += modifier;
          } else {
            // A bare `(?flags)` holds until the end of the enclosing group.
            if (modifier !== '(?:') {
              frames[frames.length - 1]!.modifiers.push(modifier);
              out += modifier;
            }
            continue;
          }
        }
        operand = false;
        repeated = false;
        continue;
      }
      case ')': {
        pos++;
        if (frames.length === 1) fail('unexpected )');
        const frame = frames.pop()!;
        out += ')'.repeat(frame.modifiers.length) + ')';
        flags = frame.saved;
        operand = true;
        repeated = false;
        continue;
      }
      case '|': {
        pos++;
        const frame = frames[frames.length - 1]!;
        out += ')'.repeat(frame.modifiers.length) + '|' + frame.modifiers.join('');
        operand = false;
        repeated = false;
        continue;
      }
      case '[':
        pos++;
        out += readClass();
        break;
      case '.':
        pos++;
        out += flags.s ? '[^]' : '[^\\n]';
        break;
      case '^':
      case '$':
        pos++;
        if (flags.m) out += c === '^' ? '(?<![^\\n])' : '(?![^\\n])';
        else out += c;
        operand = true;
        repeated = false;
        continue;
      case '\\': {
        if (peek(1) === 'Q') {
          pos += 2;
          let literal = '';
          while (pos < src.length && !(src[pos] === '\\' && src[pos + 1] === 'E'))
            literal += lit(src[pos++]!.codePointAt(0)!);
          if (pos < src.length) pos += 2;
          // A quantifier after \Q…\E applies to its last character only, as in Go.
          out += literal;
          if (literal === '') continue;
          break;
        }
        pos++;
        const escape = readEscape(false);
        out += 'source' in escape ? escape.source : lit(escape.codePoint);
        break;
      }
      default:
        pos++;
        out += isAlnum(c) ? c : lit(c.codePointAt(0)!);
        break;
    }
    operand = true;
    repeated = false;
  }
  if (frames.length !== 1) fail('missing closing )');
  out += ')'.repeat(frames[0]!.modifiers.length);
  return out;
}

/**
 * Compiles a `policy.matchMode: regex` pattern as Casbin's regexMatch does in Argo CD: Go RE2 syntax,
 * searched anywhere in the value (not anchored). Returns undefined when Go would reject the pattern.
 */
export function compileGoRegexp(pattern: string): Pattern | undefined {
  let re: RegExp;
  try {
    re = new RegExp(translateGoRegexp(pattern), 'v');
  } catch (err) {
    if (err instanceof GoRegexpSyntaxError || err instanceof SyntaxError) return undefined;
    throw err;
  }
  return Pattern.regexp(re);
}
