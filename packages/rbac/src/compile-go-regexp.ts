import { compileGoRegexp as compileRegexp, GoRegexpError, matchString } from '@capstan/gocompat';
import { Pattern } from './pattern.ts';

/**
 * Compiles a `policy.matchMode: regex` pattern as Casbin's regexMatch does in Argo CD: Go RE2 syntax,
 * searched anywhere in the value (not anchored). Returns undefined when Go would reject the pattern
 * (Casbin then fails the check).
 */
export function compileGoRegexp(pattern: string): Pattern | undefined {
  try {
    const re = compileRegexp(pattern);
    return Pattern.regexp({ test: (value) => matchString(re, value) });
  } catch (err) {
    if (err instanceof GoRegexpError) return undefined;
    throw err;
  }
}
