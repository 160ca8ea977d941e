// The value model: how Go values that templates see are represented in JavaScript.
//
// Templates behave differently depending on Go kinds (a JSON number is a float64, a template literal
// `3` is an int, `eq` refuses to compare them), so the model keeps the kinds Go would have:
//   undefined            an invalid reflect.Value: a missing map key, an unset variable ("<no value>")
//   null                 a nil interface{} (a JSON null)
//   string / boolean     string / bool
//   number               float64 (every JSON number)
//   GoInt                int, int64, uint8, … and named integer types (time.Duration, time.Month)
//   GoComplex            complex128
//   Array                []interface {}
//   plain object         map[string]interface {}; only own properties are ever read (see mapGet)
//   GoMap / GoSlice      typed maps and slices such as map[string]string or []string
//   Uint8Array           []uint8 (Go byte slices)
//   GoObject             structs and pointers with methods (time.Time, *semver.Version)
//   GoFunc               a function value (FuncMap entries, `call` targets, methods)

export type GoIntKind =
  | 'int'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'uintptr';

/** Methods and a type name for a named type (time.Duration is a named int64). */
export interface GoNamedType {
  readonly name: string;
  readonly methods: ReadonlyMap<string, GoMethod>;
}

/** A method: a GoFunc whose implementation receives the receiver first. */
export interface GoMethod {
  readonly sig: GoFuncSig;
  readonly fn: (recv: never, ...args: never[]) => unknown;
}

export class GoInt {
  readonly kind: GoIntKind;
  readonly value: number;
  readonly named: GoNamedType | undefined;
  constructor(kind: GoIntKind, value: number, named?: GoNamedType) {
    this.kind = kind;
    this.value = value;
    this.named = named;
  }
  get isUnsigned(): boolean {
    return this.kind.startsWith('u');
  }
}

const smallInts: GoInt[] = [];
for (let i = 0; i < 256; i++) smallInts.push(new GoInt('int', i));

/** A Go `int`; small values are shared to keep range loops allocation-free. */
export function goInt(value: number): GoInt {
  return value >= 0 && value < 256 && Number.isInteger(value) ? smallInts[value]! : new GoInt('int', value);
}

export function goInt64(value: number): GoInt {
  return new GoInt('int64', value);
}

export class GoComplex {
  readonly re: number;
  readonly im: number;
  constructor(re: number, im: number) {
    this.re = re;
    this.im = im;
  }
}

/** A typed map with string keys, e.g. map[string]string. `elem` is the Go element type name. */
export class GoMap {
  readonly elem: string;
  readonly entries: Map<string, unknown>;
  constructor(elem: string, entries: Map<string, unknown>) {
    this.elem = elem;
    this.entries = entries;
  }
  get typeName(): string {
    return `map[string]${this.elem}`;
  }
}

/** A typed slice, e.g. []string. `elem` is the Go element type name. */
export class GoSlice {
  readonly elem: string;
  readonly items: unknown[];
  constructor(elem: string, items: unknown[]) {
    this.elem = elem;
    this.items = items;
  }
  get typeName(): string {
    return `[]${this.elem}`;
  }
}

/**
 * A struct or pointer value with methods (time.Time, *semver.Version) or exported fields.
 * `stringer` makes fmt print it the way Go's String() method would; `json` is its MarshalJSON.
 */
export interface GoObjectSpec {
  readonly typeName: string;
  readonly kind: 'struct' | 'ptr';
  readonly fields?: ReadonlyMap<string, unknown>;
  readonly methods?: ReadonlyMap<string, GoMethod>;
  readonly stringer?: () => string;
  readonly json?: () => unknown;
  /** Identity used by eq/deepEqual; defaults to the object itself. */
  readonly key?: () => string;
}

export class GoObject {
  readonly spec: GoObjectSpec;
  readonly state: unknown;
  constructor(spec: GoObjectSpec, state: unknown) {
    this.spec = spec;
    this.state = state;
  }
}

/** The Go signature of a function: parameter type names, variadic last parameter, result type. */
export interface GoFuncSig {
  readonly params: readonly string[];
  /** The last entry of params is the element type of a `...T` parameter. */
  readonly variadic?: boolean;
  readonly ret: string;
  /** The function returns (T, error): it throws GoFuncError to report the error. */
  readonly err?: boolean;
}

export class GoFunc {
  readonly sig: GoFuncSig;
  readonly fn: (...args: never[]) => unknown;
  constructor(sig: GoFuncSig, fn: (...args: never[]) => unknown) {
    this.sig = sig;
    this.fn = fn;
  }
  get typeName(): string {
    const ps = this.sig.params.map((p, i) =>
      this.sig.variadic === true && i === this.sig.params.length - 1 ? `...${p}` : p,
    );
    const ret = this.sig.err === true ? `(${this.sig.ret}, error)` : this.sig.ret;
    return `func(${ps.join(', ')}) ${ret}`;
  }
}

/** Defines a function value for a FuncMap or for template data (`call .f x`). */
export function goFunc<A extends unknown[]>(sig: GoFuncSig, fn: (...args: A) => unknown): GoFunc {
  return new GoFunc(sig, fn);
}

/** The error result of a Go function, or a recovered panic: the executor reports `error calling F: <message>`. */
export class GoFuncError extends Error {}

/** A plain JSON-style map: an object whose prototype is Object.prototype or null. */
export function isPlainMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Reads a key of a plain map. Only own properties count, so `__proto__`, `constructor` or
 * `toString` are missing keys like any other, never JavaScript internals.
 */
export function mapGet(m: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(m, key) ? m[key] : undefined;
}

/** Writes a key without ever touching a prototype (`__proto__` becomes an ordinary key). */
export function mapSet(m: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(m, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    m[key] = value;
  }
}

/** A fresh map[string]interface{} with no prototype. */
export function newMap(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** Go's type name as %T prints it; `<nil>` for nil and missing values. */
export function goTypeName(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'undefined':
      return '<nil>';
    case 'object':
      if (v === null) return '<nil>';
      if (Array.isArray(v)) return '[]interface {}';
      if (v instanceof GoInt) return v.named?.name ?? v.kind;
      if (v instanceof GoMap) return v.typeName;
      if (v instanceof GoSlice) return v.typeName;
      if (v instanceof Uint8Array) return '[]uint8';
      if (v instanceof GoObject) return v.spec.typeName;
      if (v instanceof GoFunc) return v.typeName;
      if (v instanceof GoComplex) return 'complex128';
      return isPlainMap(v) ? 'map[string]interface {}' : 'struct {}';
    case 'bigint':
    case 'function':
    case 'symbol':
    default:
      return 'interface {}';
  }
}

/** reflect.Kind names, as Sprig's kindOf prints them. */
export function goKindName(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'undefined':
      return 'invalid';
    case 'object':
      if (v === null) return 'invalid';
      if (Array.isArray(v) || v instanceof GoSlice || v instanceof Uint8Array) return 'slice';
      if (v instanceof GoInt) return v.kind;
      if (v instanceof GoObject) return v.spec.kind;
      if (v instanceof GoFunc) return 'func';
      if (v instanceof GoComplex) return 'complex128';
      return isPlainMap(v) ? 'map' : 'struct';
    case 'bigint':
    case 'function':
    case 'symbol':
    default:
      return 'interface';
  }
}

/** Elements of any slice-like value, or undefined when the value is not a slice. */
export function sliceItems(v: unknown): readonly unknown[] | undefined {
  if (Array.isArray(v)) return v as unknown[];
  if (v instanceof GoSlice) return v.items;
  if (v instanceof Uint8Array) {
    const out: unknown[] = [];
    for (const b of v) out.push(new GoInt('uint8', b));
    return out;
  }
  return undefined;
}

/** Entries of any map-like value (plain or typed), or undefined when the value is not a map. */
export function mapEntries(v: unknown): [string, unknown][] | undefined {
  if (v instanceof GoMap) return [...v.entries];
  if (isPlainMap(v)) return Object.entries(v);
  return undefined;
}

/** Go's truthiness (text/template isTrue): the zero value of every kind is false. */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'undefined':
      return false;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof GoInt) return v.value !== 0;
      if (v instanceof GoMap) return v.entries.size > 0;
      if (v instanceof GoSlice) return v.items.length > 0;
      if (v instanceof Uint8Array) return v.length > 0;
      if (v instanceof GoObject || v instanceof GoFunc) return true;
      if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
      if (!isPlainMap(v)) return true;
      for (const k in v) if (Object.hasOwn(v, k)) return true;
      return false;
    case 'bigint':
    case 'function':
    case 'symbol':
    default:
      return true;
  }
}

/** The zero value of a Go type, as reflect.Zero would produce it. */
export function zeroOf(type: string): unknown {
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'float64':
    case 'float32':
      return 0;
    case 'interface {}':
      return null;
    case 'int':
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
    case 'uintptr':
      return new GoInt(type, 0);
    default:
      // Maps, slices, pointers and funcs: their zero value is nil.
      return null;
  }
}

/** Whether a Go type can hold nil (reflect canBeNil). */
export function canBeNil(type: string): boolean {
  return (
    type === 'interface {}' ||
    type === 'reflect.Value' ||
    type.startsWith('map[') ||
    type.startsWith('[]') ||
    type.startsWith('*') ||
    type.startsWith('func(')
  );
}

const intKinds = new Set<string>([
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uintptr',
]);

export function isIntType(type: string): type is GoIntKind {
  return intKinds.has(type);
}

/** Converts a JavaScript value to the Go view with every integer as a Go int64 (Kubernetes unstructured objects). */
export function withInt64Integers(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? goInt64(value) : value;
  if (Array.isArray(value)) return value.map(withInt64Integers);
  if (isPlainMap(value)) {
    const out = newMap();
    for (const [k, v] of Object.entries(value)) mapSet(out, k, withInt64Integers(v));
    return out;
  }
  return value;
}
