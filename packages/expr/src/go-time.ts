// Go's time.Time, time.Duration and time.Location as expr sees them: instants with nanoseconds,
// Go layouts for Parse/Format (with Go's error messages), Duration parsing and printing. Pure: the
// current time is never read here; callers inject a clock.
import {
  formatGoDuration,
  formatGoTime,
  GoDurationError,
  LONG_DAY_NAMES,
  LONG_MONTH_NAMES,
  parseGoDuration,
} from '@capstan/gocompat';
import { GoError, GoValue } from './values.ts';

export { formatGoDuration as durationString };

const NS_PER_SEC = 1_000_000_000n;
const MAX_DURATION = (1n << 63n) - 1n;
const MIN_DURATION = -(1n << 63n);

/** A time zone: a name and the offset/abbreviation in force at an instant. */
export class GoLocation extends GoValue {
  readonly name: string;
  readonly lookup: (unixSec: number) => { offset: number; abbrev: string };
  constructor(name: string, lookup: (unixSec: number) => { offset: number; abbrev: string }) {
    super();
    this.name = name;
    this.lookup = lookup;
  }
  goType(): string {
    return '*time.Location';
  }
}

export const UTC = new GoLocation('UTC', () => ({ offset: 0, abbrev: 'UTC' }));
/** Argo CD runs in containers whose local zone is UTC; `Local` is that. */
export const LOCAL = new GoLocation('Local', () => ({ offset: 0, abbrev: 'UTC' }));

export function fixedZone(name: string, offset: number): GoLocation {
  return new GoLocation(name, () => ({ offset, abbrev: name }));
}

const zoneCache = new Map<string, GoLocation>();

/** time.LoadLocation, backed by the ICU zone data built into the JS runtime (no file access). */
export function loadLocation(name: string): GoLocation {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return LOCAL;
  const cached = zoneCache.get(name);
  if (cached) return cached;
  let dtf: Intl.DateTimeFormat;
  try {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      timeZoneName: 'short',
    });
  } catch {
    throw new GoError(`unknown time zone ${name}`);
  }
  const loc = new GoLocation(name, (unixSec) => {
    const ms = Math.max(-8.64e15, Math.min(8.64e15, unixSec * 1000));
    const parts: Record<string, string> = {};
    for (const p of dtf.formatToParts(new Date(ms))) parts[p.type] = p.value;
    const wall = Date.UTC(
      Number(parts['year']),
      Number(parts['month']) - 1,
      Number(parts['day']),
      Number(parts['hour']),
      Number(parts['minute']),
      Number(parts['second']),
    );
    const offset = Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000);
    return { offset, abbrev: parts['timeZoneName'] ?? name };
  });
  zoneCache.set(name, loc);
  return loc;
}

/** time.Duration: int64 nanoseconds. */
export class GoDuration extends GoValue {
  readonly ns: bigint;
  constructor(ns: bigint) {
    super();
    this.ns = BigInt.asIntN(64, ns);
  }
  goType(): string {
    return 'time.Duration';
  }
  override toString(): string {
    return formatGoDuration(this.ns);
  }
}

/** time.Time: an instant (Unix seconds + nanoseconds) shown in a location. */
export class GoTime extends GoValue {
  readonly sec: number;
  readonly nsec: number;
  readonly loc: GoLocation;
  constructor(sec: number, nsec: number, loc: GoLocation = UTC) {
    super();
    const carry = Math.floor(nsec / 1e9);
    this.sec = sec + carry;
    this.nsec = nsec - carry * 1e9;
    this.loc = loc;
  }
  goType(): string {
    return 'time.Time';
  }
  static fromMillis(ms: number, loc: GoLocation = LOCAL): GoTime {
    const sec = Math.floor(ms / 1000);
    return new GoTime(sec, Math.round((ms - sec * 1000) * 1e6), loc);
  }
  compare(o: GoTime): number {
    if (this.sec !== o.sec) return this.sec < o.sec ? -1 : 1;
    return this.nsec === o.nsec ? 0 : this.nsec < o.nsec ? -1 : 1;
  }
  /** Sub saturates at the Duration range, as Go's does. */
  sub(o: GoTime): GoDuration {
    const d = BigInt(this.sec - o.sec) * NS_PER_SEC + BigInt(this.nsec - o.nsec);
    return new GoDuration(d > MAX_DURATION ? MAX_DURATION : d < MIN_DURATION ? MIN_DURATION : d);
  }
  add(d: GoDuration): GoTime {
    const s = d.ns / NS_PER_SEC;
    const n = d.ns % NS_PER_SEC;
    return new GoTime(this.sec + Number(s), this.nsec + Number(n), this.loc);
  }
  in(loc: GoLocation): GoTime {
    return new GoTime(this.sec, this.nsec, loc);
  }
  zone(): { offset: number; abbrev: string } {
    return this.loc.lookup(this.sec);
  }
  civil(): Civil {
    const { offset } = this.zone();
    return civilFromUnix(this.sec + offset);
  }
  format(layout: string): string {
    return formatTime(this, layout);
  }
  override toString(): string {
    return formatTime(this, '2006-01-02 15:04:05.999999999 -0700 MST');
  }
}

export interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
  yday: number; // 1..366
}

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromUnix(local: number): Civil {
  const days = Math.floor(local / 86400);
  let rem = local - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rem / 3600);
  rem -= hour * 3600;
  const minute = Math.floor(rem / 60);
  const weekday = (((days + 4) % 7) + 7) % 7;
  const yday = days - daysFromCivil(year, 1, 1) + 1;
  return { year, month, day, hour, minute, second: rem - minute * 60, weekday, yday };
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
}

/** time.Date: fields may overflow and are normalised; the wall time is read in loc. */
export function goDate(
  c: { year: number; month: number; day: number; hour: number; min: number; sec: number; nsec: number },
  loc: GoLocation,
): GoTime {
  // Month overflow first (Go normalises month into the year), then everything else as seconds.
  const m0 = c.month - 1;
  const y = c.year + Math.floor(m0 / 12);
  const m = (((m0 % 12) + 12) % 12) + 1;
  const base = daysFromCivil(y, m, 1) * 86400;
  const local = base + (c.day - 1) * 86400 + c.hour * 3600 + c.min * 60 + c.sec;
  // Find the offset in force at that wall time (two passes handle DST edges like Go's lookup).
  let { offset } = loc.lookup(local);
  const o2 = loc.lookup(local - offset).offset;
  if (o2 !== offset) offset = o2;
  return new GoTime(local - offset, c.nsec, loc);
}

const longDayNames = LONG_DAY_NAMES;
const shortDayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const shortMonthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const longMonthNames = LONG_MONTH_NAMES;
export const MONTH_NAMES: readonly string[] = longMonthNames;
export const DAY_NAMES: readonly string[] = longDayNames;

// Layout elements, as in Go's nextStdChunk.
const enum_ = {
  none: 0,
  longMonth: 1,
  month: 2,
  numMonth: 3,
  zeroMonth: 4,
  longWeekDay: 5,
  weekDay: 6,
  day: 7,
  underDay: 8,
  zeroDay: 9,
  underYearDay: 10,
  zeroYearDay: 11,
  hour: 12,
  hour12: 13,
  zeroHour12: 14,
  minute: 15,
  zeroMinute: 16,
  second: 17,
  zeroSecond: 18,
  longYear: 19,
  year: 20,
  pm: 21,
  pmLower: 22,
  tz: 23,
  iso8601TZ: 24,
  iso8601SecondsTZ: 25,
  iso8601ShortTZ: 26,
  iso8601ColonTZ: 27,
  iso8601ColonSecondsTZ: 28,
  numTZ: 29,
  numSecondsTz: 30,
  numShortTZ: 31,
  numColonTZ: 32,
  numColonSecondsTZ: 33,
  fracSecond0: 34,
  fracSecond9: 35,
} as const;
type Std = (typeof enum_)[keyof typeof enum_];

interface Chunk {
  prefix: string;
  std: Std;
  suffix: string;
  /** For fractional seconds: the number of digits and the separator. */
  digits?: number;
  sep?: string;
}

const std0x: Std[] = [
  enum_.zeroMonth,
  enum_.zeroDay,
  enum_.zeroHour12,
  enum_.zeroMinute,
  enum_.zeroSecond,
  enum_.year,
];

function startsWithLowerCase(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 97 && c <= 122;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function nextStdChunk(layout: string): Chunk {
  const at = (i: number, std: Std, len: number): Chunk => ({
    prefix: layout.slice(0, i),
    std,
    suffix: layout.slice(i + len),
  });
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    const rest = layout.slice(i);
    switch (c) {
      case 'J':
        if (rest.startsWith('Jan')) {
          if (rest.startsWith('January')) return at(i, enum_.longMonth, 7);
          if (!startsWithLowerCase(rest.slice(3))) return at(i, enum_.month, 3);
        }
        break;
      case 'M':
        if (rest.startsWith('Mon')) {
          if (rest.startsWith('Monday')) return at(i, enum_.longWeekDay, 6);
          if (!startsWithLowerCase(rest.slice(3))) return at(i, enum_.weekDay, 3);
        }
        if (rest.startsWith('MST')) return at(i, enum_.tz, 3);
        break;
      case '0': {
        const n = layout.charCodeAt(i + 1);
        if (n >= 49 && n <= 54) return at(i, std0x[n - 49] as Std, 2);
        if (rest.startsWith('002')) return at(i, enum_.zeroYearDay, 3);
        break;
      }
      case '1':
        if (layout[i + 1] === '5') return at(i, enum_.hour, 2);
        return at(i, enum_.numMonth, 1);
      case '2':
        if (rest.startsWith('2006')) return at(i, enum_.longYear, 4);
        return at(i, enum_.day, 1);
      case '_':
        if (layout[i + 1] === '2') {
          if (rest.startsWith('_2006'))
            return { prefix: layout.slice(0, i + 1), std: enum_.longYear, suffix: layout.slice(i + 5) };
          return at(i, enum_.underDay, 2);
        }
        if (rest.startsWith('__2')) return at(i, enum_.underYearDay, 3);
        break;
      case '3':
        return at(i, enum_.hour12, 1);
      case '4':
        return at(i, enum_.minute, 1);
      case '5':
        return at(i, enum_.second, 1);
      case 'P':
        if (layout[i + 1] === 'M') return at(i, enum_.pm, 2);
        break;
      case 'p':
        if (layout[i + 1] === 'm') return at(i, enum_.pmLower, 2);
        break;
      case '-':
        if (rest.startsWith('-070000')) return at(i, enum_.numSecondsTz, 7);
        if (rest.startsWith('-07:00:00')) return at(i, enum_.numColonSecondsTZ, 9);
        if (rest.startsWith('-0700')) return at(i, enum_.numTZ, 5);
        if (rest.startsWith('-07:00')) return at(i, enum_.numColonTZ, 6);
        if (rest.startsWith('-07')) return at(i, enum_.numShortTZ, 3);
        break;
      case 'Z':
        if (rest.startsWith('Z070000')) return at(i, enum_.iso8601SecondsTZ, 7);
        if (rest.startsWith('Z07:00:00')) return at(i, enum_.iso8601ColonSecondsTZ, 9);
        if (rest.startsWith('Z0700')) return at(i, enum_.iso8601TZ, 5);
        if (rest.startsWith('Z07:00')) return at(i, enum_.iso8601ColonTZ, 6);
        if (rest.startsWith('Z07')) return at(i, enum_.iso8601ShortTZ, 3);
        break;
      case '.':
      case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return {
              prefix: layout.slice(0, i),
              std: ch === '0' ? enum_.fracSecond0 : enum_.fracSecond9,
              suffix: layout.slice(j),
              digits: j - (i + 1),
              sep: c,
            };
          }
        }
        break;
      }
      case undefined:
      default:
        break;
    }
  }
  return { prefix: layout, std: enum_.none, suffix: '' };
}

/** Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const { offset, abbrev } = t.zone();
  return formatGoTime({ sec: t.sec, nsec: t.nsec, offset, abbrev }, layout);
}

/** Go's quote() in the time package: a double-quoted string. */
function quote(s: string): string {
  return JSON.stringify(s);
}

function parseError(
  [layout, value]: readonly [string, string],
  layoutElem: string,
  valueElem: string,
  message = '',
): GoError {
  if (message === '') {
    return new GoError(
      `parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`,
    );
  }
  return new GoError(`parsing time ${quote(value)}${message}`);
}

class Bad extends Error {}

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw new Bad();
  if (!isDigitAt(s, 1)) {
    if (fixed) throw new Bad();
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === 0 || (fixed && i !== 3)) throw new Bad();
  return [n, s.slice(i)];
}

function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Bad();
  return Number(s);
}

function lookupName(tab: readonly string[], val: string): [number, string] {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i] as string;
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase())
      return [i, val.slice(v.length)];
  }
  throw new Bad();
}

function skip(value: string, prefix: string): string {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') throw new Bad();
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) throw new Bad();
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

function parseNanoseconds(value: string, nbytes: number): { ns: number; range: string } {
  if (value[0] !== '.' && value[0] !== ',') throw new Bad();
  if (nbytes > 10) nbytes = 10;
  const ns = atoi(value.slice(1, nbytes));
  if (ns < 0) return { ns: 0, range: 'fractional second' };
  return { ns: ns * 10 ** (10 - nbytes), range: '' };
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== '-' && sign !== '+') return 0;
  const m = /^\d+/.exec(value.slice(1));
  if (!m) return 0;
  if (Number(m[0]) > 12) return 0;
  return 1 + m[0].length;
}

function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) return 3 + (value.length > 3 ? parseSignedOffset(value.slice(3)) : 0);
  if (value[0] === '+' || value[0] === '-') return parseSignedOffset(value);
  let nUpper = 0;
  for (; nUpper < 6 && nUpper < value.length; nUpper++) {
    const c = value.charCodeAt(nUpper);
    if (c < 65 || c > 90) break;
  }
  switch (nUpper) {
    case 5:
      return value[4] === 'T' ? 5 : 0;
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0;
    case 3:
      return 3;
    default:
      return 0;
  }
}

/** time.Parse / time.ParseInLocation with Go's layouts, defaults and error messages. */
export function parseTime(
  layout: string,
  value: string,
  defaultLocation: GoLocation = UTC,
  local: GoLocation = LOCAL,
): GoTime {
  const alayout = layout;
  const avalue = value;
  let rangeErr = '';
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: GoLocation | undefined;
  let zoneOffset = -1;
  let zoneName = '';
  for (;;) {
    const chunk = nextStdChunk(layout);
    const stdstr = layout.slice(chunk.prefix.length, layout.length - chunk.suffix.length);
    try {
      value = skip(value, chunk.prefix);
    } catch {
      throw parseError([alayout, avalue], chunk.prefix, value);
    }
    if (chunk.std === enum_.none) {
      if (value.length !== 0) throw parseError([alayout, avalue], '', value, `: extra text: ${quote(value)}`);
      break;
    }
    layout = chunk.suffix;
    const hold = value;
    try {
      switch (chunk.std) {
        case enum_.year: {
          if (value.length < 2) throw new Bad();
          const p = value.slice(0, 2);
          value = value.slice(2);
          year = atoi(p);
          year += year >= 69 ? 1900 : 2000;
          break;
        }
        case enum_.longYear:
          if (value.length < 4 || !isDigitAt(value, 0)) throw new Bad();
          year = atoi(value.slice(0, 4));
          value = value.slice(4);
          break;
        case enum_.month:
          [month, value] = lookupName(shortMonthNames, value);
          month++;
          break;
        case enum_.longMonth:
          [month, value] = lookupName(longMonthNames, value);
          month++;
          break;
        case enum_.numMonth:
        case enum_.zeroMonth:
          [month, value] = getnum(value, chunk.std === enum_.zeroMonth);
          if (month <= 0 || month > 12) rangeErr = 'month';
          break;
        case enum_.weekDay:
          [, value] = lookupName(shortDayNames, value);
          break;
        case enum_.longWeekDay:
          [, value] = lookupName(longDayNames, value);
          break;
        case enum_.day:
        case enum_.underDay:
        case enum_.zeroDay:
          if (chunk.std === enum_.underDay && value[0] === ' ') value = value.slice(1);
          [day, value] = getnum(value, chunk.std === enum_.zeroDay);
          break;
        case enum_.underYearDay:
        case enum_.zeroYearDay:
          for (let i = 0; i < 2; i++)
            if (chunk.std === enum_.underYearDay && value[0] === ' ') value = value.slice(1);
          [yday, value] = getnum3(value, chunk.std === enum_.zeroYearDay);
          break;
        case enum_.hour:
          [hour, value] = getnum(value, false);
          if (hour < 0 || hour >= 24) rangeErr = 'hour';
          break;
        case enum_.hour12:
        case enum_.zeroHour12:
          [hour, value] = getnum(value, chunk.std === enum_.zeroHour12);
          if (hour < 0 || hour > 12) rangeErr = 'hour';
          break;
        case enum_.minute:
        case enum_.zeroMinute:
          [min, value] = getnum(value, chunk.std === enum_.zeroMinute);
          if (min < 0 || min >= 60) rangeErr = 'minute';
          break;
        case enum_.second:
        case enum_.zeroSecond: {
          [sec, value] = getnum(value, chunk.std === enum_.zeroSecond);
          if (sec < 0 || sec >= 60) {
            rangeErr = 'second';
            break;
          }
          if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
            const next = nextStdChunk(layout).std;
            if (next === enum_.fracSecond0 || next === enum_.fracSecond9) break;
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            const r = parseNanoseconds(value, n);
            nsec = r.ns;
            rangeErr = r.range;
            value = value.slice(n);
          }
          break;
        }
        case enum_.pm:
        case enum_.pmLower: {
          if (value.length < 2) throw new Bad();
          const p = value.slice(0, 2);
          value = value.slice(2);
          const [pmv, amv] = chunk.std === enum_.pm ? ['PM', 'AM'] : ['pm', 'am'];
          if (p === pmv) pmSet = true;
          else if (p === amv) amSet = true;
          else throw new Bad();
          break;
        }
        case enum_.iso8601TZ:
        case enum_.iso8601ShortTZ:
        case enum_.iso8601ColonTZ:
        case enum_.iso8601SecondsTZ:
        case enum_.iso8601ColonSecondsTZ:
        case enum_.numTZ:
        case enum_.numShortTZ:
        case enum_.numColonTZ:
        case enum_.numSecondsTz:
        case enum_.numColonSecondsTZ: {
          const isISO =
            chunk.std === enum_.iso8601TZ ||
            chunk.std === enum_.iso8601ShortTZ ||
            chunk.std === enum_.iso8601ColonTZ ||
            chunk.std === enum_.iso8601SecondsTZ ||
            chunk.std === enum_.iso8601ColonSecondsTZ;
          if (isISO && value[0] === 'Z') {
            value = value.slice(1);
            z = UTC;
            break;
          }
          let sign: string;
          let hh: string;
          let mm: string;
          let ss = '00';
          if (chunk.std === enum_.iso8601ColonTZ || chunk.std === enum_.numColonTZ) {
            if (value.length < 6 || value[3] !== ':') throw new Bad();
            [sign, hh, mm] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6)];
            value = value.slice(6);
          } else if (chunk.std === enum_.numShortTZ || chunk.std === enum_.iso8601ShortTZ) {
            if (value.length < 3) throw new Bad();
            [sign, hh, mm] = [value.slice(0, 1), value.slice(1, 3), '00'];
            value = value.slice(3);
          } else if (chunk.std === enum_.iso8601ColonSecondsTZ || chunk.std === enum_.numColonSecondsTZ) {
            if (value.length < 9 || value[3] !== ':' || value[6] !== ':') throw new Bad();
            [sign, hh, mm, ss] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), value.slice(7, 9)];
            value = value.slice(9);
          } else if (chunk.std === enum_.iso8601SecondsTZ || chunk.std === enum_.numSecondsTz) {
            if (value.length < 7) throw new Bad();
            [sign, hh, mm, ss] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), value.slice(5, 7)];
            value = value.slice(7);
          } else {
            if (value.length < 5) throw new Bad();
            [sign, hh, mm] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5)];
            value = value.slice(5);
          }
          const [hr] = getnum(hh, true);
          const [mi] = getnum(mm, true);
          const [se] = getnum(ss, true);
          if (hr > 24) rangeErr = 'time zone offset hour';
          if (mi > 60) rangeErr = 'time zone offset minute';
          if (se > 60) rangeErr = 'time zone offset second';
          zoneOffset = (hr * 60 + mi) * 60 + se;
          if (sign === '-') zoneOffset = -zoneOffset;
          else if (sign !== '+') throw new Bad();
          break;
        }
        case enum_.tz: {
          if (value.startsWith('UTC')) {
            z = UTC;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === 0) throw new Bad();
          zoneName = value.slice(0, n);
          value = value.slice(n);
          break;
        }
        case enum_.fracSecond0: {
          const ndigit = 1 + (chunk.digits ?? 0);
          if (value.length < ndigit) throw new Bad();
          const r = parseNanoseconds(value, ndigit);
          nsec = r.ns;
          rangeErr = r.range;
          value = value.slice(ndigit);
          break;
        }
        case enum_.fracSecond9: {
          if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) break;
          let i = 0;
          while (i + 1 < value.length && isDigitAt(value, i + 1)) i++;
          const r = parseNanoseconds(value, 1 + i);
          nsec = r.ns;
          rangeErr = r.range;
          value = value.slice(1 + i);
          break;
        }
        default:
          break;
      }
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      throw parseError([alayout, avalue], stdstr, hold);
    }
    if (rangeErr !== '') throw parseError([alayout, avalue], stdstr, value, `: ${rangeErr} out of range`);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) throw parseError([alayout, avalue], '', value, ': day-of-year out of range');
    if (m === 0) {
      m = 1;
      let rem = yday;
      while (rem > daysIn(m, 2001)) {
        rem -= daysIn(m, 2001);
        m++;
      }
      d = rem;
    }
    if (month >= 0 && month !== m)
      throw parseError([alayout, avalue], '', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d)
      throw parseError([alayout, avalue], '', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year))
    throw parseError([alayout, avalue], '', value, ': day out of range');
  const fields = { year, month, day, hour, min, sec, nsec };
  if (z) return goDate(fields, z);
  if (zoneOffset !== -1) {
    const t = goDate(fields, UTC);
    const at = new GoTime(t.sec - zoneOffset, t.nsec, UTC);
    const l = local.lookup(at.sec);
    if (l.offset === zoneOffset && (zoneName === '' || l.abbrev === zoneName)) return at.in(local);
    return at.in(fixedZone(zoneName, zoneOffset));
  }
  if (zoneName !== '') {
    const t = goDate(fields, UTC);
    const l = local.lookup(t.sec);
    if (l.abbrev === zoneName) return new GoTime(t.sec - l.offset, t.nsec, local);
    let offset = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) offset = Number(zoneName.slice(3)) * 3600;
    return new GoTime(t.sec - offset, t.nsec, fixedZone(zoneName, offset));
  }
  return goDate(fields, defaultLocation);
}

/** time.ParseDuration with Go's error messages. */
export function parseDuration(s: string): GoDuration {
  try {
    return new GoDuration(parseGoDuration(s));
  } catch (e) {
    if (e instanceof GoDurationError) throw new GoError(e.message);
    throw e;
  }
}

/** float64(d / unit) + float64(d % unit) / unit, as Go's Hours()/Minutes()/Seconds(). */
export function durationIn(d: bigint, unit: bigint): number {
  return Number(d / unit) + Number(d % unit) / Number(unit);
}

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const GO_LAYOUTS: Readonly<Record<string, string>> = {
  Layout: "01/02 03:04:05PM '06 -0700",
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339,
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};

export const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  Nanosecond: 1n,
  Microsecond: 1000n,
  Millisecond: 1_000_000n,
  Second: NS_PER_SEC,
  Minute: 60n * NS_PER_SEC,
  Hour: 3600n * NS_PER_SEC,
};
