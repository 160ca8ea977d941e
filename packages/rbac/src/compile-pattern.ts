import { compileGlob } from './compile-glob.ts';
import { compileGoRegexp } from './compile-go-regexp.ts';
import { Pattern } from './pattern.ts';

/** `policy.matchMode`: how resource, action and object patterns are read. */
export type MatchMode = 'glob' | 'regex';

/** Compiles patterns once and shares the result between policies that repeat them (`*`, `*\/*`, `get`). */
export class PatternCompiler {
  readonly mode: MatchMode;
  readonly #cache = new Map<string, Pattern>();
  readonly #invalid = new Set<string>();

  constructor(mode: MatchMode) {
    this.mode = mode;
  }

  /**
   * A regex that Go cannot compile becomes `Pattern.invalid`: in Argo CD, Casbin panics when it reaches
   * such a pattern and the whole check fails (denies). A glob that does not compile matches nothing.
   */
  compile(pattern: string): Pattern {
    let compiled = this.#cache.get(pattern);
    if (compiled === undefined) {
      if (this.mode === 'regex') {
        compiled = compileGoRegexp(pattern) ?? Pattern.invalid;
        if (compiled.isInvalid) this.#invalid.add(pattern);
      } else {
        const glob = compileGlob(pattern);
        if (glob === undefined) this.#invalid.add(pattern);
        compiled = glob ?? Pattern.nothing;
      }
      this.#cache.set(pattern, compiled);
    }
    return compiled;
  }

  /** Whether the pattern fails to compile in this mode (for diagnostics). */
  isInvalid(pattern: string): boolean {
    this.compile(pattern);
    return this.#invalid.has(pattern);
  }
}
