// Methods of the Go values expressions can call: time.Time, time.Duration, time.Month/Weekday,
// *time.Location and structs that bring their own.
import {
  DAY_NAMES,
  durationIn,
  durationString,
  GoDuration,
  GoLocation,
  GoTime,
  goDate,
  LOCAL,
  MONTH_NAMES,
  UTC,
} from './go-time.ts';
import type { GoValue } from './values.ts';
import { GoError, GoFunc, GoNamedInt, GoStruct, mkFloat, type GoParamType } from './values.ts';

type Impl = (self: never, args: unknown[]) => unknown;
interface MethodDef {
  readonly params: readonly GoParamType[];
  readonly type: string;
  readonly impl: Impl;
}

const m = <T>(
  params: GoParamType[],
  type: string,
  impl: (self: T, args: unknown[]) => unknown,
): MethodDef => ({ params, type, impl: impl });

const MINUTE = 60_000_000_000n;
const HOUR = 3_600_000_000_000n;

const TIME_METHODS: Readonly<Record<string, MethodDef>> = {
  Add: m<GoTime>(['time.Duration'], 'func(time.Duration) time.Time', (t, [d]) => t.add(d as GoDuration)),
  Sub: m<GoTime>(['time.Time'], 'func(time.Time) time.Duration', (t, [u]) => t.sub(u as GoTime)),
  Before: m<GoTime>(['time.Time'], 'func(time.Time) bool', (t, [u]) => t.compare(u as GoTime) < 0),
  After: m<GoTime>(['time.Time'], 'func(time.Time) bool', (t, [u]) => t.compare(u as GoTime) > 0),
  Equal: m<GoTime>(['time.Time'], 'func(time.Time) bool', (t, [u]) => t.compare(u as GoTime) === 0),
  Compare: m<GoTime>(['time.Time'], 'func(time.Time) int', (t, [u]) => t.compare(u as GoTime)),
  IsZero: m<GoTime>([], 'func() bool', (t) => t.sec === -62135596800 && t.nsec === 0),
  Unix: m<GoTime>([], 'func() int64', (t) => t.sec),
  UnixMilli: m<GoTime>([], 'func() int64', (t) => t.sec * 1000 + Math.floor(t.nsec / 1e6)),
  UnixMicro: m<GoTime>([], 'func() int64', (t) => t.sec * 1e6 + Math.floor(t.nsec / 1e3)),
  UnixNano: m<GoTime>([], 'func() int64', (t) => Number(BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec))),
  Format: m<GoTime>(['string'], 'func(string) string', (t, [layout]) => t.format(layout as string)),
  String: m<GoTime>([], 'func() string', (t) => t.toString()),
  UTC: m<GoTime>([], 'func() time.Time', (t) => t.in(UTC)),
  Local: m<GoTime>([], 'func() time.Time', (t) => t.in(LOCAL)),
  In: m<GoTime>(['any'], 'func(*time.Location) time.Time', (t, [loc]) => {
    if (!(loc instanceof GoLocation)) throw new GoError('time: missing Location in call to Time.In');
    return t.in(loc);
  }),
  Year: m<GoTime>([], 'func() int', (t) => t.civil().year),
  Month: m<GoTime>([], 'func() time.Month', (t) => {
    const mo = t.civil().month;
    return new GoNamedInt('time.Month', mo, MONTH_NAMES[mo - 1] ?? '');
  }),
  Day: m<GoTime>([], 'func() int', (t) => t.civil().day),
  Hour: m<GoTime>([], 'func() int', (t) => t.civil().hour),
  Minute: m<GoTime>([], 'func() int', (t) => t.civil().minute),
  Second: m<GoTime>([], 'func() int', (t) => t.civil().second),
  Nanosecond: m<GoTime>([], 'func() int', (t) => t.nsec),
  YearDay: m<GoTime>([], 'func() int', (t) => t.civil().yday),
  Weekday: m<GoTime>([], 'func() time.Weekday', (t) => {
    const w = t.civil().weekday;
    return new GoNamedInt('time.Weekday', w, DAY_NAMES[w] ?? '');
  }),
  AddDate: m<GoTime>(['int', 'int', 'int'], 'func(int, int, int) time.Time', (t, [y, mo, d]) => {
    const c = t.civil();
    const moved = goDate(
      {
        year: c.year + (y as number),
        month: c.month + (mo as number),
        day: c.day + (d as number),
        hour: c.hour,
        min: c.minute,
        sec: c.second,
        nsec: t.nsec,
      },
      t.loc,
    );
    return moved;
  }),
  Truncate: m<GoTime>(['time.Duration'], 'func(time.Duration) time.Time', (t, [d]) => {
    const ns = (d as GoDuration).ns;
    if (ns <= 0n) return t;
    const total = BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
    const r = ((total % ns) + ns) % ns;
    return t.add(new GoDuration(-r));
  }),
};

const DURATION_METHODS: Readonly<Record<string, MethodDef>> = {
  Hours: m<GoDuration>([], 'func() float64', (d) => mkFloat(durationIn(d.ns, HOUR))),
  Minutes: m<GoDuration>([], 'func() float64', (d) => mkFloat(durationIn(d.ns, MINUTE))),
  Seconds: m<GoDuration>([], 'func() float64', (d) => mkFloat(durationIn(d.ns, 1_000_000_000n))),
  Milliseconds: m<GoDuration>([], 'func() int64', (d) => Number(d.ns / 1_000_000n)),
  Microseconds: m<GoDuration>([], 'func() int64', (d) => Number(d.ns / 1000n)),
  Nanoseconds: m<GoDuration>([], 'func() int64', (d) => Number(d.ns)),
  String: m<GoDuration>([], 'func() string', (d) => durationString(d.ns)),
  Abs: m<GoDuration>([], 'func() time.Duration', (d) => new GoDuration(d.ns < 0n ? -d.ns : d.ns)),
  Truncate: m<GoDuration>(['time.Duration'], 'func(time.Duration) time.Duration', (d, [u]) => {
    const unit = (u as GoDuration).ns;
    return unit <= 0n ? d : new GoDuration(d.ns - (d.ns % unit));
  }),
  Round: m<GoDuration>(['time.Duration'], 'func(time.Duration) time.Duration', (d, [u]) => {
    const unit = (u as GoDuration).ns;
    if (unit <= 0n) return d;
    let r = d.ns % unit;
    if (d.ns < 0n) {
      r = -r;
      return new GoDuration(r + r < unit ? d.ns + r : d.ns + r - unit);
    }
    return new GoDuration(r + r < unit ? d.ns - r : d.ns + unit - r);
  }),
};

function bind(self: GoValue, name: string, def: MethodDef): GoFunc {
  return new GoFunc({
    name,
    params: def.params,
    type: def.type,
    call: (args) => def.impl(self as never, args),
  });
}

/** The bound method `name` of a Go value, or undefined when it has none by that name. */
export function fetchMethod(v: GoValue, name: string): GoFunc | undefined {
  let def: MethodDef | undefined;
  if (v instanceof GoTime) def = Object.hasOwn(TIME_METHODS, name) ? TIME_METHODS[name] : undefined;
  else if (v instanceof GoDuration)
    def = Object.hasOwn(DURATION_METHODS, name) ? DURATION_METHODS[name] : undefined;
  else if (v instanceof GoNamedInt) {
    if (name === 'String') return new GoFunc({ name, params: [], type: 'func() string', call: () => v.text });
  } else if (v instanceof GoLocation) {
    if (name === 'String') return new GoFunc({ name, params: [], type: 'func() string', call: () => v.name });
  } else if (v instanceof GoStruct) {
    return Object.hasOwn(v.methods, name) ? v.methods[name] : undefined;
  }
  return def ? bind(v, name, def) : undefined;
}
