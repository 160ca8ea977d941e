// Constructors for the typed Go values callers put into template data, where the difference with
// JSON-decoded values is visible to templates: Argo CD's cluster generator gives
// `metadata.labels` as map[string]string (so `index` of a missing label is "" and Sprig's dict
// functions refuse it) and the git generator gives `path.segments` as []string.

import { goDuration, goTime, loadLocation, timeFromMillis, UTC } from './go-time.ts';
import { GoMap, GoSlice, type GoInt, type GoObject } from './go-values.ts';

/** A Go map[string]string. */
export function stringMap(entries: Readonly<Record<string, string>>): GoMap {
  return new GoMap('string', new Map(Object.entries(entries)));
}

/** A Go []string. */
export function stringSlice(items: readonly string[]): GoSlice {
  return new GoSlice('string', [...items]);
}

/** A Go time.Time at a Unix time in milliseconds, in an IANA zone (UTC by default). */
export function timeValue(unixMillis: number, zone = 'UTC'): GoObject {
  const loc = loadLocation(zone, UTC) ?? UTC;
  return goTime(timeFromMillis(unixMillis, loc), { local: loc });
}

/** A Go time.Duration of nanoseconds (prints as "1m30s", has .Minutes, .Seconds…). */
export function durationValue(nanoseconds: number): GoInt {
  return goDuration(nanoseconds);
}
