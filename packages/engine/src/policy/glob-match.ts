// Project and sync-window patterns follow the Go glob library Argo CD uses (gobwas/glob): `*` stops
// at a separator when one is given, `**` never does, `?` is one character, `[a-z]` / `[!a-z]` are
// classes and `{a,b}` alternatives. picomatch differs (dotfiles, extglobs, leading `!`), so the
// pattern is compiled here to keep the exact matching rules.

const cache = new Map<string, RegExp | null>();
const CACHE_LIMIT = 2000;

function escapeLiteral(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function escapeInClass(ch: string): string {
  return /[\\\]^[-]/.test(ch) ? `\\${ch}` : ch;
}

class Compiler {
  private pos = 0;
  private readonly chars: readonly string[];
  private readonly notSeparator: string;

  constructor(pattern: string, separator: string | undefined) {
    this.chars = Array.from(pattern);
    this.notSeparator = separator === undefined ? '[^]' : `[^${escapeInClass(separator)}]`;
  }

  compile(): RegExp | null {
    const source = this.sequence(false);
    if (source === null || this.pos < this.chars.length) return null;
    return new RegExp(`^${source}$`, 'u');
  }

  /** Reads until the end, or inside `{}` until the `,` or `}` that ends this alternative. */
  private sequence(inAlternative: boolean): string | null {
    let out = '';
    while (this.pos < this.chars.length) {
      const ch = this.chars[this.pos] ?? '';
      if (inAlternative && (ch === ',' || ch === '}')) return out;
      this.pos++;
      let piece: string | null;
      switch (ch) {
        case '\\':
          piece = this.escaped();
          break;
        case '*':
          if (this.chars[this.pos] === '*') {
            this.pos++;
            piece = '[^]*';
          } else {
            piece = `${this.notSeparator}*`;
          }
          break;
        case '?':
          piece = this.notSeparator;
          break;
        case '[':
          piece = this.characterClass();
          break;
        case '{':
          piece = this.alternatives();
          break;
        default:
          piece = escapeLiteral(ch);
      }
      if (piece === null) return null;
      out += piece;
    }
    return out;
  }

  private escaped(): string | null {
    const next = this.chars[this.pos];
    if (next === undefined) return null;
    this.pos++;
    return escapeLiteral(next);
  }

  private characterClass(): string | null {
    let negated = false;
    if (this.chars[this.pos] === '!') {
      negated = true;
      this.pos++;
    }
    let body = '';
    for (;;) {
      const ch = this.chars[this.pos];
      if (ch === undefined) return null;
      this.pos++;
      if (ch === ']') break;
      const hi = this.chars[this.pos + 1];
      if (this.chars[this.pos] === '-' && hi !== undefined && hi !== ']') {
        if ((ch.codePointAt(0) ?? 0) > (hi.codePointAt(0) ?? 0)) return null;
        body += `${escapeInClass(ch)}-${escapeInClass(hi)}`;
        this.pos += 2;
      } else {
        body += escapeInClass(ch);
      }
    }
    if (body === '') return null;
    return negated ? `[^${body}]` : `[${body}]`;
  }

  private alternatives(): string | null {
    const options: string[] = [];
    for (;;) {
      const option = this.sequence(true);
      if (option === null) return null;
      options.push(option);
      const ch = this.chars[this.pos];
      if (ch === undefined) return null;
      this.pos++;
      if (ch === '}') return `(?:${options.join('|')})`;
    }
  }
}

function compiled(pattern: string, separator: string | undefined): RegExp | null {
  const key = `${separator ?? ''}\u0000${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    re = new Compiler(pattern, separator).compile();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/**
 * Whether `text` matches the glob `pattern`. With a `separator` (e.g. `/` for repository URLs) a
 * single `*` or `?` does not cross it. A malformed pattern matches nothing.
 */
export function globMatch(pattern: string, text: string, separator?: string): boolean {
  return compiled(pattern, separator)?.test(text) ?? false;
}
