import { globMatch } from '../policy/glob-match.ts';
import type { HealthCustomization, HealthCustomizations } from './parse-health-customizations.ts';

export interface MatchedScript {
  /** The customization key that matched: the resource's own `group/Kind`, or a wildcard pattern. */
  readonly key: string;
  readonly customization: HealthCustomization;
}

const WILDCARD = /[*?[{]/;

/** Literal characters in a pattern: the more a pattern spells out, the more specific it is. */
function literalLength(pattern: string): number {
  return pattern.replace(/\*|\?|\[[^\]]*\]|\{[^}]*\}/g, '').length;
}

/**
 * Finds the custom health script for a `group/Kind` key: the entry with exactly that key, else the first
 * wildcard entry whose glob matches it (`*` also crosses the `/`, as in Argo CD). Argo CD tries wildcards in
 * Go's random map order; here the most specific pattern wins (most literal characters, then by key), so the
 * answer never changes between runs. Answers are cached per key.
 */
export class HealthScriptIndex {
  private readonly exact: ReadonlyMap<string, HealthCustomization>;
  private readonly wildcards: readonly (readonly [string, HealthCustomization])[];
  private readonly cache = new Map<string, MatchedScript | null>();

  constructor(customizations: HealthCustomizations = {}) {
    const exact = new Map<string, HealthCustomization>();
    const wildcards: [string, HealthCustomization][] = [];
    for (const [key, customization] of Object.entries(customizations)) {
      if (customization.healthLua === '') continue;
      if (WILDCARD.test(key)) wildcards.push([key, customization]);
      else exact.set(key, customization);
    }
    wildcards.sort(([a], [b]) => literalLength(b) - literalLength(a) || (a < b ? -1 : a > b ? 1 : 0));
    this.exact = exact;
    this.wildcards = wildcards;
  }

  get size(): number {
    return this.exact.size + this.wildcards.length;
  }

  find(key: string): MatchedScript | undefined {
    let found = this.cache.get(key);
    if (found === undefined) {
      found = this.lookup(key) ?? null;
      this.cache.set(key, found);
    }
    return found ?? undefined;
  }

  private lookup(key: string): MatchedScript | undefined {
    const exact = this.exact.get(key);
    if (exact !== undefined) return { key, customization: exact };
    for (const [pattern, customization] of this.wildcards) {
      if (globMatch(pattern, key)) return { key: pattern, customization };
    }
    return undefined;
  }
}
