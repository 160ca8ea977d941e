// The value model. expr runs on Go values; here JSON-like JS values stand for them:
//   nil → null (undefined reads as nil), bool → boolean, string → string,
//   int → an integral JS number, float64 → a non-integral number or a GoFloat box (an integral float
//   such as `6 / 3` must stay a float: `type()`, `%` and formatting tell them apart),
//   []interface{} → JS array, map[string]interface{} → any other plain object (read with Object.hasOwn
//   only, so `__proto__`, `constructor` and `prototype` are ordinary missing keys).
// Everything else Go-specific (time.Time, time.Duration, functions, structs, groupBy's map[any][]any,
// []byte) is a GoValue subclass, so one `instanceof` separates them from plain maps.

/** Base of the Go-specific values; `goType()` is what Go's `%T` would print. */
export abstract class GoValue {
  abstract goType(): string;
}

/** A float64 whose value happens to be integral (non-integral JS numbers are floats already). */
export class GoFloat extends GoValue {
  readonly value: number;
  constructor(value: number) {
    super();
    this.value = value;
  }
  goType(): string {
    return 'float64';
  }
}

/** `[]byte` (from `b"…"` literals). */
export class GoBytes extends GoValue {
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    super();
    this.bytes = bytes;
  }
  goType(): string {
    return '[]uint8';
  }
}

/** A map whose keys are not all strings (groupBy's `map[interface {}][]interface {}`, fromPairs). */
export class GoAnyMap extends GoValue {
  readonly entries: Map<unknown, unknown>;
  readonly typeName: string;
  constructor(typeName: string, entries = new Map<unknown, unknown>()) {
    super();
    this.typeName = typeName;
    this.entries = entries;
  }
  goType(): string {
    return this.typeName;
  }
}

/** A Go named integer type with a String() method (time.Month, time.Weekday). */
export class GoNamedInt extends GoValue {
  readonly typeName: string;
  readonly value: number;
  readonly text: string;
  constructor(typeName: string, value: number, text: string) {
    super();
    this.typeName = typeName;
    this.value = value;
    this.text = text;
  }
  goType(): string {
    return this.typeName;
  }
}

/** Go parameter types a GoFunc declares, used for nil → zero value and for argument checks. */
export type GoParamType =
  'string' | 'int' | 'float64' | 'bool' | 'any' | 'time.Time' | 'time.Duration' | 'map' | 'slice';

export interface GoFuncSpec {
  /** The name used in error messages. */
  readonly name: string;
  readonly params: readonly GoParamType[];
  /** When set, extra arguments of this type are accepted (Go `...T`). */
  readonly variadic?: GoParamType;
  /** `%T` of the function, e.g. `func(string) string`. */
  readonly type?: string;
  /** Receives the arguments already converted (nil → the parameter's zero value); throws GoError. */
  readonly call: (args: unknown[]) => unknown;
}

/** A Go function value (a namespace member or a bound method): the only thing expressions can call. */
export class GoFunc extends GoValue {
  readonly spec: GoFuncSpec;
  constructor(spec: GoFuncSpec) {
    super();
    this.spec = spec;
  }
  goType(): string {
    return this.spec.type ?? `func(${this.spec.params.join(', ')})`;
  }
}

/** A Go struct (or pointer to one): fields by their Go names, plus optional methods. */
export class GoStruct extends GoValue {
  readonly typeName: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly methods: Readonly<Record<string, GoFunc>>;
  constructor(typeName: string, fields: Record<string, unknown>, methods: Record<string, GoFunc> = {}) {
    super();
    this.typeName = typeName;
    this.fields = toNullProto(fields);
    this.methods = toNullProto(methods);
  }
  goType(): string {
    return this.typeName;
  }
}

/** An error a Go function returns; it becomes the run-time error message as is. */
export class GoError extends Error {}

export function toNullProto<T>(record: Record<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const key of Object.keys(record)) out[key] = record[key] as T;
  return out;
}

/** Floats keep their kind even when integral: `6 / 3` is 2.0, not 2. */
export function mkFloat(value: number): number | GoFloat {
  return Number.isInteger(value) ? new GoFloat(value) : value;
}

export function isNumber(v: unknown): v is number | GoFloat {
  return typeof v === 'number' || v instanceof GoFloat;
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function isFloat(v: unknown): boolean {
  return v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v));
}

export function numValue(v: number | GoFloat): number {
  return typeof v === 'number' ? v : v.value;
}

export function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoValue);
}

/** Wraps to int64 the way Go's `int` arithmetic does (exact within ±2^53, approximate beyond). */
export function wrapInt(v: number, exact: () => bigint): number {
  return Number.isSafeInteger(v) ? v : Number(BigInt.asIntN(64, exact()));
}

export function readOwn(map: Record<string, unknown>, key: string): unknown {
  if (!Object.hasOwn(map, key)) return null;
  const v = map[key];
  return v === undefined ? null : v;
}
