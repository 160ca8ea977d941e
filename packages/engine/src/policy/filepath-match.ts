// Resource whitelists and blacklists are matched with Go's filepath.Match in Argo CD, which differs
// from the project's other globs: no `{a,b}`, no `**`, classes negate with `^`, and a malformed
// pattern is an error (so it matches nothing).

const cache = new Map<string, RegExp | null>();
const CACHE_LIMIT = 2000;

function escapeLiteral(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function escapeInClass(ch: string): string {
  return /[\\\]^[-]/.test(ch) ? `\\${ch}` : ch;
}

/** One class member as Go reads it: `\x` escapes, a bare `-` or `]` is malformed. */
function classChar(chars: readonly string[], pos: number): [string, number] | null {
  let at = pos;
  let ch = chars[at];
  if (ch === undefined || ch === '-' || ch === ']') return null;
  if (ch === '\\') {
    at++;
    ch = chars[at];
    if (ch === undefined) return null;
  }
  at++;
  // The class must still be closed after this member.
  if (chars[at] === undefined) return null;
  return [ch, at];
}

function characterClass(chars: readonly string[], start: number): [string, number] | null {
  let pos = start;
  let negated = false;
  if (chars[pos] === '^') {
    negated = true;
    pos++;
  }
  const ranges: string[] = [];
  let count = 0;
  for (;;) {
    if (chars[pos] === ']' && count > 0) {
      pos++;
      break;
    }
    const lo = classChar(chars, pos);
    if (lo === null) return null;
    const [low] = lo;
    let high = low;
    pos = lo[1];
    if (chars[pos] === '-') {
      const hi = classChar(chars, pos + 1);
      if (hi === null) return null;
      [high, pos] = hi;
    }
    // Go accepts an inverted range and simply never matches it; a RegExp would reject it.
    if ((low.codePointAt(0) ?? 0) <= (high.codePointAt(0) ?? 0))
      ranges.push(low === high ? escapeInClass(low) : `${escapeInClass(low)}-${escapeInClass(high)}`);
    count++;
  }
  const body = ranges.join('');
  if (body === '') return [negated ? '[^]' : '(?!)', pos];
  return [negated ? `[^${body}]` : `[${body}]`, pos];
}

function compile(pattern: string): RegExp | null {
  const chars = Array.from(pattern);
  let out = '';
  let pos = 0;
  while (pos < chars.length) {
    const ch = chars[pos] ?? '';
    pos++;
    if (ch === '*') {
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '\\') {
      const next = chars[pos];
      if (next === undefined) return null;
      out += escapeLiteral(next);
      pos++;
    } else if (ch === '[') {
      const cls = characterClass(chars, pos);
      if (cls === null) return null;
      out += cls[0];
      pos = cls[1];
    } else {
      out += escapeLiteral(ch);
    }
  }
  return new RegExp(`^${out}$`, 'u');
}

/** Go's `filepath.Match(pattern, name)` on a Unix host; a malformed pattern matches nothing. */
export function filepathMatch(pattern: string, name: string): boolean {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, re);
  }
  return re?.test(name) ?? false;
}
