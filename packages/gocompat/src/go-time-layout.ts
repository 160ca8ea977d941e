// Go's time layouts ("2006-01-02T15:04:05Z07:00"): splitting a layout into its elements as
// time.nextStdChunk does, and Time.Format. Works on an instant already resolved to a zone (Unix
// seconds, nanoseconds, the zone's offset and abbreviation) so each language keeps its own time type.

/** A piece of a layout: literal text, a standard element ("2006", "Jan", "-07:00"), or a fraction. */
export type LayoutChunk =
  | { readonly k: 'lit'; readonly s: string }
  | { readonly k: 'std'; readonly code: string }
  | { readonly k: 'frac'; readonly zero: boolean; readonly digits: number; readonly sep: string };

/** An instant in a zone: what Format needs. */
export interface ZonedInstant {
  /** Unix seconds. */
  readonly sec: number;
  /** Nanoseconds within the second, 0..999999999. */
  readonly nsec: number;
  /** Offset east of UTC in seconds. */
  readonly offset: number;
  readonly abbrev: string;
}

export const LONG_MONTH_NAMES: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const LONG_DAY_NAMES: readonly string[] = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month 1..12, day] of a day count since 1970-01-01. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [y + (m <= 2 ? 1 : 0), m, d];
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
}

function isDigit(s: string, i: number): boolean {
  return i < s.length && s[i]! >= '0' && s[i]! <= '9';
}

function splitLayout(layout: string): LayoutChunk[] {
  const out: LayoutChunk[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit !== '') out.push({ k: 'lit', s: lit });
    lit = '';
  };
  const std = (code: string): void => {
    flush();
    out.push({ k: 'std', code });
  };
  let i = 0;
  const at = (s: string): boolean => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i]!;
    let matched = '';
    switch (c) {
      case 'J':
        if (at('January')) matched = 'January';
        else if (at('Jan')) matched = 'Jan';
        break;
      case 'M':
        if (at('Monday')) matched = 'Monday';
        else if (at('Mon')) matched = 'Mon';
        else if (at('MST')) matched = 'MST';
        break;
      case '0':
        if (i + 1 < layout.length && layout[i + 1]! >= '1' && layout[i + 1]! <= '6')
          matched = layout.slice(i, i + 2);
        else if (at('002')) matched = '002';
        break;
      case '1':
        matched = at('15') ? '15' : '1';
        break;
      case '2':
        matched = at('2006') ? '2006' : '2';
        break;
      case '_':
        if (at('_2')) {
          if (at('_2006')) {
            lit += '_';
            i++;
            continue;
          }
          matched = '_2';
        } else if (at('__2')) matched = '__2';
        break;
      case '3':
      case '4':
      case '5':
        matched = c;
        break;
      case 'P':
        if (at('PM')) matched = 'PM';
        break;
      case 'p':
        if (at('pm')) matched = 'pm';
        break;
      case '-':
        for (const z of ['-070000', '-07:00:00', '-0700', '-07:00', '-07']) {
          if (at(z)) {
            matched = z;
            break;
          }
        }
        break;
      case 'Z':
        for (const z of ['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07']) {
          if (at(z)) {
            matched = z;
            break;
          }
        }
        break;
      case '.':
      case ',':
        if (i + 1 < layout.length && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
          const ch = layout[i + 1]!;
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigit(layout, j)) {
            flush();
            out.push({ k: 'frac', zero: ch === '0', digits: j - (i + 1), sep: c });
            i = j;
            continue;
          }
        }
        break;
      default:
    }
    if (matched === '') {
      lit += c;
      i++;
      continue;
    }
    std(matched);
    i += matched.length;
  }
  flush();
  return out;
}

function formatZone(code: string, offset: number): string {
  if (code.startsWith('Z') && offset === 0) return 'Z';
  let zone = Math.floor(Math.abs(offset) / 60);
  const absoff = Math.abs(offset);
  let s = offset < 0 ? '-' : '+';
  s += pad(Math.floor(zone / 60), 2);
  zone %= 60;
  const tail = code.slice(1);
  if (tail === '07:00' || tail === '07:00:00') s += ':' + pad(zone, 2);
  else if (tail === '0700' || tail === '070000') s += pad(zone, 2);
  if (tail === '070000') s += pad(absoff % 60, 2);
  else if (tail === '07:00:00') s += ':' + pad(absoff % 60, 2);
  return s;
}

const layoutCache = new Map<string, readonly LayoutChunk[]>();

/** Splits a layout into literals and standard elements, as time.nextStdChunk does (cached). */
export function layoutChunks(layout: string): readonly LayoutChunk[] {
  let chunks = layoutCache.get(layout);
  if (chunks === undefined) {
    chunks = splitLayout(layout);
    if (layoutCache.size >= 256) layoutCache.clear();
    layoutCache.set(layout, chunks);
  }
  return chunks;
}

/** The wall-clock fields of an instant in its zone (Year, Month, Day, Hour, ..., YearDay, Weekday). */
export interface CivilTime {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly min: number;
  readonly sec: number;
  readonly nsec: number;
  /** 1..366 */
  readonly yday: number;
  /** 0 = Sunday */
  readonly wday: number;
  readonly offset: number;
  readonly abbrev: string;
}

export function civilTime(t: ZonedInstant): CivilTime {
  const { offset, abbrev } = t;
  const local = t.sec + offset;
  const days = Math.floor(local / 86400);
  const secs = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(secs / 3600),
    min: Math.floor((secs % 3600) / 60),
    sec: secs % 60,
    nsec: t.nsec,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    wday: (((days + 4) % 7) + 7) % 7,
    offset,
    abbrev,
  };
}

/** Time.Format. */
export function formatGoTime(t: ZonedInstant, layout: string): string {
  const c = civilTime(t);
  let out = '';
  for (const ch of layoutChunks(layout)) {
    if (ch.k === 'lit') {
      out += ch.s;
      continue;
    }
    if (ch.k === 'frac') {
      const digits = String(c.nsec).padStart(9, '0').slice(0, ch.digits);
      if (ch.zero) out += ch.sep + digits;
      else {
        const trimmed = String(c.nsec).padStart(9, '0').replace(/0+$/, '').slice(0, ch.digits);
        if (trimmed !== '') out += ch.sep + trimmed;
      }
      continue;
    }
    switch (ch.code) {
      case '06':
        out += pad(((c.year % 100) + 100) % 100, 2);
        break;
      case '2006':
        out += pad(c.year, 4);
        break;
      case 'Jan':
        out += LONG_MONTH_NAMES[c.month - 1]!.slice(0, 3);
        break;
      case 'January':
        out += LONG_MONTH_NAMES[c.month - 1]!;
        break;
      case '1':
        out += String(c.month);
        break;
      case '01':
        out += pad(c.month, 2);
        break;
      case 'Mon':
        out += LONG_DAY_NAMES[c.wday]!.slice(0, 3);
        break;
      case 'Monday':
        out += LONG_DAY_NAMES[c.wday]!;
        break;
      case '2':
        out += String(c.day);
        break;
      case '_2':
        out += String(c.day).padStart(2, ' ');
        break;
      case '02':
        out += pad(c.day, 2);
        break;
      case '__2':
        out += String(c.yday).padStart(3, ' ');
        break;
      case '002':
        out += pad(c.yday, 3);
        break;
      case '15':
        out += pad(c.hour, 2);
        break;
      case '3':
        out += String(c.hour % 12 === 0 ? 12 : c.hour % 12);
        break;
      case '03':
        out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        break;
      case '4':
        out += String(c.min);
        break;
      case '04':
        out += pad(c.min, 2);
        break;
      case '5':
        out += String(c.sec);
        break;
      case '05':
        out += pad(c.sec, 2);
        break;
      case 'PM':
        out += c.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += c.hour >= 12 ? 'pm' : 'am';
        break;
      case 'MST':
        out += c.abbrev !== '' ? c.abbrev : formatZone('-0700', c.offset);
        break;
      default:
        out += formatZone(ch.code, c.offset);
    }
  }
  return out;
}
