// Go's regexp package on top of re2js: Go's regexp IS RE2, so re2js gives Go's syntax, Go's
// leftmost-first submatches, Go's error messages and linear-time matching (user-supplied patterns can't
// make it backtrack exponentially). What re2js does differently from Go (Java's find/replace/split
// rules) is done here the Go way.

import { RE2JS, RE2JSException, type Matcher } from 're2js';

/** A pattern Go's regexp.Compile rejects; the message is Go's ("error parsing regexp: ..."). */
export class GoRegexpError extends Error {}

/** A compiled Go regexp; offsets below are UTF-16 code units, as everywhere in JavaScript. */
export interface GoRegexp {
  readonly source: string;
  readonly numSubexp: number;
  /** Capture group names by group number; index 0 and unnamed groups are ''. */
  readonly names: readonly string[];
  readonly re: RE2JS;
}

interface Match {
  readonly index: number;
  readonly end: number;
}

const cache = new Map<string, GoRegexp>();
const CACHE_LIMIT = 500;

/** regexp.Compile; throws GoRegexpError with Go's message. Compiled patterns are cached. */
export function compileGoRegexp(source: string): GoRegexp {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  let re: RE2JS;
  const renamed = new Map<string, string>();
  try {
    re = compileRe2(source, renamed);
  } catch (e) {
    if (e instanceof RE2JSException) throw new GoRegexpError(e.message);
    throw e;
  }
  const numSubexp = re.groupCount();
  const names: string[] = Array.from({ length: numSubexp + 1 }, () => '');
  for (const [name, index] of Object.entries(re.namedGroups())) names[index] = renamed.get(name) ?? name;
  const compiled: GoRegexp = { source, numSubexp, names, re };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

function compileRe2(source: string, renamed: Map<string, string>): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (e) {
    if (!(e instanceof RE2JSException) || !e.message.includes('duplicate capture group name')) throw e;
    return RE2JS.compile(uniqueGroupNames(source, renamed));
  }
}

/**
 * Go accepts a capture group name used twice (RE2 and re2js reject it), so repeats are renamed to
 * fresh names before compiling; `renamed` maps them back. Escapes, \Q…\E and classes are skipped so
 * only real group openers are touched.
 */
function uniqueGroupNames(source: string, renamed: Map<string, string>): string {
  if (!source.includes('<')) return source;
  const seen = new Set<string>();
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      if (source[i + 1] === 'Q') {
        const end = source.indexOf('\\E', i + 2);
        const stop = end < 0 ? source.length : end + 2;
        out += source.slice(i, stop);
        i = stop;
      } else {
        out += source.slice(i, i + 2);
        i += 2;
      }
      continue;
    }
    if (c === '[') {
      // A class runs to the first `]` that is not its first member, an escape or part of [:name:].
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') {
        if (source[j] === '\\') j += 2;
        else if (source.startsWith('[:', j) && source.indexOf(':]', j + 2) > 0)
          j = source.indexOf(':]', j + 2) + 2;
        else j++;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const named = c === '(' ? /^\(\?(P?)<(\w+)>/.exec(source.slice(i, i + 260)) : null;
    if (named !== null) {
      const name = named[2]!;
      let unique = name;
      for (let k = 1; seen.has(unique) || (unique !== name && source.includes(unique)); k++)
        unique = `${name}_${k}`;
      seen.add(unique);
      if (unique !== name) renamed.set(unique, name);
      out += `(?${named[1]!}<${unique}>`;
      i += named[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * All leftmost-first matches with Go's rule: an empty match right after a match is skipped. re2js's
 * find() already steps over an empty match by one code point; it only differs from Go in also
 * reporting an empty match where the previous one ended, which is dropped here.
 */
function findAll(re: GoRegexp, s: string, n: number, each: (m: Matcher) => void): number {
  const m = re.re.matcher(s);
  if (n < 0) n = s.length + 1;
  let count = 0;
  let prevEnd = -1;
  while (count < n && m.find()) {
    const index = m.start();
    const end = m.end();
    if (end !== index || index !== prevEnd) {
      count++;
      each(m);
    }
    prevEnd = end;
  }
  return count;
}

function matches(re: GoRegexp, s: string, n: number): Match[] {
  const out: Match[] = [];
  findAll(re, s, n, (m) => out.push({ index: m.start(), end: m.end() }));
  return out;
}

/** Regexp.MatchString. */
export function matchString(re: GoRegexp, s: string): boolean {
  return re.re.test(s);
}

/** Regexp.Match: whether the UTF-8 bytes contain a match. */
export function matchBytes(re: GoRegexp, b: Uint8Array): boolean {
  return re.re.test(b);
}

/** Regexp.FindString: the leftmost match, or '' when there is none. */
export function findString(re: GoRegexp, s: string): string {
  const m = re.re.matcher(s);
  return m.find() ? s.slice(m.start(), m.end()) : '';
}

/** Regexp.FindAllString: null (Go's nil) when nothing matches. */
export function findAllString(re: GoRegexp, s: string, n: number): string[] | null {
  const out: string[] = [];
  findAll(re, s, n, (m) => out.push(s.slice(m.start(), m.end())));
  return out.length === 0 ? null : out;
}

function group(s: string, m: Matcher, g: number): string {
  const a = m.start(g);
  const b = m.end(g);
  return a < 0 || b < 0 ? '' : s.slice(a, b);
}

/** Regexp.Expand's template syntax: $1, ${1}, $name, ${name}, $$ (re2js's own differs). */
function expand(re: GoRegexp, template: string, src: string, m: Matcher): string {
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
    } else {
      // With a name used twice, Go takes the first group of that name that took part in the match.
      idx = re.names.findIndex((n, i) => n === name && m.start(i) >= 0);
    }
    if (idx >= 0 && idx <= re.numSubexp) out += group(src, m, idx);
  }
  return out;
}

/** Regexp.ReplaceAllString (literal = false) and ReplaceAllLiteralString (literal = true). */
export function replaceAll(re: GoRegexp, src: string, repl: string, literal: boolean): string {
  let out = '';
  let last = 0;
  findAll(re, src, -1, (m) => {
    out += src.slice(last, m.start());
    out += literal ? repl : expand(re, repl, src, m);
    last = m.end();
  });
  return out + src.slice(last);
}

/** Regexp.Split: null (Go's nil) when n is 0. */
export function split(re: GoRegexp, s: string, n: number): string[] | null {
  if (n === 0) return null;
  if (re.source.length > 0 && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches(re, s, n)) {
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
