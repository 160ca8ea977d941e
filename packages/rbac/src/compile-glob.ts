import { Pattern } from './pattern.ts';

type GlobNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'single' }
  | { readonly kind: 'range'; readonly lo: number; readonly hi: number; readonly not: boolean }
  | { readonly kind: 'list'; readonly chars: string; readonly not: boolean }
  | { readonly kind: 'anyOf'; readonly alternatives: GlobNode[][] };

class GlobSyntaxError extends Error {}

/**
 * Parses a glob the way the gobwas/glob package Argo CD uses reads it with no separators: `*` and `**`
 * match any run of characters including `/`, `?` one character, `[abc]`/`[!abc]` a listed character,
 * `[a-z]`/`[!a-z]` one range, `{x,y}` alternatives (an unclosed `{` is closed by the end), `\` escapes
 * the next character. `,` and `}` are ordinary outside braces, `]` outside brackets.
 */
function parseGlob(pattern: string): GlobNode[] {
  const chars = Array.from(pattern); // runes, as Go iterates them
  let pos = 0;
  const root: GlobNode[] = [];
  // The stack of open `{…}`: each frame holds the alternatives and the sequence being filled.
  const stack: { alternatives: GlobNode[][]; outer: GlobNode[] }[] = [];
  let current = root;

  const readText = (breakers: string): string => {
    let text = '';
    let escaped = false;
    while (pos < chars.length) {
      const c = chars[pos]!;
      if (!escaped) {
        if (c === '\\') {
          escaped = true;
          pos++;
          continue;
        }
        if (breakers.includes(c)) break;
      }
      escaped = false;
      text += c;
      pos++;
    }
    return text;
  };

  // Mirrors the lexer: an optional `!`, then either `lo-hi` or a run of listed characters, then `]`.
  const readRange = (): GlobNode => {
    let not = false;
    let wantHi = false;
    let wantClose = false;
    let lo = 0;
    let hi = 0;
    let list = '';
    for (;;) {
      if (pos >= chars.length) throw new GlobSyntaxError('unexpected end of input');
      const c = chars[pos++]!;
      if (wantClose) {
        if (c !== ']') throw new GlobSyntaxError('expected close range character');
        break;
      }
      if (wantHi) {
        hi = c.codePointAt(0)!;
        if (hi < lo) throw new GlobSyntaxError('hi character should be greater than lo');
        wantClose = true;
        continue;
      }
      if (!not && c === '!') {
        not = true;
        continue;
      }
      if (chars[pos] === '-') {
        lo = c.codePointAt(0)!;
        pos++;
        wantHi = true;
        continue;
      }
      pos--;
      list = readText(']');
      wantClose = true;
    }
    const isRange = lo !== 0 && hi !== 0;
    if (isRange === (list !== '')) throw new GlobSyntaxError('could not parse range');
    return isRange ? { kind: 'range', lo, hi, not } : { kind: 'list', chars: list, not };
  };

  while (pos < chars.length) {
    const c = chars[pos]!;
    const inTerms = stack.length > 0;
    if (c === '{') {
      pos++;
      const alternatives: GlobNode[][] = [[]];
      current.push({ kind: 'anyOf', alternatives });
      stack.push({ alternatives, outer: current });
      current = alternatives[0]!;
    } else if (c === ',' && inTerms) {
      pos++;
      const frame = stack[stack.length - 1]!;
      const next: GlobNode[] = [];
      frame.alternatives.push(next);
      current = next;
    } else if (c === '}' && inTerms) {
      pos++;
      current = stack.pop()!.outer;
    } else if (c === '[') {
      pos++;
      current.push(readRange());
    } else if (c === '?') {
      pos++;
      current.push({ kind: 'single' });
    } else if (c === '*') {
      pos++;
      if (chars[pos] === '*') pos++;
      current.push({ kind: 'any' });
    } else {
      const text = readText(inTerms ? '?*[{},' : '?*[{');
      if (text !== '') current.push({ kind: 'text', text });
    }
  }
  return root;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function classChar(codePoint: number): string {
  return `\\u{${codePoint.toString(16)}}`;
}

function toRegExpSource(nodes: readonly GlobNode[]): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += escapeRegExp(node.text);
        break;
      case 'any':
        out += '[^]*';
        break;
      case 'single':
        out += '[^]';
        break;
      case 'range':
        out += `[${node.not ? '^' : ''}${classChar(node.lo)}-${classChar(node.hi)}]`;
        break;
      case 'list':
        out += `[${node.not ? '^' : ''}${Array.from(node.chars, (ch) => classChar(ch.codePointAt(0)!)).join('')}]`;
        break;
      case 'anyOf':
        out += `(?:${node.alternatives.map(toRegExpSource).join('|')})`;
        break;
    }
  }
  return out;
}

/**
 * Compiles an Argo CD glob: literals and stars-only globs (nearly every policy) become string tests
 * (`Pattern.stars`), anything with `?`, brackets or braces an anchored RegExp. Returns undefined when
 * the pattern does not compile; Argo CD then treats it as matching nothing.
 */
export function compileGlob(pattern: string): Pattern | undefined {
  let nodes: GlobNode[];
  try {
    nodes = parseGlob(pattern);
  } catch (err) {
    if (err instanceof GlobSyntaxError) return undefined;
    throw err;
  }
  if (nodes.every((n) => n.kind === 'text' || n.kind === 'any')) {
    // Only literals and stars: split at the stars (consecutive stars are one).
    const parts: string[] = [''];
    for (const n of nodes) {
      if (n.kind === 'text') parts[parts.length - 1] += n.text;
      else parts.push('');
    }
    if (parts.length === 1) return Pattern.exact(parts[0]!);
    const middle = parts.slice(1, -1).filter((p) => p !== '');
    return Pattern.stars(parts[0]!, middle, parts[parts.length - 1]!);
  }
  return Pattern.regexp(new RegExp(`^(?:${toRegExpSource(nodes)})$`, 'u'));
}

/** True when the glob is a plain literal (no wildcard), so a policy can be indexed by it. */
export function isGlobLiteral(pattern: string): boolean {
  return !/[*?[{\\]/.test(pattern);
}
