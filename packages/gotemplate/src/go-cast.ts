// Conversions Sprig relies on: spf13/cast (ToInt64, ToFloat64, ToInt), Sprig's strval, emptiness
// and reflect.DeepEqual, all over the value model.

import { formatValue } from './go-fmt.ts';
import { parseGoFloat, parseInt64 } from './go-number.ts';
import {
  GoComplex,
  GoFunc,
  GoInt,
  GoMap,
  GoObject,
  GoSlice,
  goTypeName,
  isPlainMap,
  mapEntries,
  sliceItems,
} from './go-values.ts';

const INT64_MIN = -9223372036854775808;

/** Go's int64(f) on amd64: truncation, with NaN and out-of-range values giving MinInt64. */
export function floatToInt64(f: number): number {
  if (Number.isNaN(f) || f >= 9223372036854775807 || f < INT64_MIN) return INT64_MIN;
  return Math.trunc(f) || 0;
}

/** Wraps an integer result to int64, as Go's arithmetic overflows. */
export function wrapInt64(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

/** cast's trimZeroDecimal: "3.000" → "3"; anything else unchanged. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

/** cast.ToInt64 with errors ignored (Sprig's add, sub, max…). */
export function toInt64(v: unknown): number {
  if (v instanceof GoInt) {
    if (v.named !== undefined && v.named.name !== 'time.Month' && v.named.name !== 'time.Weekday') return 0;
    return v.kind === 'uint64' || v.kind === 'uint' ? wrapInt64(BigInt(v.value)) : v.value;
  }
  switch (typeof v) {
    case 'number':
      return floatToInt64(v);
    case 'string': {
      const i = parseInt64(trimZeroDecimal(v));
      return i === undefined ? 0 : Number(i);
    }
    case 'boolean':
      return v ? 1 : 0;
    case 'bigint':
    case 'function':
    case 'object':
    case 'symbol':
    case 'undefined':
    default:
      return 0;
  }
}

/** cast.ToInt: the same as ToInt64 on 64-bit platforms. */
export const toInt = toInt64;

/** cast.ToFloat64 with errors ignored. */
export function toFloat64(v: unknown): number {
  if (v instanceof GoInt)
    return v.named !== undefined && v.named.name !== 'time.Month' && v.named.name !== 'time.Weekday'
      ? 0
      : v.value;
  switch (typeof v) {
    case 'number':
      return v;
    case 'string': {
      const f = parseFloatString(v);
      return f ?? 0;
    }
    case 'boolean':
      return v ? 1 : 0;
    case 'bigint':
    case 'function':
    case 'object':
    case 'symbol':
    case 'undefined':
    default:
      return 0;
  }
}

/** strconv.ParseFloat(s, 64), including "inf"/"nan" and hex floats. */
export function parseFloatString(s: string): number | undefined {
  const lower = s.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  if (/^[+-]?0x/i.test(s) && !/[pP]/.test(s)) {
    const i = parseInt64(s);
    return i === undefined ? undefined : Number(i);
  }
  return parseGoFloat(s);
}

/** Sprig's strval: strings as they are, byte slices decoded, Stringers stringified, else %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return formatValue(v === undefined ? null : v);
}

/** Sprig's empty (text/template truthiness inverted, structs never empty). */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'number':
      return v === 0;
    case 'boolean':
      return !v;
    case 'bigint':
    case 'function':
    case 'object':
    case 'symbol':
    case 'undefined':
    default:
  }
  if (v instanceof GoInt) return v.value === 0;
  if (v instanceof GoComplex) return v.re === 0 && v.im === 0;
  if (v instanceof GoObject) return false;
  if (v instanceof GoFunc) return false;
  const items = sliceItems(v);
  if (items !== undefined) return items.length === 0;
  const entries = mapEntries(v);
  if (entries !== undefined) return entries.length === 0;
  return false;
}

/** reflect.DeepEqual over the value model. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (a === undefined || a === null || b === undefined || b === null) return false;
  if (goTypeName(a) !== goTypeName(b)) return false;
  if (typeof a === 'number') return a === b;
  if (typeof a !== 'object') return a === b;
  if (a instanceof GoInt) return a.value === (b as GoInt).value;
  if (a instanceof GoComplex) return a.re === (b as GoComplex).re && a.im === (b as GoComplex).im;
  if (a instanceof GoObject) {
    const bo = b as GoObject;
    if (a.spec.key !== undefined && bo.spec.key !== undefined) return a.spec.key() === bo.spec.key();
    return a === b;
  }
  if (a instanceof GoFunc) return false;
  const ai = sliceItems(a);
  if (ai !== undefined) {
    const bi = sliceItems(b)!;
    return ai.length === bi.length && ai.every((x, i) => deepEqual(x, bi[i]));
  }
  if (isPlainMap(a) || a instanceof GoMap) {
    const ae = mapEntries(a)!;
    const bm = new Map(mapEntries(b));
    if (ae.length !== bm.size) return false;
    return ae.every(([k, v]) => bm.has(k) && deepEqual(v, bm.get(k)));
  }
  return a === b;
}

/** A deep copy (copystructure.Copy) of JSON-like values; other values are shared. */
export function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v instanceof GoSlice) return new GoSlice(v.elem, v.items.map(deepCopy));
  if (v instanceof GoMap) return new GoMap(v.elem, new Map([...v.entries].map(([k, x]) => [k, deepCopy(x)])));
  if (v instanceof Uint8Array) return Uint8Array.from(v);
  if (isPlainMap(v)) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v)) {
      Object.defineProperty(out, k, {
        value: deepCopy(x),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    return out;
  }
  return v;
}
