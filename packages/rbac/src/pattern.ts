// The kinds of compiled pattern (plain numbers: enums are not erasable syntax).
const ANY = 0;
const EXACT = 1;
const PREFIX = 2;
const SUFFIX = 3;
const PREFIX_SUFFIX = 4;
const INFIX = 5;
const SEGMENTS = 6;
const REGEXP = 7;
const NOTHING = 8;
const INVALID = 9;

/** A compiled regular expression: a JavaScript RegExp (globs) or a Go regexp (regex match mode). */
export interface Matcher {
  test(value: string): boolean;
}

interface Parts {
  readonly a?: string;
  readonly b?: string;
  readonly middle?: readonly string[];
  readonly re?: Matcher;
}

const NO_PARTS: readonly string[] = [];

/**
 * A compiled policy field. One class with a kind tag rather than a closure per shape, so the evaluator's
 * call sites stay monomorphic: matching is the hot loop of every uncached check.
 */
export class Pattern {
  readonly kind: number;
  readonly #a: string;
  readonly #b: string;
  readonly #middle: readonly string[];
  readonly #re: Matcher | undefined;

  private constructor(kind: number, parts: Parts = {}) {
    this.kind = kind;
    this.#a = parts.a ?? '';
    this.#b = parts.b ?? '';
    this.#middle = parts.middle ?? NO_PARTS;
    this.#re = parts.re;
  }

  static readonly any = new Pattern(ANY);
  static readonly nothing = new Pattern(NOTHING);
  /** A regex Go cannot compile: Casbin fails any check that reaches it (see PolicyIndex). */
  static readonly invalid = new Pattern(INVALID);

  static exact(text: string): Pattern {
    return new Pattern(EXACT, { a: text });
  }

  /**
   * `first*m1*…*last`, literal parts between stars, with the cheapest test for the shape. Matched left
   * to right with indexOf: exact for stars-only globs and linear, where a backtracking RegExp could be
   * driven into exponential time by a long request value.
   */
  static stars(first: string, middle: readonly string[], last: string): Pattern {
    if (middle.length === 0) {
      if (last === '') return first === '' ? Pattern.any : new Pattern(PREFIX, { a: first });
      return first === ''
        ? new Pattern(SUFFIX, { a: last })
        : new Pattern(PREFIX_SUFFIX, { a: first, b: last });
    }
    if (middle.length === 1 && first === '' && last === '') return new Pattern(INFIX, { a: middle[0]! });
    return new Pattern(SEGMENTS, { a: first, b: last, middle });
  }

  static regexp(re: Matcher): Pattern {
    return new Pattern(REGEXP, { re });
  }

  get isInvalid(): boolean {
    return this.kind === INVALID;
  }

  /** Whether the value matches (an invalid pattern matches nothing here; callers check `isInvalid`). */
  test(value: string): boolean {
    switch (this.kind) {
      case ANY:
        return true;
      case EXACT:
        return value === this.#a;
      case PREFIX:
        return value.startsWith(this.#a);
      case SUFFIX:
        return value.endsWith(this.#a);
      case PREFIX_SUFFIX:
        return (
          value.length >= this.#a.length + this.#b.length &&
          value.startsWith(this.#a) &&
          value.endsWith(this.#b)
        );
      case INFIX:
        return value.includes(this.#a);
      case SEGMENTS: {
        const end = value.length - this.#b.length;
        if (end < this.#a.length || !value.startsWith(this.#a) || !value.endsWith(this.#b)) return false;
        let at = this.#a.length;
        for (const part of this.#middle) {
          const found = value.indexOf(part, at);
          if (found < 0 || found + part.length > end) return false;
          at = found + part.length;
        }
        return true;
      }
      case REGEXP:
        return this.#re!.test(value);
      default:
        return false;
    }
  }
}
