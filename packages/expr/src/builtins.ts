// expr's builtin functions (the non-closure ones), with Go's semantics: byte indexes, rune lengths,
// half-away-from-zero rounding, Atoi's strictness, and expr's panic messages.
import { formatValue, goTypeName } from './go-format.ts';
import { runeCount } from '@capstan/gocompat';
import { fromJSON, toJSON } from './go-json.ts';
import {
  GoDuration,
  GoLocation,
  GoTime,
  LOCAL,
  loadLocation,
  parseDuration,
  parseTime,
  RFC3339,
  UTC,
} from './go-time.ts';
import type { RunContext } from './run-context.ts';
import { anyMapKey, asString, equal, fail, fetch, order, RunError } from './runtime-ops.ts';
import {
  GoAnyMap,
  GoBytes,
  GoError,
  GoFloat,
  GoFunc,
  GoNamedInt,
  GoStruct,
  GoValue,
  isNumber,
  mkFloat,
  numValue,
} from './values.ts';

export type BuiltinImpl = (args: unknown[], ctx: RunContext, ints: readonly string[]) => unknown;

const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder();

/** reflect.Kind's name of a value, as `cannot take from %s` and friends print it. */
function kindName(v: unknown, intName = 'int64'): string {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? intName : 'float64';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof GoValue) {
    if (v instanceof GoFloat) return 'float64';
    if (v instanceof GoDuration || v instanceof GoNamedInt) return 'int64';
    if (v instanceof GoAnyMap) return 'map';
    if (v instanceof GoBytes) return 'slice';
    if (v instanceof GoFunc) return 'func';
    if (v instanceof GoLocation) return 'ptr';
    if (v instanceof GoStruct) return v.typeName.startsWith('*') ? 'ptr' : 'struct';
    return 'struct';
  }
  return 'map';
}

function str(v: unknown, ints: readonly string[], i: number): string {
  return asString(v, ints[i] ?? 'int64');
}

function isMapLike(v: unknown): v is Record<string, unknown> | GoAnyMap {
  return (
    v instanceof GoAnyMap ||
    (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoValue))
  );
}

function mapEntries(v: Record<string, unknown> | GoAnyMap): [unknown, unknown][] {
  if (v instanceof GoAnyMap) return [...v.entries.entries()];
  return Object.keys(v).map((k): [unknown, unknown] => [k, v[k] === undefined ? null : v[k]]);
}

function arrayItems(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v as unknown[];
  if (v instanceof GoBytes) return Array.from(v.bytes);
  return undefined;
}

function mapRunes(s: string, f: (c: string) => string): string {
  let out = '';
  for (const ch of s) {
    const m = f(ch);
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}

function byteIndex(s: string, sub: string, last: boolean): number {
  const i = last ? s.lastIndexOf(sub) : s.indexOf(sub);
  if (i <= 0) return i;
  return utf8.encode(s.slice(0, i)).length;
}

function trimCutset(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  if (left) while (a < b && set.has(chars[a] as string)) a++;
  if (right) while (b > a && set.has(chars[b - 1] as string)) b--;
  return chars.slice(a, b).join('');
}

function goSplit(s: string, sep: string, n: number, after: boolean): string[] | null {
  if (n === 0) return null;
  if (sep === '') {
    const chars = [...s];
    if (n < 0 || n > chars.length) return chars;
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let rest = s;
  while (n < 0 || out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, after ? i + sep.length : i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

function goReplace(s: string, old: string, repl: string, n: number): string {
  if (n === 0 || old === repl) return s;
  if (old === '') {
    const chars = [...s];
    let out = '';
    let done = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (n < 0 || done < n) {
        out += repl;
        done++;
      }
      if (i < chars.length) out += chars[i];
    }
    return out;
  }
  if (n < 0) return s.split(old).join(repl);
  let out = '';
  let rest = s;
  for (let done = 0; done < n; done++) {
    const i = rest.indexOf(old);
    if (i < 0) break;
    out += rest.slice(0, i) + repl;
    rest = rest.slice(i + old.length);
  }
  return out + rest;
}

function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const b = BigInt(s);
  if (b > 9223372036854775807n || b < -9223372036854775808n) return undefined;
  return Number(b);
}

function parseGoFloat(s: string): number | undefined {
  const t = s.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (t === 'nan') return NaN;
  if (/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number(t.replaceAll('_', ''));
  if (/^[+-]?0x[0-9a-f]*\.?[0-9a-f]*p[+-]?\d+$/.test(t)) {
    const m = /^([+-]?)0x([0-9a-f]*)\.?([0-9a-f]*)p([+-]?\d+)$/.exec(t);
    if (!m) return undefined;
    const mant = parseInt(`${m[2] ?? ''}${m[3] ?? ''}` || '0', 16) / 16 ** (m[3] ?? '').length;
    return (m[1] === '-' ? -1 : 1) * mant * 2 ** Number(m[4]);
  }
  return undefined;
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function roundLike(name: string, f: (x: number) => number): BuiltinImpl {
  return ([x], _ctx, ints) => {
    if (isNumber(x)) return mkFloat(typeof x === 'number' && Number.isInteger(x) ? x : f(numValue(x)));
    return fail(`invalid argument for ${name} (type ${goTypeName(x, ints[0])})`);
  };
}

type Less = (a: unknown, b: unknown) => boolean;
const lessFn: Less = (a, b) => order(a, b, '<', ['int', 'int']) < 0;
const moreFn: Less = (a, b) => order(a, b, '>', ['int', 'int']) > 0;

function minMax(name: string, fn: Less, args: unknown[], depth: number): unknown {
  if (depth > 10_000) throw new RunError('recursion depth exceeded');
  let val: unknown = null;
  const consider = (e: unknown): void => {
    if (e !== null && (val === null || fn(val, e))) val = e;
  };
  for (const arg of args) {
    const items = arrayItems(arg);
    if (items) {
      for (const e of items) {
        if (isNumber(e)) consider(e);
        else if (arrayItems(e)) consider(minMax(name, fn, [e], depth + 1));
        else fail(`invalid argument for ${name} (type ${goTypeName(e)})`);
      }
    } else if (isNumber(arg)) consider(arg);
    else {
      if (args.length === 1) return arg;
      fail(`invalid argument for ${name} (type ${goTypeName(arg)})`);
    }
  }
  return val;
}

function collectNumbers(name: string, args: unknown[], out: number[], depth: number): void {
  if (depth > 10_000) throw new RunError('recursion depth exceeded');
  for (const arg of args) {
    const items = arrayItems(arg);
    if (items) collectNumbers(name, items, out, depth + 1);
    else if (isNumber(arg)) out.push(numValue(arg));
    else fail(`invalid argument for ${name} (type ${goTypeName(arg)})`);
  }
}

function flatten(items: unknown[], depth: number, ctx: RunContext): unknown[] {
  if (depth > 10_000) throw new RunError('recursion depth exceeded');
  const out: unknown[] = [];
  for (const v of items) {
    ctx.step();
    const inner = arrayItems(v);
    if (inner) out.push(...flatten(inner, depth + 1, ctx));
    else out.push(v);
  }
  return out;
}

function bit(name: string, f: (x: bigint, y: bigint) => bigint): BuiltinImpl {
  return (args, _ctx, ints) => {
    if (args.length !== 2) fail(`invalid number of arguments for ${name} (expected 2, got ${args.length})`);
    const [x, y] = args.map((a, i) => {
      if (typeof a === 'number' && Number.isInteger(a)) return BigInt(a);
      return fail(`cannot use ${goTypeName(a, ints[i])} as argument (type int) to call ${name}`);
    }) as [bigint, bigint];
    return Number(BigInt.asIntN(64, f(x, y)));
  };
}

function shift(name: string, f: (x: bigint, y: bigint) => bigint): BuiltinImpl {
  return bit(name, (x, y) => {
    if (y < 0n) throw new RunError(`invalid operation: negative shift count ${y} (type int)`);
    return f(x, y);
  });
}

const DATE_LAYOUTS = [
  '2006-01-02',
  '15:04:05',
  '2006-01-02 15:04:05',
  RFC3339,
  '02 Jan 06 15:04 MST',
  'Monday, 02-Jan-06 15:04:05 MST',
  'Mon, 02 Jan 2006 15:04:05 MST',
];

function goErr<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GoError) throw new RunError(e.message);
    throw e;
  }
}

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (v instanceof GoValue) {
    if (v instanceof GoFloat) return 'float';
    if (v instanceof GoTime) return 'time.Time';
    if (v instanceof GoDuration) return 'time.Duration';
    if (v instanceof GoNamedInt) return v.typeName;
    if (v instanceof GoAnyMap) return 'map';
    if (v instanceof GoBytes) return 'array';
    if (v instanceof GoFunc) return 'func';
    if (v instanceof GoLocation) return 'unknown';
    if (v instanceof GoStruct) return v.typeName.replace(/^\*/, '');
    return 'unknown';
  }
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'string':
      return 'string';
    case 'object':
      return Array.isArray(v) ? 'array' : 'map';
    case 'function':
      return 'func';
    case 'bigint':
    case 'symbol':
    case 'undefined':
      return 'unknown';
  }
  return 'unknown';
}

export const BUILTINS: Readonly<Record<string, BuiltinImpl>> = {
  len: ([x], _ctx, ints) => {
    if (typeof x === 'string') return runeCount(x);
    if (Array.isArray(x)) return x.length;
    if (x instanceof GoBytes) return x.bytes.length;
    if (x instanceof GoAnyMap) return x.entries.size;
    if (isMapLike(x)) return Object.keys(x).length;
    return fail(`invalid argument for len (type ${goTypeName(x, ints[0])})`);
  },
  type: ([x]) => typeOf(x),
  abs: ([x], _ctx, ints) => {
    if (typeof x === 'number') return Math.abs(x);
    if (x instanceof GoFloat) return new GoFloat(Math.abs(x.value));
    return fail(`invalid argument for abs (type ${goTypeName(x, ints[0])})`);
  },
  ceil: roundLike('ceil', Math.ceil),
  floor: roundLike('floor', Math.floor),
  round: roundLike('round', roundHalfAway),
  int: ([x], _ctx, ints) => {
    if (typeof x === 'number') return Math.trunc(x);
    if (x instanceof GoFloat) return Math.trunc(x.value);
    if (typeof x === 'string') {
      const n = atoi(x);
      if (n === undefined) fail(`invalid operation: int(${x})`);
      return n;
    }
    if (x instanceof GoDuration) return Number(x.ns);
    if (x instanceof GoNamedInt) return x.value;
    return fail(`invalid operation: int(${goTypeName(x, ints[0])})`);
  },
  float: ([x], _ctx, ints) => {
    if (isNumber(x)) return mkFloat(numValue(x));
    if (typeof x === 'string') {
      const f = parseGoFloat(x);
      if (f === undefined) fail(`invalid operation: float(${x})`);
      return mkFloat(f);
    }
    return fail(`invalid operation: float(${goTypeName(x, ints[0])})`);
  },
  string: ([x]) => formatValue(x),
  trim: (args, _ctx, ints) => {
    const s = str(args[0], ints, 0);
    if (args.length === 1) return s.replace(/^\s+|\s+$/gu, '');
    return trimCutset(s, str(args[1], ints, 1), true, true);
  },
  trimPrefix: (args, _ctx, ints) => {
    const s = str(args[0], ints, 0);
    const p = args.length === 2 ? str(args[1], ints, 1) : ' ';
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  trimSuffix: (args, _ctx, ints) => {
    const s = str(args[0], ints, 0);
    const p = args.length === 2 ? str(args[1], ints, 1) : ' ';
    return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  },
  upper: ([x], _ctx, ints) => mapRunes(str(x, ints, 0), (c) => c.toUpperCase()),
  lower: ([x], _ctx, ints) => mapRunes(str(x, ints, 0), (c) => c.toLowerCase()),
  split: (args, ctx, ints) => {
    const out = goSplit(
      str(args[0], ints, 0),
      str(args[1], ints, 1),
      args.length === 3 ? intArg(args[2], ints[2]) : -1,
      false,
    );
    ctx.step(out?.length ?? 0);
    return out ?? [];
  },
  splitAfter: (args, ctx, ints) => {
    const out = goSplit(
      str(args[0], ints, 0),
      str(args[1], ints, 1),
      args.length === 3 ? intArg(args[2], ints[2]) : -1,
      true,
    );
    ctx.step(out?.length ?? 0);
    return out ?? [];
  },
  replace: (args, _ctx, ints) =>
    goReplace(
      str(args[0], ints, 0),
      str(args[1], ints, 1),
      str(args[2], ints, 2),
      args.length === 4 ? intArg(args[3], ints[3]) : -1,
    ),
  repeat: (args, ctx, ints) => {
    const s = str(args[0], ints, 0);
    const n = intArg(args[1], ints[1]);
    if (n < 0) fail(`invalid argument for repeat (expected positive integer, got ${n})`);
    if (n > 1e6) fail('memory budget exceeded');
    ctx.memGrow(utf8.encode(s).length * n);
    return s.repeat(n);
  },
  join: (args, _ctx, ints) => {
    const glue = args.length === 2 ? str(args[1], ints, 1) : '';
    if (!Array.isArray(args[0]))
      return fail(`invalid argument for join (type ${goTypeName(args[0], ints[0])})`);
    return args[0].map((v) => asString(v, 'int64')).join(glue);
  },
  indexOf: (args, _ctx, ints) => byteIndex(str(args[0], ints, 0), str(args[1], ints, 1), false),
  lastIndexOf: (args, _ctx, ints) => byteIndex(str(args[0], ints, 0), str(args[1], ints, 1), true),
  hasPrefix: (args, _ctx, ints) => str(args[0], ints, 0).startsWith(str(args[1], ints, 1)),
  hasSuffix: (args, _ctx, ints) => str(args[0], ints, 0).endsWith(str(args[1], ints, 1)),
  max: (args) => minMax('max', lessFn, args, 0),
  min: (args) => minMax('min', moreFn, args, 0),
  mean: (args) => {
    const values: number[] = [];
    collectNumbers('mean', args, values, 0);
    if (values.length === 0) return new GoFloat(0);
    return mkFloat(values.reduce((a, b) => a + b, 0) / values.length);
  },
  median: (args) => {
    const values: number[] = [];
    collectNumbers('median', args, values, 0);
    const n = values.length;
    if (n === 0) return new GoFloat(0);
    values.sort((a, b) => a - b);
    return mkFloat(
      n % 2 === 1
        ? (values[(n - 1) / 2] as number)
        : ((values[n / 2 - 1] as number) + (values[n / 2] as number)) / 2,
    );
  },
  toJSON: ([x]) => goErr(() => toJSON(x)),
  fromJSON: ([x], _ctx, ints) => goErr(() => fromJSON(str(x, ints, 0))),
  toBase64: ([x], _ctx, ints) => Buffer.from(str(x, ints, 0), 'utf8').toString('base64'),
  fromBase64: ([x], _ctx, ints) => {
    const s = str(x, ints, 0);
    const bad = /[^A-Za-z0-9+/=]/.exec(s);
    if (bad) fail(`illegal base64 data at input byte ${utf8.encode(s.slice(0, bad.index)).length}`);
    if (s.length % 4 !== 0 || /=[^=]/.test(s))
      fail(`illegal base64 data at input byte ${Math.max(0, s.length - (s.length % 4 || 4))}`);
    return utf8Decode.decode(Buffer.from(s, 'base64'));
  },
  now: (args, ctx) => {
    const t = ctx.now();
    if (args.length === 0) return t;
    if (args.length === 1 && args[0] instanceof GoLocation) return t.in(args[0]);
    return fail(`invalid number of arguments (expected 0, got ${args.length})`);
  },
  duration: ([x], _ctx, ints) => goErr(() => parseDuration(str(x, ints, 0))),
  date: (args, _ctx, ints) =>
    goErr(() => {
      let tz: GoLocation | undefined;
      let rest = args;
      let restInts = ints;
      if (args[0] instanceof GoLocation) {
        tz = args[0];
        rest = args.slice(1);
        restInts = ints.slice(1);
      }
      const date = str(rest[0], restInts, 0);
      if (rest.length === 2) return parseTime(str(rest[1], restInts, 1), date, tz ?? UTC, tz ?? LOCAL);
      if (rest.length === 3) {
        const loc = loadLocation(str(rest[2], restInts, 2));
        return parseTime(str(rest[1], restInts, 1), date, loc, loc);
      }
      for (const layout of DATE_LAYOUTS) {
        try {
          return parseTime(layout, date, tz ?? UTC, tz ?? LOCAL);
        } catch (e) {
          if (!(e instanceof GoError)) throw e;
        }
      }
      throw new GoError(`invalid date ${date}`);
    }),
  timezone: ([x], _ctx, ints) => goErr(() => loadLocation(str(x, ints, 0))),
  first: ([x]) => {
    try {
      return fetch(x, 0, 'int64', 'int');
    } catch (e) {
      if (e instanceof RunError && !e.limit) return null;
      throw e;
    }
  },
  last: ([x]) => {
    try {
      return fetch(x, -1, 'int64', 'int');
    } catch (e) {
      if (e instanceof RunError && !e.limit) return null;
      throw e;
    }
  },
  get: (args) => {
    if (args.length < 2) fail(`invalid number of arguments (expected 2, got ${args.length})`);
    const [from, key] = args;
    if (from === null || from === undefined) return null;
    try {
      return fetch(from, key, 'int64', 'int64');
    } catch (e) {
      if (e instanceof RunError && !e.limit && !e.message.startsWith('invalid operation: int(')) return null;
      throw e;
    }
  },
  take: (args, ctx, ints) => {
    if (args.length !== 2) fail(`invalid number of arguments (expected 2, got ${args.length})`);
    const items = arrayItems(args[0]);
    if (!items) return fail(`cannot take from ${kindName(args[0], ints[0])}`);
    const n = args[1];
    if (!(typeof n === 'number' && Number.isInteger(n)))
      return fail(`cannot take ${kindName(n, ints[1])} elements`);
    if (n < 0) fail('reflect.Value.Slice: slice index out of bounds');
    ctx.step(Math.min(n, items.length));
    return items.slice(0, n);
  },
  keys: (args) => {
    if (args.length !== 1) fail(`invalid number of arguments (expected 1, got ${args.length})`);
    const [x] = args;
    if (!isMapLike(x)) return fail(`cannot get keys from ${kindName(x)}`);
    return mapEntries(x).map(([k]) => k);
  },
  values: (args) => {
    if (args.length !== 1) fail(`invalid number of arguments (expected 1, got ${args.length})`);
    const [x] = args;
    if (!isMapLike(x)) return fail(`cannot get values from ${kindName(x)}`);
    return mapEntries(x).map(([, v]) => v);
  },
  toPairs: (args) => {
    if (args.length !== 1) fail(`invalid number of arguments (expected 1, got ${args.length})`);
    const [x] = args;
    if (!isMapLike(x)) return fail(`cannot transform ${kindName(x)} to pairs`);
    return mapEntries(x).map(([k, v]) => [k, v]);
  },
  fromPairs: (args, ctx) => {
    if (args.length !== 1) fail(`invalid number of arguments (expected 1, got ${args.length})`);
    const items = arrayItems(args[0]);
    if (!items) return fail(`cannot transform ${formatValue(args[0])} from pairs`);
    const out = new GoAnyMap('map[interface {}]interface {}');
    for (const pair of items) {
      ctx.step();
      const p = arrayItems(pair);
      if (!p) fail(`invalid pair ${formatValue(pair)}`);
      if (p.length !== 2) fail(`invalid pair length ${formatValue(pair)}`);
      out.entries.set(anyMapKey(p[0]), p[1]);
    }
    return out;
  },
  reverse: (args, ctx) => {
    if (args.length !== 1) fail(`invalid number of arguments (expected 1, got ${args.length})`);
    const items = arrayItems(args[0]);
    if (!items) return fail(`cannot reverse ${kindName(args[0])}`);
    ctx.memGrow(items.length);
    return [...items].reverse();
  },
  uniq: (args, ctx) => {
    if (args.length !== 1) fail(`invalid number of arguments (expected 1, got ${args.length})`);
    const items = arrayItems(args[0]);
    if (!items) return fail(`cannot uniq ${kindName(args[0])}`);
    const out: unknown[] = [];
    for (const v of items) {
      ctx.step(out.length + 1);
      if (!out.some((r) => equal(v, r))) out.push(v);
    }
    return out;
  },
  concat: (args, ctx) => {
    if (args.length === 0) fail('invalid number of arguments (expected at least 1, got 0)');
    const out: unknown[] = [];
    for (const a of args) {
      const items = arrayItems(a);
      if (!items) return fail(`cannot concat ${kindName(a)}`);
      ctx.memGrow(items.length);
      out.push(...items);
    }
    return out;
  },
  flatten: (args, ctx) => {
    if (args.length !== 1) fail(`invalid number of arguments (expected 1, got ${args.length})`);
    const items = arrayItems(args[0]);
    if (!items) return fail(`cannot flatten ${kindName(args[0])}`);
    const out = flatten(items, 0, ctx);
    ctx.memGrow(out.length);
    return out;
  },
  sort: (args, ctx) => {
    if (args.length !== 1 && args.length !== 2)
      fail(`invalid number of arguments (expected 1 or 2, got ${args.length})`);
    const items = arrayItems(args[0]) ?? [];
    let desc = false;
    if (args.length === 2) {
      const o = args[1];
      if (typeof o !== 'string') fail(`sort order argument must be a string (got ${goTypeName(o)})`);
      if (o === 'desc') desc = true;
      else if (o !== 'asc') fail(`invalid order ${o}, expected asc or desc`);
    }
    ctx.step(items.length * Math.max(1, Math.ceil(Math.log2(items.length + 1))));
    const out = stableSort([...items], (a, b) => (desc ? lessFn(b, a) : lessFn(a, b)));
    ctx.memGrow(out.length);
    return out;
  },
  bitand: bit('bitand', (x, y) => x & y),
  bitor: bit('bitor', (x, y) => x | y),
  bitxor: bit('bitxor', (x, y) => x ^ y),
  bitnand: bit('bitnand', (x, y) => x & ~y),
  bitshl: shift('bitshl', (x, y) => x << y),
  bitshr: shift('bitshr', (x, y) => x >> y),
  bitushr: shift('bitushr', (x, y) => BigInt.asUintN(64, x) >> y),
  bitnot: (args, _ctx, ints) => {
    if (args.length !== 1) fail(`invalid number of arguments for bitnot (expected 1, got ${args.length})`);
    const x = args[0];
    if (!(typeof x === 'number' && Number.isInteger(x)))
      fail(`cannot use ${goTypeName(x, ints[0])} as argument (type int) to call bitnot`);
    return Number(BigInt.asIntN(64, ~BigInt(x)));
  },
};

function intArg(v: unknown, intName = 'int'): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (v instanceof GoFloat) return Math.trunc(v.value);
  return fail(`invalid operation: int(${goTypeName(v, intName)})`);
}

/** sort.Sort is not stable, but for the orders expr can express a stable merge sort agrees. */
export function stableSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  return items
    .map((v, i) => [v, i] as const)
    .sort((x, y) => (less(x[0], y[0]) ? -1 : less(y[0], x[0]) ? 1 : x[1] - y[1]))
    .map(([v]) => v);
}
