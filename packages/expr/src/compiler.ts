// Compiles a checked, optimised tree into nested closures: each node becomes one JS function, so a
// program is compiled once and each run is a few direct calls (no tree walk, no bytecode loop).
// Nothing here evaluates source text as JS (no eval, no Function); environment values are read
// with Object.hasOwn only.
import { compileGoRegexp, GoRegexpError, matchBytes, matchString, type GoRegexp } from '@capstan/gocompat';
import type { Node, NodeOf } from './ast.ts';
import { BUILTINS } from './builtins.ts';
import { goTypeName } from './go-format.ts';
import { GoDuration, GoTime } from './go-time.ts';
import { ConstArray, ConstSet } from './optimizer.ts';
import type { RunContext } from './run-context.ts';
import {
  add,
  asBool,
  asString,
  callGo,
  divide,
  equal,
  exponent,
  fail,
  fetch,
  inOp,
  inStringSet,
  LANG_CONTAINERS,
  lenOf,
  modulo,
  multiply,
  negate,
  order,
  RunError,
  slice,
  subtract,
  toInt,
  anyMapKey,
} from './runtime-ops.ts';
import { GoAnyMap, GoBytes, GoValue, mkFloat } from './values.ts';
import { stableSort } from './builtins.ts';

/** Per-run state every closure receives. */
export interface Frame {
  readonly env: Record<string, unknown>;
  readonly ctx: RunContext;
  readonly vars: unknown[];
  readonly scopes: LoopScope[];
}

export interface LoopScope {
  readonly len: number;
  readonly item: (i: number) => unknown;
  index: number;
  acc: unknown;
}

export type Compiled = (f: Frame) => unknown;

/** What an optional member returns for a nil base: the enclosing chain turns it into nil. */
const ABORT: unique symbol = Symbol('optional chain');

function tag(e: unknown, loc: number): never {
  if (e instanceof RunError && e.loc === undefined) e.loc = loc;
  throw e;
}

function failAt(loc: number, message: string): never {
  const e = new RunError(message);
  e.loc = loc;
  throw e;
}

/** The Go integer type a node's integers have: `int` when the language made them, else JSON's int64. */
function intName(n: Node): string {
  return n.nature?.k === 'int' ? 'int' : 'int64';
}

function isKnown(n: Node): boolean {
  const k = n.nature?.k;
  return k !== undefined && k !== 'unknown' && k !== 'any';
}

function compileRegex(pattern: string): GoRegexp {
  try {
    return compileGoRegexp(pattern);
  } catch (e) {
    if (e instanceof GoRegexpError) throw new RunError(e.message);
    throw e;
  }
}

function matchRegex(re: GoRegexp, a: unknown, aInt: string): boolean {
  if (typeof a === 'string') return matchString(re, a);
  if (a instanceof GoBytes) return matchBytes(re, a.bytes);
  return fail(
    `interface conversion: interface {} is ${a === null ? 'nil' : goTypeName(a, aInt)}, not []uint8`,
  );
}

function reflectLenError(v: unknown, intN: string): never {
  if (v === null || v === undefined) return fail('reflect: call of reflect.Value.Len on zero Value');
  const t = goTypeName(v, intN);
  const kind = t.startsWith('*')
    ? 'ptr'
    : t === 'time.Time'
      ? 'struct'
      : t === 'time.Duration'
        ? 'int64'
        : t.startsWith('func')
          ? 'func'
          : t;
  return fail(`reflect: call of reflect.Value.Len on ${kind} Value`);
}

/** OpBegin: what a closure builtin iterates. Maps have a length but no items (expr's quirk). */
function loopOver(v: unknown, intN: string): LoopScope {
  if (Array.isArray(v)) {
    const arr = v as unknown[];
    return { len: arr.length, item: (i) => (arr[i] === undefined ? null : arr[i]), index: 0, acc: null };
  }
  if (typeof v === 'string') {
    const bytes = new TextEncoder().encode(v);
    return { len: bytes.length, item: (i) => bytes[i], index: 0, acc: null };
  }
  if (v instanceof GoBytes) return { len: v.bytes.length, item: (i) => v.bytes[i], index: 0, acc: null };
  const mapItem = (): never => fail('reflect: call of reflect.Value.Index on map Value');
  if (v instanceof GoAnyMap) return { len: v.entries.size, item: mapItem, index: 0, acc: null };
  if (typeof v === 'object' && v !== null && !(v instanceof GoValue))
    return { len: Object.keys(v).length, item: mapItem, index: 0, acc: null };
  return reflectLenError(v, intN);
}

export interface CompileState {
  variables: number;
  scopes: { name: string; index: number }[];
}

export function compileNode(node: Node, st: CompileState, inChain = false): Compiled {
  const loc = node.loc;
  switch (node.kind) {
    case 'Nil':
      return () => null;
    case 'Bool': {
      const v = node.value;
      return () => v;
    }
    case 'Integer': {
      const v = node.value;
      return () => v;
    }
    case 'Float': {
      const v = mkFloat(node.value);
      return () => v;
    }
    case 'String': {
      const v = node.value;
      return () => v;
    }
    case 'Bytes': {
      const v = new GoBytes(Uint8Array.from(node.value, (c) => c.charCodeAt(0)));
      return () => v;
    }
    case 'Constant':
      return compileConstant(node);
    case 'Identifier':
      return compileIdentifier(node, st);
    case 'Unary':
      return compileUnary(node, st);
    case 'Binary':
      return compileBinary(node, st);
    case 'Chain': {
      const inner = compileNode(node.node, st, true);
      return (f) => {
        const v = inner(f);
        return v === ABORT ? null : v;
      };
    }
    case 'Member':
      return compileMember(node, st, inChain);
    case 'Slice':
      return compileSlice(node, st);
    case 'Call':
      return compileCall(node, st, inChain);
    case 'Builtin':
      return compileBuiltin(node, st);
    case 'Predicate':
      return compileNode(node.node, st);
    case 'Pointer':
      return compilePointer(node);
    case 'VariableDeclarator': {
      const value = compileNode(node.value, st);
      const index = st.variables++;
      st.scopes.push({ name: node.name, index });
      const expr = compileNode(node.expr, st);
      st.scopes.pop();
      return (f) => {
        f.vars[index] = value(f);
        return expr(f);
      };
    }
    case 'Sequence': {
      const parts = node.nodes.map((n) => compileNode(n, st));
      return (f) => {
        let last: unknown = null;
        for (const p of parts) last = p(f);
        return last;
      };
    }
    case 'Conditional': {
      const cond = compileNode(node.cond, st);
      const a = compileNode(node.exp1, st);
      const b = compileNode(node.exp2, st);
      const cInt = intName(node.cond);
      return (f) => {
        const c = cond(f);
        if (c === true) return a(f);
        if (c === false) return b(f);
        try {
          return asBool(c, cInt);
        } catch (e) {
          return tag(e, loc);
        }
      };
    }
    case 'Array': {
      const items = node.nodes.map((n) => compileNode(n, st));
      const lang = node.nodes.every(isKnown);
      const n = items.length;
      return (f) => {
        f.ctx.memGrow(n);
        const out = items.map((c) => c(f));
        if (lang) LANG_CONTAINERS.add(out);
        return out;
      };
    }
    case 'Map': {
      const pairs = node.pairs.map(
        (p) => [compileNode(p.key, st), compileNode(p.value, st), intName(p.key)] as const,
      );
      const lang = node.pairs.every((p) => isKnown(p.value));
      return (f) => {
        f.ctx.memGrow(pairs.length);
        const out = Object.create(null) as Record<string, unknown>;
        for (const [k, v, kInt] of pairs) {
          const key = k(f);
          const value = v(f);
          if (typeof key !== 'string')
            failAt(
              loc,
              `interface conversion: interface {} is ${key === null ? 'nil' : goTypeName(key, kInt)}, not string`,
            );
          out[key] = value;
        }
        if (lang) LANG_CONTAINERS.add(out);
        return out;
      };
    }
  }
}

function compileConstant(node: NodeOf<'Constant'>): Compiled {
  const v = node.value;
  if (v instanceof ConstArray) {
    const arr = Object.freeze(v.values.map((x) => (typeof x === 'object' ? mkFloat(x.float) : x)));
    LANG_CONTAINERS.add(arr);
    return () => arr;
  }
  return () => v;
}

function compileIdentifier(node: NodeOf<'Identifier'>, st: CompileState): Compiled {
  for (let i = st.scopes.length - 1; i >= 0; i--) {
    const s = st.scopes[i] as { name: string; index: number };
    if (s.name === node.value) {
      const index = s.index;
      return (f) => f.vars[index];
    }
  }
  if (node.value === '$env') return (f) => f.env;
  const name = node.value;
  return (f) => {
    const env = f.env;
    const v = env[name];
    if (v === undefined) return null;
    return Object.hasOwn(env, name) ? v : null;
  };
}

function compileUnary(node: NodeOf<'Unary'>, st: CompileState): Compiled {
  const x = compileNode(node.node, st);
  const xInt = intName(node.node);
  const loc = node.loc;
  switch (node.op) {
    case '!':
    case 'not':
      return (f) => {
        const v = x(f);
        if (typeof v === 'boolean') return !v;
        try {
          return asBool(v, xInt);
        } catch (e) {
          return tag(e, loc);
        }
      };
    case '-':
      return (f) => {
        const v = x(f);
        try {
          return negate(v, xInt);
        } catch (e) {
          return tag(e, loc);
        }
      };
    default:
      return x;
  }
}

type BinFn = (a: unknown, b: unknown, aInt: string, bInt: string) => unknown;

interface Operands {
  readonly l: Compiled;
  readonly r: Compiled;
  readonly aInt: string;
  readonly bInt: string;
  readonly loc: number;
}

function arith({ l, r, aInt, bInt, loc }: Operands, fn: BinFn): Compiled {
  return (f) => {
    const a = l(f);
    const b = r(f);
    try {
      return fn(a, b, aInt, bInt);
    } catch (e) {
      return tag(e, loc);
    }
  };
}

function compileBinary(node: NodeOf<'Binary'>, st: CompileState): Compiled {
  const loc = node.loc;
  const aInt = intName(node.left);
  const bInt = intName(node.right);
  if (node.op === 'in' && node.right.kind === 'Constant' && node.right.value instanceof ConstSet) {
    const l = compileNode(node.left, st);
    const set = node.right.value.values;
    if (node.right.value.keyType === 'int') return (f) => set.has(l(f) as number);
    return (f) => {
      const v = l(f);
      if (typeof v === 'string') return set.has(v);
      try {
        return inStringSet(v, set, aInt);
      } catch (e) {
        return tag(e, loc);
      }
    };
  }
  const l = compileNode(node.left, st);
  if (node.op === 'matches' && node.right.kind === 'String') {
    const re = compileGoRegexp(node.right.value);
    return (f) => {
      const a = l(f);
      if (a === null || a === undefined) return false;
      try {
        return matchRegex(re, a, aInt);
      } catch (e) {
        return tag(e, loc);
      }
    };
  }
  const r = compileNode(node.right, st);
  const ops: Operands = { l, r, aInt, bInt, loc };
  switch (node.op) {
    case '==':
      if (node.right.kind === 'String' || node.right.kind === 'Bool') {
        const c = node.right.value;
        return (f) => l(f) === c;
      }
      return (f) => equal(l(f), r(f));
    case '!=':
      if (node.right.kind === 'String' || node.right.kind === 'Bool') {
        const c = node.right.value;
        return (f) => l(f) !== c;
      }
      return (f) => !equal(l(f), r(f));
    case 'and':
    case '&&':
      return (f) => {
        const a = l(f);
        if (a === true) return r(f);
        if (a === false) return false;
        try {
          return asBool(a, aInt);
        } catch (e) {
          return tag(e, loc);
        }
      };
    case 'or':
    case '||':
      return (f) => {
        const a = l(f);
        if (a === false) return r(f);
        if (a === true) return true;
        try {
          return asBool(a, aInt);
        } catch (e) {
          return tag(e, loc);
        }
      };
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const op = node.op;
      const test: (c: number) => boolean =
        op === '<' ? (c) => c < 0 : op === '>' ? (c) => c > 0 : op === '<=' ? (c) => c <= 0 : (c) => c >= 0;
      return (f) => {
        const a = l(f);
        const b = r(f);
        if (typeof a === 'number' && typeof b === 'number') {
          return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
        }
        try {
          return test(order(a, b, op, [aInt, bInt]));
        } catch (e) {
          return tag(e, loc);
        }
      };
    }
    case '+':
      return arith(ops, add);
    case '-':
      return arith(ops, subtract);
    case '*':
      return arith(ops, multiply);
    case '/':
      return arith(ops, divide);
    case '%':
      return arith(ops, modulo);
    case '**':
    case '^':
      return arith(ops, exponent);
    case 'in':
      return arith(ops, (a, b) => inOp(a, b, aInt));
    case 'matches':
      return arith(ops, (a, b) => {
        if (a === null || a === undefined || b === null || b === undefined) return false;
        return matchRegex(compileRegex(asString(b, bInt)), a, aInt);
      });
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const op = node.op;
      return arith(ops, (a, b) => {
        if (a === null || a === undefined || b === null || b === undefined) return false;
        const s = asString(a, aInt);
        const t = asString(b, bInt);
        return op === 'contains' ? s.includes(t) : op === 'startsWith' ? s.startsWith(t) : s.endsWith(t);
      });
    }
    case '..':
      return (f) => {
        const a = l(f);
        const b = r(f);
        try {
          const min = toInt(a, aInt);
          const max = toInt(b, bInt);
          const size = Math.max(0, max - min + 1);
          f.ctx.memGrow(size);
          const out = new Array<number>(size);
          for (let i = 0; i < size; i++) out[i] = min + i;
          LANG_CONTAINERS.add(out);
          return out;
        } catch (e) {
          return tag(e, loc);
        }
      };
    case '??':
      return (f) => {
        const a = l(f);
        return a === null || a === undefined ? r(f) : a;
      };
    default:
      return failCompile(node.op);
  }
}

function failCompile(op: string): never {
  throw new Error(`unknown operator (${op})`);
}

function compileMember(node: NodeOf<'Member'>, st: CompileState, inChain: boolean): Compiled {
  const base = compileNode(node.node, st, inChain);
  const loc = node.loc;
  const baseInt = intName(node.node);
  const optional = node.optional && inChain;
  if (node.property.kind === 'String') {
    const key = node.property.value;
    return (f) => {
      const o = base(f);
      if (typeof o === 'object' && o !== null && !Array.isArray(o) && !(o instanceof GoValue)) {
        const v = (o as Record<string, unknown>)[key];
        if (v === undefined) return null;
        return Object.hasOwn(o, key) ? v : null;
      }
      if (o === ABORT) return ABORT;
      if (optional && (o === null || o === undefined)) return ABORT;
      try {
        return fetch(o, key, baseInt, 'string');
      } catch (e) {
        return tag(e, loc);
      }
    };
  }
  const prop = compileNode(node.property, st);
  const keyInt = intName(node.property);
  return (f) => {
    const o = base(f);
    if (o === ABORT) return ABORT;
    if (optional && (o === null || o === undefined)) return ABORT;
    const k = prop(f);
    try {
      return fetch(o, k, baseInt, keyInt);
    } catch (e) {
      return tag(e, loc);
    }
  };
}

function compileSlice(node: NodeOf<'Slice'>, st: CompileState): Compiled {
  const base = compileNode(node.node, st);
  const to = node.to ? compileNode(node.to, st) : undefined;
  const from = node.from ? compileNode(node.from, st) : undefined;
  const loc = node.loc;
  const baseInt = intName(node.node);
  const fromInt = node.from ? intName(node.from) : 'int';
  const toInt_ = node.to ? intName(node.to) : 'int';
  return (f) => {
    const v = base(f);
    try {
      const t = to ? to(f) : lenOf(v, baseInt);
      const s = from ? from(f) : 0;
      return slice(v, [s, t], [fromInt, toInt_]);
    } catch (e) {
      return tag(e, loc);
    }
  };
}

function compileCall(node: NodeOf<'Call'>, st: CompileState, inChain: boolean): Compiled {
  const args = node.args.map((a) => compileNode(a, st));
  const ints = node.args.map(intName);
  const callee = compileNode(node.callee, st, inChain);
  const loc = node.loc;
  return (f) => {
    const values = args.map((a) => a(f));
    const fn = callee(f);
    if (fn === ABORT) return ABORT;
    try {
      return callGo(fn, values, ints);
    } catch (e) {
      return tag(e, loc);
    }
  };
}

function compilePointer(node: NodeOf<'Pointer'>): Compiled {
  const loc = node.loc;
  switch (node.name) {
    case 'index':
      return (f) => (f.scopes[f.scopes.length - 1] as LoopScope).index;
    case 'acc':
      return (f) => (f.scopes[f.scopes.length - 1] as LoopScope).acc;
    default:
      return (f) => {
        const s = f.scopes[f.scopes.length - 1] as LoopScope;
        try {
          return s.item(s.index);
        } catch (e) {
          return tag(e, loc);
        }
      };
  }
}

function compileBuiltin(node: NodeOf<'Builtin'>, st: CompileState): Compiled {
  const loc = node.loc;
  if (Object.hasOwn(LOOPS, node.name)) return (LOOPS[node.name] as LoopCompiler)(node, st);
  const impl = Object.hasOwn(BUILTINS, node.name) ? BUILTINS[node.name] : undefined;
  if (!impl) throw new Error(`unknown builtin ${node.name}`);
  const args = node.args.map((a) => compileNode(a, st));
  const ints = node.args.map(intName);
  if (args.length === 1) {
    const a0 = args[0] as Compiled;
    return (f) => {
      const v = a0(f);
      try {
        return impl([v], f.ctx, ints);
      } catch (e) {
        return tag(e, loc);
      }
    };
  }
  return (f) => {
    const values = args.map((a) => a(f));
    try {
      return impl(values, f.ctx, ints);
    } catch (e) {
      return tag(e, loc);
    }
  };
}

type LoopCompiler = (node: NodeOf<'Builtin'>, st: CompileState) => Compiled;

interface LoopParts {
  collection: Compiled;
  pred: Compiled | undefined;
  loc: number;
  collInt: string;
  predInt: string;
}

function parts(node: NodeOf<'Builtin'>, st: CompileState): LoopParts {
  const pred = node.args[1];
  return {
    collection: compileNode(node.args[0] as Node, st),
    pred: pred ? compileNode(pred, st) : undefined,
    loc: node.loc,
    collInt: intName(node.args[0] as Node),
    predInt: pred ? intName(pred) : 'int64',
  };
}

/** Runs body over a collection with a loop scope pushed; body returns true to stop early. */
interface IterateHooks {
  readonly init?: (s: LoopScope) => void;
  readonly backwards?: boolean;
}

function iterate(
  f: Frame,
  p: LoopParts,
  body: (s: LoopScope) => boolean,
  hooks: IterateHooks = {},
): LoopScope {
  const { init, backwards = false } = hooks;
  const scope = loopOver(p.collection(f), p.collInt);
  f.scopes.push(scope);
  try {
    if (init) init(scope);
    if (backwards) {
      for (scope.index = scope.len - 1; scope.index >= 0; scope.index--) {
        f.ctx.step();
        if (body(scope)) break;
      }
    } else {
      for (; scope.index < scope.len; scope.index++) {
        f.ctx.step();
        if (body(scope)) break;
      }
    }
    return scope;
  } finally {
    f.scopes.pop();
  }
}

function predicateBool(p: LoopParts, f: Frame): boolean {
  const v = (p.pred as Compiled)(f);
  if (typeof v === 'boolean') return v;
  return asBool(v, p.predInt);
}

function guarded(loc: number, run: (f: Frame) => unknown): Compiled {
  return (f) => {
    try {
      return run(f);
    } catch (e) {
      return tag(e, loc);
    }
  };
}

const LOOPS: Readonly<Record<string, LoopCompiler>> = {
  all: (node, st) => {
    const p = parts(node, st);
    return guarded(p.loc, (f) => {
      let out = true;
      iterate(f, p, () => !(out = predicateBool(p, f)));
      return out;
    });
  },
  any: (node, st) => {
    const p = parts(node, st);
    return guarded(p.loc, (f) => {
      let out = false;
      iterate(f, p, () => (out = predicateBool(p, f)));
      return out;
    });
  },
  none: (node, st) => {
    const p = parts(node, st);
    return guarded(p.loc, (f) => {
      let out = true;
      iterate(f, p, () => !(out = !predicateBool(p, f)));
      return out;
    });
  },
  one: (node, st) => {
    const p = parts(node, st);
    return guarded(p.loc, (f) => {
      let count = 0;
      iterate(f, p, () => {
        if (predicateBool(p, f)) count++;
        return false;
      });
      return count === 1;
    });
  },
  filter: (node, st) => {
    const p = parts(node, st);
    const map = node.map ? compileNode(node.map, st) : undefined;
    return guarded(p.loc, (f) => {
      const out: unknown[] = [];
      iterate(f, p, (s) => {
        if (predicateBool(p, f)) out.push(map ? map(f) : s.item(s.index));
        return false;
      });
      f.ctx.memGrow(out.length);
      return out;
    });
  },
  map: (node, st) => {
    const p = parts(node, st);
    return guarded(p.loc, (f) => {
      const out: unknown[] = [];
      const pred = p.pred as Compiled;
      const scope = iterate(f, p, () => {
        out.push(pred(f));
        return false;
      });
      f.ctx.memGrow(scope.len);
      return out;
    });
  },
  count: (node, st) => {
    const p = parts(node, st);
    return guarded(p.loc, (f) => {
      let count = 0;
      iterate(f, p, (s) => {
        const ok = p.pred ? predicateBool(p, f) : asBool(s.item(s.index), 'int64');
        if (ok) count++;
        return false;
      });
      return count;
    });
  },
  sum: (node, st) => {
    const p = parts(node, st);
    return guarded(p.loc, (f) => {
      let acc: unknown = 0;
      iterate(f, p, (s) => {
        const v = p.pred ? p.pred(f) : s.item(s.index);
        acc = add(v, acc, p.pred ? p.predInt : 'int64', 'int');
        return false;
      });
      return acc;
    });
  },
  find: (node, st) => findLoop(node, st, { backwards: false, wantIndex: false }),
  findLast: (node, st) => findLoop(node, st, { backwards: true, wantIndex: false }),
  findIndex: (node, st) => findLoop(node, st, { backwards: false, wantIndex: true }),
  findLastIndex: (node, st) => findLoop(node, st, { backwards: true, wantIndex: true }),
  groupBy: (node, st) => {
    const p = parts(node, st);
    return guarded(p.loc, (f) => {
      const out = new GoAnyMap('map[interface {}][]interface {}');
      const pred = p.pred as Compiled;
      iterate(f, p, (s) => {
        const key = anyMapKey(pred(f));
        if (
          Array.isArray(key) ||
          (typeof key === 'object' &&
            key !== null &&
            !(key instanceof GoTime) &&
            !(key instanceof GoDuration))
        ) {
          fail(`runtime error: hash of unhashable type ${goTypeName(key)}`);
        }
        const list = out.entries.get(key) as unknown[] | undefined;
        if (list) list.push(s.item(s.index));
        else out.entries.set(key, [s.item(s.index)]);
        return false;
      });
      return out;
    });
  },
  sortBy: (node, st) => {
    const p = parts(node, st);
    const orderArg = node.args[2] ? compileNode(node.args[2], st) : undefined;
    return guarded(p.loc, (f) => {
      const items: unknown[] = [];
      const keys: unknown[] = [];
      let desc = false;
      const pred = p.pred as Compiled;
      const scope = iterate(
        f,
        p,
        (s) => {
          items.push(s.item(s.index));
          keys.push(pred(f));
          return false;
        },
        {
          init: () => {
            const o = orderArg ? orderArg(f) : 'asc';
            if (typeof o !== 'string') fail('sortBy order argument must be a string');
            if (o === 'desc') desc = true;
            else if (o !== 'asc') fail('unknown order, use asc or desc');
          },
        },
      );
      f.ctx.step(items.length * Math.max(1, Math.ceil(Math.log2(items.length + 1))));
      const less = (a: number, b: number): boolean => order(keys[a], keys[b], '<', ['int64', 'int64']) < 0;
      const idx = stableSort(
        items.map((_, i) => i),
        (a, b) => (desc ? less(b, a) : less(a, b)),
      );
      f.ctx.memGrow(scope.len);
      return idx.map((i) => items[i]);
    });
  },
  reduce: (node, st) => {
    const p = parts(node, st);
    const init = node.args[2] ? compileNode(node.args[2], st) : undefined;
    return guarded(p.loc, (f) => {
      const pred = p.pred as Compiled;
      const scope = iterate(
        f,
        p,
        (s) => {
          s.acc = pred(f);
          return false;
        },
        {
          init: (s) => {
            if (init) s.acc = init(f);
            else {
              if (s.len === 0) fail('reduce of empty array with no initial value');
              s.acc = s.item(0);
              s.index = 1;
            }
          },
        },
      );
      return scope.acc;
    });
  },
};

function findLoop(
  node: NodeOf<'Builtin'>,
  st: CompileState,
  how: { backwards: boolean; wantIndex: boolean },
): Compiled {
  const { backwards, wantIndex } = how;
  const p = parts(node, st);
  const map = node.map ? compileNode(node.map, st) : undefined;
  const throws = node.throws === true;
  return guarded(p.loc, (f) => {
    let found = false;
    let out: unknown = null;
    iterate(
      f,
      p,
      (s) => {
        if (!predicateBool(p, f)) return false;
        found = true;
        out = wantIndex ? s.index : map ? map(f) : s.item(s.index);
        return true;
      },
      { backwards },
    );
    if (!found && throws) fail('reflect: slice index out of range');
    return out;
  });
}
