// Sprig's date functions (date.go). Anything that reads the clock uses the injected one; `date`
// with a value that is not a time or an int, int32 or int64 means "now", as in Go.

import { clockNow, type FuncEnv } from './func-env.ts';
import {
  durationString,
  formatTime,
  goTime,
  isGoTime,
  loadLocation,
  parseDuration,
  parseTime,
  subNs,
  timeFromMillis,
  timeState,
  UTC,
  zeroTimeSec,
  addNs,
  type Location,
  type TimeEnv,
  type TimeState,
} from './go-time.ts';
import type { GoObject } from './go-values.ts';
import { GoFuncError, GoInt } from './go-values.ts';
import { def, S, T, X, type FuncTable } from './sprig-define.ts';

export interface DateContext {
  readonly timeEnv: TimeEnv;
  now(): TimeState;
}

export function dateContext(env: FuncEnv): DateContext {
  const local: Location =
    env.localTimeZone === undefined || env.localTimeZone === 'UTC'
      ? UTC
      : (loadLocation(env.localTimeZone, UTC) ?? UTC);
  const timeEnv: TimeEnv = { local };
  return { timeEnv, now: () => timeFromMillis(clockNow(env), local) };
}

function unixInt(v: unknown, kinds: readonly string[]): number | undefined {
  if (v instanceof GoInt && v.named === undefined && kinds.includes(v.kind)) return v.value;
  return undefined;
}

function toTime(ctx: DateContext, date: unknown, kinds: readonly string[]): TimeState {
  if (isGoTime(date)) return timeState(date);
  const n = unixInt(date, kinds);
  if (n !== undefined) return { sec: n, nsec: 0, loc: ctx.timeEnv.local };
  return ctx.now();
}

function dateInZone(ctx: DateContext, layout: string, date: unknown, zone: string): string {
  const t = toTime(ctx, date, ['int64', 'int', 'int32']);
  const loc = loadLocation(zone, ctx.timeEnv.local) ?? UTC;
  return formatTime({ ...t, loc }, layout);
}

const zeroTime: TimeState = { sec: zeroTimeSec, nsec: 0, loc: UTC };

function durationRound(ctx: DateContext, v: unknown): string {
  let d = 0;
  if (typeof v === 'string') {
    try {
      d = parseDuration(v);
    } catch {
      d = 0;
    }
  } else if (v instanceof GoInt && v.kind === 'int64' && v.named === undefined) d = v.value;
  else if (isGoTime(v)) d = subNs(ctx.now(), timeState(v));
  const u = Math.abs(d);
  const year = 3600e9 * 24 * 365;
  const month = 3600e9 * 24 * 30;
  const day = 3600e9 * 24;
  if (u > year) return `${Math.floor(u / year)}y`;
  if (u > month) return `${Math.floor(u / month)}mo`;
  if (u > day) return `${Math.floor(u / day)}d`;
  if (u > 3600e9) return `${Math.floor(u / 3600e9)}h`;
  if (u > 60e9) return `${Math.floor(u / 60e9)}m`;
  if (u > 1e9) return `${Math.floor(u / 1e9)}s`;
  return '0s';
}

export function dateFuncs(ctx: DateContext): FuncTable {
  const env = ctx.timeEnv;
  const wrap = (t: TimeState): GoObject => goTime(t, env);
  const dateModify = def([S, T], T, (fmt: string, date: GoObject) => {
    try {
      return wrap(addNs(timeState(date), parseDuration(fmt)));
    } catch (e) {
      if (e instanceof GoFuncError) return date;
      throw e;
    }
  });
  const mustDateModify = def(
    [S, T],
    T,
    (fmt: string, date: GoObject) => wrap(addNs(timeState(date), parseDuration(fmt))),
    {
      err: true,
    },
  );
  const dateInZoneF = def([S, X, S], S, (fmt: string, date: unknown, zone: string) =>
    dateInZone(ctx, fmt, date, zone),
  );
  const toDate = (must: boolean) =>
    def(
      [S, S],
      T,
      (fmt: string, s: string) => {
        try {
          return wrap(parseTime(fmt, s, env.local));
        } catch (e) {
          if (must) throw new GoFuncError((e as Error).message);
          return wrap(zeroTime);
        }
      },
      must ? { err: true } : {},
    );
  return [
    [
      'ago',
      def([X], S, (date: unknown) => {
        const t = toTime(ctx, date, ['int64', 'int']);
        const ns = subNs(ctx.now(), t);
        return durationString(Math.round(ns / 1e9) * 1e9);
      }),
    ],
    ['date', def([S, X], S, (fmt: string, date: unknown) => dateInZone(ctx, fmt, date, 'Local'))],
    ['date_in_zone', dateInZoneF],
    ['dateInZone', dateInZoneF],
    ['date_modify', dateModify],
    ['dateModify', dateModify],
    ['must_date_modify', mustDateModify],
    ['mustDateModify', mustDateModify],
    [
      'duration',
      def([X], S, (sec: unknown) => {
        let n = 0;
        if (typeof sec === 'string') n = /^[+-]?\d+$/.test(sec) ? Number(sec) : 0;
        else if (sec instanceof GoInt && sec.kind === 'int64' && sec.named === undefined) n = sec.value;
        return durationString(n * 1e9);
      }),
    ],
    ['durationRound', def([X], S, (v: unknown) => durationRound(ctx, v))],
    ['htmlDate', def([X], S, (date: unknown) => dateInZone(ctx, '2006-01-02', date, 'Local'))],
    [
      'htmlDateInZone',
      def([X, S], S, (date: unknown, zone: string) => dateInZone(ctx, '2006-01-02', date, zone)),
    ],
    ['mustToDate', toDate(true)],
    ['now', def([], T, () => wrap(ctx.now()))],
    ['toDate', toDate(false)],
    ['unixEpoch', def([T], S, (date: GoObject) => String(timeState(date).sec))],
  ];
}
