// expr's run-time operators (vm/runtime): equality, ordering, arithmetic, `in`, indexing, slicing and
// calls, with expr's type rules and panic messages.
import { goTypeName, formatValue } from './go-format.ts';
import { GoDuration, GoTime } from './go-time.ts';
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
  readOwn,
  wrapInt,
  type GoParamType,
} from './values.ts';
import { fetchMethod } from './methods.ts';

/** A run-time failure of an expression (expr "panics"); the compiler adds the position. */
export class RunError extends Error {
  /** Set for resource limits (steps, memory), which the caller may treat differently. */
  readonly limit: boolean;
  /** Rune offset of the failing node, set by the innermost compiled node that sees the error. */
  loc: number | undefined;
  constructor(message: string, limit = false) {
    super(message);
    this.limit = limit;
  }
}

export function fail(message: string): never {
  throw new RunError(message);
}

/** Strings longer than this (in UTF-16 units) end the run: expr has no such limit, a sandbox needs one. */
export const MAX_STRING_LENGTH = 16 * 1024 * 1024;

/** Containers built by the language from literals: their integers are Go `int`, not JSON's int64. */
export const LANG_CONTAINERS = new WeakSet<object>();

export function isNil(v: unknown): boolean {
  return v === null || v === undefined;
}

/** runtime.Equal: numbers by value across kinds, arrays element-wise, anything else DeepEqual. */
export function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' || typeof a === 'boolean') return a === b;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (isNumber(a)) return isNumber(b) && numValue(a) === numValue(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return false;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof GoTime) return b instanceof GoTime && a.compare(b) === 0;
  if (a instanceof GoDuration) return b instanceof GoDuration && a.ns === b.ns;
  if (b === null || b === undefined) return false;
  return deepEqual(a, b, LANG_CONTAINERS.has(a), LANG_CONTAINERS.has(b));
}

function numKind(v: unknown, lang: boolean): string {
  if (typeof v === 'number') return Number.isInteger(v) ? (lang ? 'int' : 'int64') : 'float64';
  return 'float64';
}

/** reflect.DeepEqual: types must match exactly (int ≠ int64 ≠ float64). */
function deepEqual(a: unknown, b: unknown, aLang: boolean, bLang: boolean): boolean {
  if (isNumber(a))
    return isNumber(b) && numKind(a, aLang) === numKind(b, bLang) && numValue(a) === numValue(b);
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined)
    return (a === null || a === undefined) && (b === null || b === undefined);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    const al = LANG_CONTAINERS.has(a);
    const bl = LANG_CONTAINERS.has(b);
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], al, bl)) return false;
    return true;
  }
  if (a instanceof GoValue || b instanceof GoValue) {
    if (!(a instanceof GoValue) || !(b instanceof GoValue) || a.goType() !== b.goType()) return false;
    if (a instanceof GoTime && b instanceof GoTime)
      return a.sec === b.sec && a.nsec === b.nsec && a.loc === b.loc;
    if (a instanceof GoDuration && b instanceof GoDuration) return a.ns === b.ns;
    if (a instanceof GoNamedInt && b instanceof GoNamedInt) return a.value === b.value;
    if (a instanceof GoBytes && b instanceof GoBytes)
      return a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
    if (a instanceof GoStruct && b instanceof GoStruct) return deepEqual(a.fields, b.fields, false, false);
    if (a instanceof GoAnyMap && b instanceof GoAnyMap) {
      if (a.entries.size !== b.entries.size) return false;
      for (const [k, v] of a.entries)
        if (!b.entries.has(k) || !deepEqual(v, b.entries.get(k), false, false)) return false;
      return true;
    }
    return false;
  }
  if (Array.isArray(b)) return false;
  const am = a as Record<string, unknown>;
  const bm = b as Record<string, unknown>;
  const ak = Object.keys(am);
  if (ak.length !== Object.keys(bm).length) return false;
  const al = LANG_CONTAINERS.has(a);
  const bl = LANG_CONTAINERS.has(b);
  for (const k of ak) {
    if (!Object.hasOwn(bm, k)) return false;
    if (!deepEqual(am[k], bm[k], al, bl)) return false;
  }
  return true;
}

/** Go compares strings bytewise (UTF-8), i.e. by code point; JS `<` compares UTF-16 units. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Surrogates (supplementary planes) sort after U+E000–U+FFFF in code point order.
        x = x >= 0xd800 && x <= 0xdfff ? x + 0x2000 : x;
        y = y >= 0xd800 && y <= 0xdfff ? y + 0x2000 : y;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Ordering for < > <= >=; returns negative/zero/positive or fails with `invalid operation: T op T`. */
export function order(a: unknown, b: unknown, op: string, [aInt, bInt]: readonly [string, string]): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (isNumber(a) && isNumber(b)) {
    const x = numValue(a);
    const y = numValue(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (a instanceof GoTime && b instanceof GoTime) return a.compare(b);
  if (a instanceof GoDuration && b instanceof GoDuration) return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
  return fail(`invalid operation: ${goTypeName(a, aInt)} ${op} ${goTypeName(b, bInt)}`);
}

function intOp(a: number, b: number, r: number, exact: (x: bigint, y: bigint) => bigint): number {
  return wrapInt(r, () => exact(BigInt(a), BigInt(b)));
}

export function add(a: unknown, b: unknown, aInt: string, bInt: string): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return intOp(a, b, a + b, (x, y) => x + y);
    return mkFloat(a + b);
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (a.length + b.length > MAX_STRING_LENGTH) throw new RunError('memory budget exceeded', true);
    return a + b;
  }
  if (isNumber(a) && isNumber(b)) return mkFloat(numValue(a) + numValue(b));
  if (a instanceof GoTime && b instanceof GoDuration) return a.add(b);
  if (a instanceof GoDuration && b instanceof GoTime) return b.add(a);
  if (a instanceof GoDuration && b instanceof GoDuration) return new GoDuration(a.ns + b.ns);
  return fail(`invalid operation: ${goTypeName(a, aInt)} + ${goTypeName(b, bInt)}`);
}

export function subtract(a: unknown, b: unknown, aInt: string, bInt: string): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return intOp(a, b, a - b, (x, y) => x - y);
    return mkFloat(a - b);
  }
  if (isNumber(a) && isNumber(b)) return mkFloat(numValue(a) - numValue(b));
  if (a instanceof GoTime && b instanceof GoTime) return a.sub(b);
  if (a instanceof GoTime && b instanceof GoDuration) return a.add(new GoDuration(-b.ns));
  if (a instanceof GoDuration && b instanceof GoDuration) return new GoDuration(a.ns - b.ns);
  return fail(`invalid operation: ${goTypeName(a, aInt)} - ${goTypeName(b, bInt)}`);
}

export function multiply(a: unknown, b: unknown, aInt: string, bInt: string): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return intOp(a, b, a * b, (x, y) => x * y);
    return mkFloat(a * b);
  }
  if (isNumber(a) && isNumber(b)) return mkFloat(numValue(a) * numValue(b));
  // int·Duration is a Duration; float·Duration is a float64 (Go's generated helper does that).
  if (isNumber(a) && b instanceof GoDuration) {
    return typeof a === 'number' && Number.isInteger(a)
      ? new GoDuration(BigInt(a) * b.ns)
      : mkFloat(numValue(a) * Number(b.ns));
  }
  if (a instanceof GoDuration && isNumber(b)) {
    return typeof b === 'number' && Number.isInteger(b)
      ? new GoDuration(a.ns * BigInt(b))
      : mkFloat(Number(a.ns) * numValue(b));
  }
  if (a instanceof GoDuration && b instanceof GoDuration) return new GoDuration(a.ns * b.ns);
  return fail(`invalid operation: ${goTypeName(a, aInt)} * ${goTypeName(b, bInt)}`);
}

export function divide(a: unknown, b: unknown, aInt: string, bInt: string): unknown {
  if (isNumber(a) && isNumber(b)) return mkFloat(numValue(a) / numValue(b));
  return fail(`invalid operation: ${goTypeName(a, aInt)} / ${goTypeName(b, bInt)}`);
}

export function modulo(a: unknown, b: unknown, aInt: string, bInt: string): unknown {
  if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b)) {
    if (b === 0) fail('runtime error: integer divide by zero');
    return intOp(a, b, a % b, (x, y) => x % y);
  }
  return fail(`invalid operation: ${goTypeName(a, aInt)} % ${goTypeName(b, bInt)}`);
}

export function toFloat64(a: unknown, aInt = 'int'): number {
  if (isNumber(a)) return numValue(a);
  return fail(`invalid operation: float(${goTypeName(a, aInt)})`);
}

export function toInt(a: unknown, aInt = 'int'): number {
  if (typeof a === 'number') return Number.isInteger(a) ? a : Math.trunc(a);
  if (a instanceof GoFloat) return Math.trunc(a.value);
  return fail(`invalid operation: int(${goTypeName(a, aInt)})`);
}

export function exponent(a: unknown, b: unknown, aInt: string, bInt: string): unknown {
  return mkFloat(Math.pow(toFloat64(a, aInt), toFloat64(b, bInt)));
}

export function negate(a: unknown, aInt: string): unknown {
  if (typeof a === 'number') return Number.isInteger(a) ? (a === 0 ? 0 : -a) : -a;
  if (a instanceof GoFloat) return new GoFloat(-a.value);
  return fail(`invalid operation: - ${goTypeName(a, aInt)}`);
}

/** Go's TypeAssertionError names a nil interface `nil` (not `<nil>` as %T does). */
function assertedType(v: unknown, vInt: string): string {
  return v === null || v === undefined ? 'nil' : goTypeName(v, vInt);
}

export function asBool(v: unknown, vInt: string): boolean {
  if (typeof v === 'boolean') return v;
  return fail(`interface conversion: interface {} is ${assertedType(v, vInt)}, not bool`);
}

export function asString(v: unknown, vInt: string): string {
  if (typeof v === 'string') return v;
  return fail(`interface conversion: interface {} is ${assertedType(v, vInt)}, not string`);
}

function mapIndexError(key: unknown, keyInt: string, want: string): never {
  return fail(
    `reflect.Value.MapIndex: value of type ${goTypeName(key, keyInt)} is not assignable to type ${want}`,
  );
}

export function anyMapKey(k: unknown): unknown {
  return k instanceof GoFloat ? k.value : k;
}

/** runtime.In: array → element ==, map → key present, nil → false, struct → field. */
export function inOp(needle: unknown, haystack: unknown, needleInt: string): boolean {
  if (haystack === null || haystack === undefined) return false;
  if (Array.isArray(haystack)) {
    for (const v of haystack) if (equal(v, needle)) return true;
    return false;
  }
  if (typeof haystack === 'object') {
    if (haystack instanceof GoValue) {
      if (haystack instanceof GoAnyMap) return haystack.entries.has(anyMapKey(needle));
      if (haystack instanceof GoStruct) {
        if (typeof needle !== 'string')
          fail(`cannot use ${goTypeName(needle, needleInt)} as field name of ${haystack.goType()}`);
        return Object.hasOwn(haystack.fields, needle);
      }
      if (haystack instanceof GoBytes) {
        for (const v of haystack.bytes) if (equal(v, needle)) return true;
        return false;
      }
      return fail(`operator "in" not defined on ${haystack.goType()}`);
    }
    if (needle === null || needle === undefined) return Object.hasOwn(haystack, '');
    if (typeof needle !== 'string') mapIndexError(needle, needleInt, 'string');
    return Object.hasOwn(haystack, needle);
  }
  return fail(`operator "in" not defined on ${goTypeName(haystack)}`);
}

/** `in` against an all-string literal array, which expr turns into a map[string]struct{} lookup. */
export function inStringSet(needle: unknown, set: ReadonlySet<string | number>, needleInt: string): boolean {
  if (typeof needle === 'string') return set.has(needle);
  if (needle === null || needle === undefined) return set.has('');
  return mapIndexError(needle, needleInt, 'string');
}

const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder();

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** runtime.Len (used by slices): bytes for strings. */
export function lenOf(v: unknown, vInt: string): number {
  if (typeof v === 'string') return isAscii(v) ? v.length : utf8.encode(v).length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof GoBytes) return v.bytes.length;
  if (v instanceof GoAnyMap) return v.entries.size;
  if (typeof v === 'object' && v !== null && !(v instanceof GoValue)) return Object.keys(v).length;
  return fail(`invalid argument for len (type ${goTypeName(v, vInt)})`);
}

/** runtime.Fetch: `a.b`, `a[i]`, `a["k"]`. */
export function fetch(from: unknown, key: unknown, fromInt: string, keyInt: string): unknown {
  if (from === null || from === undefined) return fail(`cannot fetch ${formatValue(key)} from <nil>`);
  if (typeof from === 'object') {
    if (Array.isArray(from)) return index(from.length, key, keyInt, (i) => from[i]);
    if (from instanceof GoValue) return fetchGo(from, key, keyInt);
    if (typeof key === 'string') return readOwn(from as Record<string, unknown>, key);
    if (key === null || key === undefined) return readOwn(from as Record<string, unknown>, '');
    return mapIndexError(key, keyInt, 'string');
  }
  if (typeof from === 'string') {
    if (isAscii(from)) return index(from.length, key, keyInt, (i) => from.charCodeAt(i));
    const bytes = utf8.encode(from);
    return index(bytes.length, key, keyInt, (i) => bytes[i]);
  }
  return fail(`cannot fetch ${formatValue(key)} from ${goTypeName(from, fromInt)}`);
}

function index(length: number, key: unknown, keyInt: string, at: (i: number) => unknown): unknown {
  let i = toInt(key, keyInt);
  if (i < 0) i += length;
  if (i < 0 || i >= length) fail(`index out of range: ${i} (array length is ${length})`);
  const v = at(i);
  return v === undefined ? null : v;
}

function fetchGo(from: GoValue, key: unknown, keyInt: string): unknown {
  if (typeof key === 'string') {
    const method = fetchMethod(from, key);
    if (method) return method;
  }
  if (from instanceof GoStruct) {
    if (typeof key === 'string' && Object.hasOwn(from.fields, key)) {
      const v = from.fields[key];
      return v === undefined ? null : v;
    }
  } else if (from instanceof GoAnyMap) {
    const k = anyMapKey(key);
    return from.entries.has(k) ? (from.entries.get(k) ?? null) : null;
  } else if (from instanceof GoBytes) {
    return index(from.bytes.length, key, keyInt, (i) => from.bytes[i]);
  }
  return fail(`cannot fetch ${formatValue(key)} from ${from.goType()}`);
}

/** runtime.Slice: negative bounds from the end, clamped; strings slice by bytes. */
export function slice(
  v: unknown,
  [fromV, toV]: readonly [unknown, unknown],
  [fromInt, toInt_]: readonly [string, string],
): unknown {
  let length: number;
  if (Array.isArray(v)) length = v.length;
  else if (typeof v === 'string') length = lenOf(v, 'int');
  else if (v instanceof GoBytes) length = v.bytes.length;
  else return fail(`cannot slice ${formatValue(fromV)}`);
  let a = toInt(fromV, fromInt);
  let b = toInt(toV, toInt_);
  if (a < 0) a += length;
  if (a < 0) a = 0;
  if (b < 0) b += length;
  if (b < 0) b = 0;
  if (b > length) b = length;
  if (a > b) a = b;
  if (Array.isArray(v)) return v.slice(a, b);
  if (v instanceof GoBytes) return new GoBytes(v.bytes.slice(a, b));
  const s = v;
  return isAscii(s) ? s.slice(a, b) : utf8Decode.decode(utf8.encode(s).slice(a, b));
}

const ZERO: Record<GoParamType, () => unknown> = {
  string: () => '',
  int: () => 0,
  float64: () => new GoFloat(0),
  bool: () => false,
  any: () => null,
  'time.Time': () => new GoTime(-62135596800, 0),
  'time.Duration': () => new GoDuration(0n),
  map: () => null,
  slice: () => null,
};

function assignable(v: unknown, t: GoParamType): boolean {
  switch (t) {
    case 'any':
    case 'map':
    case 'slice':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v);
    case 'float64':
      return v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v));
    case 'bool':
      return typeof v === 'boolean';
    case 'time.Time':
      return v instanceof GoTime;
    case 'time.Duration':
      return v instanceof GoDuration;
  }
}

/** OpCall: call a Go function value; nil arguments become the parameter's zero value. */
export function callGo(fn: unknown, args: unknown[], argInts: readonly string[]): unknown {
  if (fn === null || fn === undefined) return fail('invalid operation: cannot call nil');
  if (!(fn instanceof GoFunc))
    return fail(`invalid operation: cannot call non-function of type ${goTypeName(fn)}`);
  const { params, variadic } = fn.spec;
  if (variadic !== undefined) {
    if (args.length < params.length)
      fail(`invalid number of arguments: expected at least ${params.length}, got ${args.length}`);
  } else if (args.length !== params.length) {
    fail(`invalid number of arguments: expected ${params.length}, got ${args.length}`);
  }
  const converted = args.map((a, i) => {
    const t = (i < params.length ? params[i] : variadic) as GoParamType;
    if (a === null || a === undefined) return ZERO[t]();
    if (!assignable(a, t))
      fail(
        `reflect: Call using ${goTypeName(a, argInts[i] ?? 'int64')} as type ${t === 'slice' ? '[]interface {}' : t}`,
      );
    return a;
  });
  try {
    return normalizeResult(fn.spec.call(converted));
  } catch (e) {
    if (e instanceof GoError) return fail(e.message);
    throw e;
  }
}

export function normalizeResult(v: unknown): unknown {
  return v === undefined ? null : v;
}
