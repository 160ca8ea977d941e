// Go's time package for templates: time.Time (as a GoObject with Format, Unix, Add, Sub…),
// time.Duration (a named int64 with String), layouts for Format and Parse ("2006-01-02"),
// ParseDuration, and locations (UTC, a configurable Local, IANA zones through Intl).

import {
  civilTime,
  type CivilTime,
  daysFromCivil,
  formatGoDuration,
  formatGoTime,
  GoDurationError,
  layoutChunks,
  LONG_DAY_NAMES,
  LONG_MONTH_NAMES,
  parseGoDuration,
} from '@capstan/gocompat';
import { GoFuncError, GoInt, GoObject, type GoMethod, type GoNamedType } from './go-values.ts';

const NS_PER_SEC = 1_000_000_000;

// Locations ---------------------------------------------------------------------------------

export interface Location {
  readonly name: string;
  /** Offset east of UTC in seconds and the zone abbreviation at a Unix second. */
  zone(unixSec: number): { offset: number; abbrev: string };
}

export const UTC: Location = { name: 'UTC', zone: () => ({ offset: 0, abbrev: 'UTC' }) };

export function fixedZone(name: string, offset: number): Location {
  return { name, zone: () => ({ offset, abbrev: name }) };
}

const zoneCache = new Map<string, Location | null>();

function offsetAbbrev(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  return `${sign}${String(h).padStart(2, '0')}${m === 0 ? '' : String(m).padStart(2, '0')}`;
}

/** An IANA zone through Intl, or null when the name is unknown. */
export function ianaZone(name: string): Location | null {
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached;
  let loc: Location | null;
  try {
    const offsetFmt = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
    const abbrevFmt = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short' });
    loc = {
      name,
      zone(unixSec: number) {
        const ms = Math.max(Math.min(unixSec * 1000, 8.64e15), -8.64e15);
        const part = (f: Intl.DateTimeFormat): string =>
          f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
        const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part(offsetFmt));
        const offset = m === null ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
        const short = part(abbrevFmt);
        const abbrev =
          /^[A-Z]{2,5}$/.test(short) && short !== 'GMT' ? short : offset === 0 ? 'UTC' : offsetAbbrev(offset);
        return { offset, abbrev: name === 'UTC' ? 'UTC' : abbrev };
      },
    };
  } catch {
    loc = null;
  }
  zoneCache.set(name, loc);
  return loc;
}

/** time.LoadLocation: "" and "UTC" are UTC, "Local" is the configured local zone. */
export function loadLocation(name: string, local: Location): Location | null {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return local;
  return ianaZone(name);
}

// Civil calendar ----------------------------------------------------------------------------

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysIn(m: number, y: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

const longMonths = LONG_MONTH_NAMES;
const longDays = LONG_DAY_NAMES;

// Time values -------------------------------------------------------------------------------

export interface TimeState {
  /** Unix seconds (integer). */
  readonly sec: number;
  /** Nanoseconds within the second, 0..999999999. */
  readonly nsec: number;
  readonly loc: Location;
}

/** The zero time.Time: January 1, year 1, 00:00:00 UTC. */
export const zeroTimeSec = daysFromCivil(1, 1, 1) * 86400;

function civil(t: TimeState): CivilTime {
  const { offset, abbrev } = t.loc.zone(t.sec);
  return civilTime({ sec: t.sec, nsec: t.nsec, offset, abbrev });
}

/** time.Date(y, m, d, h, min, s, ns, loc), normalising overflowing fields. */
export function timeDate(
  parts: { year: number; month: number; day: number; hour: number; min: number; sec: number; nsec: number },
  loc: Location,
): TimeState {
  let { year, month } = parts;
  month -= 1;
  year += Math.floor(month / 12);
  month = ((month % 12) + 12) % 12;
  const days = daysFromCivil(year, month + 1, 1) + parts.day - 1;
  let nsec = parts.nsec;
  let extra = Math.floor(nsec / NS_PER_SEC);
  nsec -= extra * NS_PER_SEC;
  const localSec = days * 86400 + parts.hour * 3600 + parts.min * 60 + parts.sec + extra;
  extra = 0;
  // Find the offset in effect: try the offset at the local time taken as UTC, then adjust.
  let { offset } = loc.zone(localSec);
  let unix = localSec - offset;
  const second = loc.zone(unix).offset;
  if (second !== offset) {
    offset = second;
    unix = localSec - offset;
  }
  return { sec: unix, nsec, loc };
}

// Layouts -----------------------------------------------------------------------------------

export function formatTime(t: TimeState, layout: string): string {
  const { offset, abbrev } = t.loc.zone(t.sec);
  return formatGoTime({ sec: t.sec, nsec: t.nsec, offset, abbrev }, layout);
}

class TimeParseError extends Error {}

function parseError(layout: string, value: string, elem: string, valueElem: string): TimeParseError {
  return new TimeParseError(
    `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(valueElem)} as ${JSON.stringify(elem)}`,
  );
}

function rangeError(value: string, msg: string): TimeParseError {
  return new TimeParseError(`parsing time ${JSON.stringify(value)}${msg}`);
}

/** time.ParseInLocation. */
export function parseTime(layout: string, value: string, loc: Location): TimeState {
  let year = 1;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let zoneOffset: number | undefined;
  let zoneName = '';
  let rest = value;
  const num = (width: number, fixed: boolean, elem: string): number => {
    const m = fixed ? new RegExp(`^\\d{${width}}`).exec(rest) : /^\d{1,2}/.exec(rest);
    if (m === null) throw parseError(layout, value, elem, rest);
    rest = rest.slice(m[0].length);
    return Number(m[0]);
  };
  const lookup = (names: readonly string[], len: number | undefined, elem: string): number => {
    for (let i = 0; i < names.length; i++) {
      const n = len === undefined ? names[i]! : names[i]!.slice(0, len);
      if (rest.length >= n.length && rest.slice(0, n.length).toLowerCase() === n.toLowerCase()) {
        rest = rest.slice(n.length);
        return i;
      }
    }
    throw parseError(layout, value, elem, rest);
  };
  const parts = layoutChunks(layout);
  for (let pi = 0; pi < parts.length; pi++) {
    const ch = parts[pi]!;
    if (ch.k === 'lit') {
      if (!rest.startsWith(ch.s)) throw parseError(layout, value, ch.s, rest);
      rest = rest.slice(ch.s.length);
      continue;
    }
    if (ch.k === 'frac') {
      if (!rest.startsWith(ch.sep) && !rest.startsWith(ch.sep === '.' ? ',' : '.')) {
        if (ch.zero) throw parseError(layout, value, `${ch.sep}${'0'.repeat(ch.digits)}`, rest);
        continue;
      }
      const m = ch.zero ? new RegExp(`^[.,](\\d{${ch.digits}})`).exec(rest) : /^[.,](\d+)/.exec(rest);
      if (m === null) throw parseError(layout, value, ch.sep, rest);
      nsec = Number(m[1]!.padEnd(9, '0').slice(0, 9));
      rest = rest.slice(m[0].length);
      continue;
    }
    const code = ch.code;
    switch (code) {
      case '2006':
        year = num(4, true, code);
        break;
      case '06': {
        const y = num(2, true, code);
        year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case 'Jan':
        month = lookup(longMonths, 3, code) + 1;
        break;
      case 'January':
        month = lookup(longMonths, undefined, code) + 1;
        break;
      case '1':
      case '01':
        month = num(2, code === '01', code);
        if (month < 1 || month > 12) throw rangeError(value, ': month out of range');
        break;
      case 'Mon':
        lookup(longDays, 3, code);
        break;
      case 'Monday':
        lookup(longDays, undefined, code);
        break;
      case '2':
      case '_2':
      case '02':
        if (code === '_2' && rest.startsWith(' ')) rest = rest.slice(1);
        day = num(2, code === '02', code);
        break;
      case '__2':
      case '002':
        rest = rest.replace(/^ {1,2}/, '');
        yday = num(3, code === '002', code);
        break;
      case '15':
        hour = num(2, false, code);
        if (hour > 23) throw rangeError(value, ': hour out of range');
        break;
      case '3':
      case '03':
        hour = num(2, code === '03', code);
        if (hour > 12) throw rangeError(value, ': hour out of range');
        break;
      case '4':
      case '04':
        min = num(2, code === '04', code);
        if (min > 59) throw rangeError(value, ': minute out of range');
        break;
      case '5':
      case '05': {
        sec = num(2, code === '05', code);
        if (sec > 59) throw rangeError(value, ': second out of range');
        // A fractional second in the value may follow even if the layout has none.
        const next = parts[pi + 1];
        if (/^[.,]\d/.test(rest) && (next === undefined || next.k !== 'frac')) {
          const m = /^[.,](\d+)/.exec(rest)!;
          nsec = Number(m[1]!.padEnd(9, '0').slice(0, 9));
          rest = rest.slice(m[0].length);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const ap = rest.slice(0, 2).toUpperCase();
        if (ap === 'PM') pmSet = true;
        else if (ap === 'AM') amSet = true;
        else throw parseError(layout, value, code, rest);
        rest = rest.slice(2);
        break;
      }
      case 'MST': {
        const m = /^(UTC|[A-Z]{3,5}|[+-]\d{2,4})/.exec(rest);
        if (m === null) throw parseError(layout, value, code, rest);
        zoneName = m[1]!;
        rest = rest.slice(m[1]!.length);
        break;
      }
      default: {
        if (code.startsWith('Z') && rest.startsWith('Z')) {
          rest = rest.slice(1);
          zoneOffset = 0;
          zoneName = 'UTC';
          break;
        }
        const tail = code.slice(1);
        const re =
          tail === '07:00'
            ? /^([+-])(\d{2}):(\d{2})/
            : tail === '0700'
              ? /^([+-])(\d{2})(\d{2})/
              : tail === '07'
                ? /^([+-])(\d{2})/
                : tail === '07:00:00'
                  ? /^([+-])(\d{2}):(\d{2}):(\d{2})/
                  : /^([+-])(\d{2})(\d{2})(\d{2})/;
        const m = re.exec(rest);
        if (m === null) throw parseError(layout, value, code, rest);
        const off = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
        zoneOffset = m[1] === '-' ? -off : off;
        rest = rest.slice(m[0].length);
      }
    }
  }
  if (rest !== '') throw rangeError(value, `: extra text: ${JSON.stringify(rest)}`);
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    const daysInYear = isLeap(year) ? 366 : 365;
    if (yday < 1 || yday > daysInYear) throw rangeError(value, ': day-of-year out of range');
    if (month < 0) {
      const d = new Date(Date.UTC(2000, 0, 1));
      d.setUTCFullYear(year, 0, yday);
      month = d.getUTCMonth() + 1;
      day = d.getUTCDate();
    }
  }
  if (month < 0) month = 1;
  if (day < 0) day = 1;
  if (day < 1 || day > daysIn(month, year)) throw rangeError(value, ': day out of range');
  const fields = { year, month, day, hour, min, sec, nsec };
  if (zoneOffset !== undefined) {
    const t = timeDate(fields, UTC);
    const unix = t.sec - zoneOffset;
    const inLoc = loc.zone(unix);
    if (inLoc.offset === zoneOffset && (zoneName === '' || zoneName === inLoc.abbrev))
      return { sec: unix, nsec, loc };
    return {
      sec: unix,
      nsec,
      loc: zoneOffset === 0 && zoneName === 'UTC' ? UTC : fixedZone(zoneName, zoneOffset),
    };
  }
  if (zoneName !== '') {
    const t = timeDate(fields, UTC);
    if (zoneName === 'UTC') return { sec: t.sec, nsec, loc: UTC };
    const inLoc = loc.zone(t.sec);
    if (inLoc.abbrev === zoneName) return { sec: t.sec - inLoc.offset, nsec, loc };
    const m = /^[+-]\d+$/.exec(zoneName);
    const off = m !== null ? Number(zoneName.slice(0, 3)) * 3600 : 0;
    return { sec: t.sec - off, nsec, loc: fixedZone(zoneName, off) };
  }
  return timeDate(fields, loc);
}

// Durations ---------------------------------------------------------------------------------

/** time.Duration.String: "1h2m3.5s", "1.5µs", "0s". */
export function durationString(ns: number): string {
  return formatGoDuration(BigInt(Math.trunc(ns)));
}

/** time.ParseDuration; throws GoFuncError with Go's message. */
export function parseDuration(s: string): number {
  try {
    return Number(parseGoDuration(s));
  } catch (e) {
    if (e instanceof GoDurationError) throw new GoFuncError(e.message);
    throw e;
  }
}

// Template-facing types ---------------------------------------------------------------------

function method<A extends unknown[]>(
  params: string[],
  ret: string,
  fn: (recv: never, ...args: A) => unknown,
): GoMethod {
  return { sig: { params, ret }, fn: fn as unknown as GoMethod['fn'] };
}

export const durationType: GoNamedType = {
  name: 'time.Duration',
  methods: new Map<string, GoMethod>([
    ['String', method([], 'string', (d: GoInt) => durationString(d.value))],
    ['Hours', method([], 'float64', (d: GoInt) => d.value / 3600e9)],
    ['Minutes', method([], 'float64', (d: GoInt) => d.value / 60e9)],
    ['Seconds', method([], 'float64', (d: GoInt) => d.value / 1e9)],
    ['Milliseconds', method([], 'int64', (d: GoInt) => new GoInt('int64', Math.trunc(d.value / 1e6)))],
    ['Nanoseconds', method([], 'int64', (d: GoInt) => new GoInt('int64', d.value))],
    [
      'Round',
      method(['time.Duration'], 'time.Duration', (d: GoInt, m: GoInt) =>
        goDuration(roundTo(d.value, m.value)),
      ),
    ],
    [
      'Truncate',
      method(['time.Duration'], 'time.Duration', (d: GoInt, m: GoInt) =>
        goDuration(m.value <= 0 ? d.value : d.value - (d.value % m.value)),
      ),
    ],
  ]),
};

function roundTo(d: number, m: number): number {
  if (m <= 0) return d;
  let r = d % m;
  if (d < 0) {
    r = -r;
    return r + r < m ? d + r : d - m + r;
  }
  return r + r < m ? d - r : d + m - r;
}

export function goDuration(ns: number): GoInt {
  return new GoInt('int64', ns, durationType);
}

const monthType: GoNamedType = {
  name: 'time.Month',
  methods: new Map([
    ['String', method([], 'string', (m: GoInt) => longMonths[m.value - 1] ?? `%!Month(${m.value})`)],
  ]),
};
const weekdayType: GoNamedType = {
  name: 'time.Weekday',
  methods: new Map([
    ['String', method([], 'string', (d: GoInt) => longDays[d.value] ?? `%!Weekday(${d.value})`)],
  ]),
};

/** Creates the configured Local location's time methods (Local() needs it). */
export interface TimeEnv {
  readonly local: Location;
}

function timeString(t: TimeState): string {
  return formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
}

function addNs(t: TimeState, ns: number): TimeState {
  const total = t.nsec + ns;
  const carry = Math.floor(total / NS_PER_SEC);
  return { sec: t.sec + carry, nsec: total - carry * NS_PER_SEC, loc: t.loc };
}

function subNs(a: TimeState, b: TimeState): number {
  return (a.sec - b.sec) * NS_PER_SEC + (a.nsec - b.nsec);
}

function cmp(a: TimeState, b: TimeState): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

function timeMethods(env: TimeEnv): ReadonlyMap<string, GoMethod> {
  const st = (o: GoObject): TimeState => o.state as TimeState;
  return new Map<string, GoMethod>([
    ['Format', method(['string'], 'string', (t: GoObject, layout: string) => formatTime(st(t), layout))],
    ['String', method([], 'string', (t: GoObject) => timeString(st(t)))],
    ['Unix', method([], 'int64', (t: GoObject) => new GoInt('int64', st(t).sec))],
    [
      'UnixMilli',
      method(
        [],
        'int64',
        (t: GoObject) => new GoInt('int64', st(t).sec * 1000 + Math.floor(st(t).nsec / 1e6)),
      ),
    ],
    ['UnixNano', method([], 'int64', (t: GoObject) => new GoInt('int64', st(t).sec * 1e9 + st(t).nsec))],
    ['UTC', method([], 'time.Time', (t: GoObject) => goTime({ ...st(t), loc: UTC }, env))],
    ['Local', method([], 'time.Time', (t: GoObject) => goTime({ ...st(t), loc: env.local }, env))],
    ['Year', method([], 'int', (t: GoObject) => new GoInt('int', civil(st(t)).year))],
    ['Month', method([], 'time.Month', (t: GoObject) => new GoInt('int', civil(st(t)).month, monthType))],
    ['Day', method([], 'int', (t: GoObject) => new GoInt('int', civil(st(t)).day))],
    ['Hour', method([], 'int', (t: GoObject) => new GoInt('int', civil(st(t)).hour))],
    ['Minute', method([], 'int', (t: GoObject) => new GoInt('int', civil(st(t)).min))],
    ['Second', method([], 'int', (t: GoObject) => new GoInt('int', civil(st(t)).sec))],
    ['Nanosecond', method([], 'int', (t: GoObject) => new GoInt('int', st(t).nsec))],
    ['YearDay', method([], 'int', (t: GoObject) => new GoInt('int', civil(st(t)).yday))],
    [
      'Weekday',
      method([], 'time.Weekday', (t: GoObject) => new GoInt('int', civil(st(t)).wday, weekdayType)),
    ],
    ['IsZero', method([], 'bool', (t: GoObject) => st(t).sec === zeroTimeSec && st(t).nsec === 0)],
    [
      'Add',
      method(['time.Duration'], 'time.Time', (t: GoObject, d: GoInt) => goTime(addNs(st(t), d.value), env)),
    ],
    [
      'Sub',
      method(['time.Time'], 'time.Duration', (t: GoObject, u: GoObject) => goDuration(subNs(st(t), st(u)))),
    ],
    [
      'AddDate',
      method(['int', 'int', 'int'], 'time.Time', (t: GoObject, y: GoInt, m: GoInt, d: GoInt) => {
        const c = civil(st(t));
        return goTime(
          timeDate(
            {
              year: c.year + y.value,
              month: c.month + m.value,
              day: c.day + d.value,
              hour: c.hour,
              min: c.min,
              sec: c.sec,
              nsec: c.nsec,
            },
            st(t).loc,
          ),
          env,
        );
      }),
    ],
    ['Before', method(['time.Time'], 'bool', (t: GoObject, u: GoObject) => cmp(st(t), st(u)) < 0)],
    ['After', method(['time.Time'], 'bool', (t: GoObject, u: GoObject) => cmp(st(t), st(u)) > 0)],
    ['Equal', method(['time.Time'], 'bool', (t: GoObject, u: GoObject) => cmp(st(t), st(u)) === 0)],
    [
      'Truncate',
      method(['time.Duration'], 'time.Time', (t: GoObject, d: GoInt) => {
        if (d.value <= 0) return t;
        const ns = BigInt(st(t).sec - zeroTimeSec) * 1_000_000_000n + BigInt(st(t).nsec);
        return goTime(addNs(st(t), -Number(ns % BigInt(d.value))), env);
      }),
    ],
  ]);
}

const timeSpecs = new WeakMap<TimeEnv, ReadonlyMap<string, GoMethod>>();

/** Wraps a time as the template value time.Time. */
export function goTime(t: TimeState, env: TimeEnv): GoObject {
  let methods = timeSpecs.get(env);
  if (methods === undefined) {
    methods = timeMethods(env);
    timeSpecs.set(env, methods);
  }
  return new GoObject(
    {
      typeName: 'time.Time',
      kind: 'struct',
      methods,
      stringer: () => timeString(t),
      json: () => formatTime(t, '2006-01-02T15:04:05.999999999Z07:00'),
      key: () => `${t.sec}.${t.nsec}`,
    },
    t,
  );
}

export function isGoTime(v: unknown): v is GoObject {
  return v instanceof GoObject && v.spec.typeName === 'time.Time';
}

export function timeState(v: GoObject): TimeState {
  return v.state as TimeState;
}

export function timeFromMillis(ms: number, loc: Location): TimeState {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6), loc };
}

export { subNs, addNs };
