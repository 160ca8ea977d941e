// text/template's predefined functions (funcs.go): and, or, not, call, index, slice, len, print,
// printf, println, html, js, urlquery and the comparisons, with Go's type rules and messages.
// Parameters typed 'reflect.Value' receive values untouched: undefined is an invalid value and
// null a nil interface, which several of these tell apart.

import { sprint, sprintf, sprintln } from './go-fmt.ts';
import { isPrint } from './go-quote.ts';
import {
  GoComplex,
  GoFunc,
  GoFuncError,
  GoInt,
  GoMap,
  GoObject,
  GoSlice,
  goFunc,
  goInt,
  goKindName,
  goTypeName,
  isIntType,
  isPlainMap,
  isTrue,
  zeroOf,
} from './go-values.ts';
import { byteAt, byteLength, byteSlice, compareBytes, utf8Bytes } from './utf8.ts';

const V = 'reflect.Value';

function fail(msg: string): never {
  throw new GoFuncError(msg);
}

/** A nil interface is "no value" for the builtins (indirectInterface). */
function indirectInterface(v: unknown): unknown {
  return v === null ? undefined : v;
}

function indexArg(index: unknown, cap: number): number {
  let x: number;
  if (index instanceof GoInt) x = index.value;
  else if (index === undefined || index === null) fail('cannot index slice/array with nil');
  else fail(`cannot index slice/array with type ${goTypeName(index)}`);
  if (x < 0 || x > cap) fail(`index out of range: ${x}`);
  return x;
}

/** Converts a map key to string, the key type of every map in the model (funcs.go prepareArg). */
function mapKey(index: unknown): string {
  if (index === undefined || index === null) fail('value is nil; should be of type string');
  if (typeof index !== 'string') fail(`value has type ${goTypeName(index)}; should be string`);
  return index;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  item = indirectInterface(item);
  if (item === undefined) fail('index of untyped nil');
  for (let idx of indexes) {
    idx = indirectInterface(idx);
    if (item === null) fail('index of nil pointer');
    if (typeof item === 'string') {
      const len = byteLength(item);
      const x = indexArg(idx, len);
      if (x === len) fail('reflect: string index out of range');
      item = new GoInt('uint8', byteAt(item, x));
    } else if (Array.isArray(item) || item instanceof GoSlice || item instanceof Uint8Array) {
      const items: readonly unknown[] = Array.isArray(item)
        ? item
        : item instanceof GoSlice
          ? item.items
          : Array.from(item, (b) => new GoInt('uint8', b));
      const x = indexArg(idx, items.length);
      if (x === items.length) fail('reflect: slice index out of range');
      item = items[x];
    } else if (isPlainMap(item)) {
      const k = mapKey(idx);
      item = Object.hasOwn(item, k) ? item[k] : null;
    } else if (item instanceof GoMap) {
      const k = mapKey(idx);
      item = item.entries.has(k) ? item.entries.get(k) : zeroOf(item.elem);
    } else {
      fail(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  item = indirectInterface(item);
  if (item === undefined) fail('slice of untyped nil');
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) fail('cannot 3-index slice a string');
    len = byteLength(item);
  } else if (Array.isArray(item)) len = item.length;
  else if (item instanceof GoSlice) len = item.items.length;
  else fail(`can't slice item of type ${goTypeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((x, i) => (idx[i] = indexArg(indirectInterface(x), len)));
  if (idx[0]! > idx[1]!) fail(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) fail(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === 'string') return byteSlice(item, idx[0]!, idx[1]);
  if (Array.isArray(item)) return item.slice(idx[0], idx[1]);
  return new GoSlice(item.elem, item.items.slice(idx[0], idx[1]));
}

function length(item: unknown): GoInt {
  if (item === null) fail('len of nil pointer');
  if (item === undefined) fail('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return goInt(byteLength(item));
  if (Array.isArray(item)) return goInt(item.length);
  if (item instanceof GoSlice) return goInt(item.items.length);
  if (item instanceof Uint8Array) return goInt(item.length);
  if (item instanceof GoMap) return goInt(item.entries.size);
  if (isPlainMap(item)) return goInt(Object.keys(item).length);
  fail(`len of type ${goTypeName(item)}`);
}

// Comparison --------------------------------------------------------------------------------

type BasicKind = 'invalid' | 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint';

function basicKind(v: unknown): BasicKind {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    case 'bigint':
    case 'function':
    case 'object':
    case 'symbol':
    case 'undefined':
    default:
  }
  if (v instanceof GoInt) return v.isUnsigned ? 'uint' : 'int';
  if (v instanceof GoComplex) return 'complex';
  return 'invalid';
}

const errBadComparisonType = 'invalid type for comparison';
// Go 1.19's wording, which the reference vectors record.
const errBadComparison = 'incompatible types for comparison';

function isNilValue(v: unknown): boolean {
  return v === undefined || v === null;
}

function comparable(v: unknown): boolean {
  return !(
    Array.isArray(v) ||
    v instanceof GoSlice ||
    v instanceof Uint8Array ||
    v instanceof GoMap ||
    isPlainMap(v) ||
    v instanceof GoFunc
  );
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  arg1 = indirectInterface(arg1);
  if (arg2.length === 0) fail('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (let arg of arg2) {
    arg = indirectInterface(arg);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint')
        truth = (arg1 as GoInt).value >= 0 && (arg1 as GoInt).value === (arg as GoInt).value;
      else if (k1 === 'uint' && k2 === 'int')
        truth = (arg as GoInt).value >= 0 && (arg1 as GoInt).value === (arg as GoInt).value;
      else if (arg1 !== undefined && arg !== undefined) fail(errBadComparison);
    } else {
      switch (k1) {
        case 'bool':
        case 'float':
        case 'string':
          truth = arg1 === arg;
          break;
        case 'int':
        case 'uint':
          truth = (arg1 as GoInt).value === (arg as GoInt).value;
          break;
        case 'complex':
          truth =
            (arg1 as GoComplex).re === (arg as GoComplex).re &&
            (arg1 as GoComplex).im === (arg as GoComplex).im;
          break;
        case 'invalid': {
          const kind1 = goKindName(arg1);
          const kind2 = goKindName(arg);
          if (kind1 !== kind2 && kind1 !== 'invalid' && kind2 !== 'invalid') {
            fail(
              `non-comparable types ${sprintf('%s', [arg1])}: ${goTypeName(arg1)}, ${goTypeName(arg)}: ${sprintf('%s', [arg])}`,
            );
          }
          if (isNilValue(arg1) || isNilValue(arg)) truth = isNilValue(arg) === isNilValue(arg1);
          else if (!comparable(arg)) fail(`non-comparable type ${sprintf('%s', [arg])}: ${goTypeName(arg)}`);
          else truth = sameValue(arg1, arg);
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (
    a instanceof GoObject &&
    b instanceof GoObject &&
    a.spec.key !== undefined &&
    b.spec.key !== undefined
  ) {
    return a.spec.typeName === b.spec.typeName && a.spec.key() === b.spec.key();
  }
  return a === b;
}

function lt(arg1: unknown, arg2: unknown): boolean {
  arg1 = indirectInterface(arg1);
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') fail(errBadComparisonType);
  arg2 = indirectInterface(arg2);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') fail(errBadComparisonType);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (arg1 as GoInt).value < (arg2 as GoInt).value;
    if (k1 === 'uint' && k2 === 'int')
      return (arg2 as GoInt).value >= 0 && (arg1 as GoInt).value < (arg2 as GoInt).value;
    fail(errBadComparison);
  }
  switch (k1) {
    case 'bool':
    case 'complex':
      fail(errBadComparisonType);
    // falls through: fail never returns
    case 'float':
      return (arg1 as number) < (arg2 as number);
    case 'int':
    case 'uint':
      return (arg1 as GoInt).value < (arg2 as GoInt).value;
    case 'string':
      return compareBytes(arg1 as string, arg2 as string) < 0;
  }
}

function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

// Escapers ----------------------------------------------------------------------------------

/** The text of html/js/urlquery arguments: fmt.Sprint, with missing values as "<no value>". */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined || a === null ? '<no value>' : a)));
}

export function htmlEscape(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  return s.replace(/['"&<>\0]/g, (c) => {
    switch (c) {
      case '"':
        return '&#34;';
      case "'":
        return '&#39;';
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      default:
        return '\uFFFD';
    }
  });
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
      default:
    }
    if (c < 0x20) out += `\\u00${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (c < 0x80 || isPrint(c)) out += ch;
    else out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    if (
      (b >= 0x61 && b <= 0x7a) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x30 && b <= 0x39) ||
      b === 0x2d ||
      b === 0x5f ||
      b === 0x2e ||
      b === 0x7e
    ) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// call ----------------------------------------------------------------------------------------

function prepareArg(value: unknown, argType: string): unknown {
  if (value === undefined || value === null) {
    if (argType === 'interface {}' || argType === V) return null;
    if (
      argType.startsWith('map[') ||
      argType.startsWith('[]') ||
      argType.startsWith('*') ||
      argType.startsWith('func(')
    )
      return null;
    throw new Error(`value is nil; should be of type ${argType}`);
  }
  if (argType === 'interface {}' || argType === V) return value;
  const t = goTypeName(value);
  if (t === argType) return value;
  if (value instanceof GoInt && isIntType(argType)) return new GoInt(argType, value.value);
  throw new Error(`value has type ${t}; should be ${argType}`);
}

/** The `call` builtin: calls a function value with Go's argument checks. */
export function callBuiltin(name: string, fn: unknown, args: unknown[]): unknown {
  fn = indirectInterface(fn);
  if (fn === undefined) fail('call of nil');
  if (!(fn instanceof GoFunc)) fail(`non-function ${name} of type ${goTypeName(fn)}`);
  const { params, variadic } = fn.sig;
  const numIn = params.length;
  if (variadic === true) {
    if (args.length < numIn - 1)
      fail(`wrong number of args for ${name}: got ${args.length} want at least ${numIn - 1}`);
  } else if (args.length !== numIn) {
    fail(`wrong number of args for ${name}: got ${args.length} want ${numIn}`);
  }
  const argv = args.map((arg, i) => {
    const argType = variadic !== true || i < numIn - 1 ? params[i]! : params[numIn - 1]!;
    try {
      return prepareArg(indirectInterface(arg), argType);
    } catch (e) {
      return fail(`arg ${i}: ${(e as Error).message}`);
    }
  });
  return (fn.fn as (...a: unknown[]) => unknown)(...argv);
}

function emptyCall(): never {
  throw new Error('unreachable: call is evaluated by the executor');
}

function unreachableAndOr(): never {
  throw new Error('unreachable: and/or are evaluated by the executor');
}

/** The builtin function set, looked up after a template's own functions. */
export const builtins: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ['and', goFunc({ params: [V, V], variadic: true, ret: V }, unreachableAndOr)],
  ['or', goFunc({ params: [V, V], variadic: true, ret: V }, unreachableAndOr)],
  ['not', goFunc({ params: [V], ret: 'bool' }, (v: unknown) => !isTrue(indirectInterface(v)))],
  ['call', goFunc({ params: [V, V], variadic: true, ret: V, err: true }, emptyCall)],
  [
    'html',
    goFunc({ params: ['interface {}'], variadic: true, ret: 'string' }, (...a: unknown[]) =>
      htmlEscape(evalArgs(a)),
    ),
  ],
  [
    'js',
    goFunc({ params: ['interface {}'], variadic: true, ret: 'string' }, (...a: unknown[]) =>
      jsEscape(evalArgs(a)),
    ),
  ],
  [
    'urlquery',
    goFunc({ params: ['interface {}'], variadic: true, ret: 'string' }, (...a: unknown[]) =>
      queryEscape(evalArgs(a)),
    ),
  ],
  ['index', goFunc({ params: [V, V], variadic: true, ret: V, err: true }, index)],
  ['slice', goFunc({ params: [V, V], variadic: true, ret: V, err: true }, slice)],
  ['len', goFunc({ params: [V], ret: 'int', err: true }, length)],
  [
    'print',
    goFunc({ params: ['interface {}'], variadic: true, ret: 'string' }, (...a: unknown[]) => sprint(a)),
  ],
  [
    'printf',
    goFunc(
      { params: ['string', 'interface {}'], variadic: true, ret: 'string' },
      (f: string, ...a: unknown[]) => sprintf(f, a),
    ),
  ],
  [
    'println',
    goFunc({ params: ['interface {}'], variadic: true, ret: 'string' }, (...a: unknown[]) => sprintln(a)),
  ],
  ['eq', goFunc({ params: [V, V], variadic: true, ret: 'bool', err: true }, eq)],
  ['ne', goFunc({ params: [V, V], ret: 'bool', err: true }, (a: unknown, b: unknown) => !eq(a, b))],
  ['lt', goFunc({ params: [V, V], ret: 'bool', err: true }, lt)],
  ['le', goFunc({ params: [V, V], ret: 'bool', err: true }, le)],
  ['gt', goFunc({ params: [V, V], ret: 'bool', err: true }, (a: unknown, b: unknown) => !le(a, b))],
  ['ge', goFunc({ params: [V, V], ret: 'bool', err: true }, (a: unknown, b: unknown) => !lt(a, b))],
]);
