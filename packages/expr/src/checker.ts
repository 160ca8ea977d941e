// expr's type checker, run with no environment (as Argo CD compiles triggers): names are unknown, so
// only literals, operators and builtins are checked — `1 == "1"`, `1 + "a"`, `nil and true`, a bad
// regex literal and `not x in ["a"]` fail to compile exactly as they do in expr.
import { compileGoRegexp } from '@capstan/gocompat';
import type { Node, NodeOf } from './ast.ts';
import { BUILTIN_NAMES } from './builtin-names.ts';
import {
  anyArray,
  assignableTo,
  comparableTo,
  elemOf,
  isNumber,
  isUnknown,
  maybeCompatible,
  N,
  natureString,
  reflectTypeString,
  stringArray,
  type Nature,
} from './nature.ts';

export class CheckError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

interface PredicateScope {
  collection: Nature;
  vars: Record<string, Nature>;
}

interface Signature {
  readonly params: readonly Nature[];
  readonly out: Nature;
}

const S = N.string;
const I = N.int;
const A = N.any;
const sig = (params: Nature[], out: Nature): Signature => ({ params, out });

/** Builtins that expr types by overloads (Types), tried in order. */
const OVERLOADS: Readonly<Record<string, readonly Signature[]>> = {
  type: [sig([A], S)],
  string: [sig([A], S)],
  trim: [sig([S], S), sig([S, S], S)],
  trimPrefix: [sig([S, S], S), sig([S], S)],
  trimSuffix: [sig([S, S], S), sig([S], S)],
  upper: [sig([S], S)],
  lower: [sig([S], S)],
  split: [sig([S, S], stringArray), sig([S, S, I], stringArray)],
  splitAfter: [sig([S, S], stringArray), sig([S, S, I], stringArray)],
  replace: [sig([S, S, S, I], S), sig([S, S, S], S)],
  repeat: [sig([S, I], S)],
  join: [
    sig([stringArray, S], S),
    sig([anyArray, S], S),
    sig([anyArray], S),
    sig([stringArray, S], S),
    sig([stringArray], S),
  ],
  indexOf: [sig([S, S], I)],
  lastIndexOf: [sig([S, S], I)],
  hasPrefix: [sig([S, S], N.bool)],
  hasSuffix: [sig([S, S], N.bool)],
  toJSON: [sig([A], S)],
  fromJSON: [sig([S], A)],
  toBase64: [sig([S], S)],
  fromBase64: [sig([S], S)],
  duration: [sig([S], N.duration)],
  timezone: [sig([S], N.location)],
  sort: [
    sig([anyArray, S], anyArray),
    sig([N.arrayOf(I, '[]int'), S], anyArray),
    sig([N.arrayOf(N.float, '[]float64'), S], anyArray),
    sig([stringArray, S], anyArray),
    sig([anyArray], anyArray),
    sig([N.arrayOf(N.float, '[]float64')], anyArray),
    sig([stringArray], anyArray),
    sig([N.arrayOf(I, '[]int')], anyArray),
  ],
  bitand: [sig([I, I], I)],
  bitor: [sig([I, I], I)],
  bitxor: [sig([I, I], I)],
  bitnand: [sig([I, I], I)],
  bitshl: [sig([I, I], I)],
  bitshr: [sig([I, I], I)],
  bitushr: [sig([I, I], I)],
  bitnot: [sig([I], I)],
};

type Kind =
  | 'interface'
  | 'array'
  | 'map'
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'invalid'
  | 'struct'
  | 'ptr'
  | 'other';

function kindOf(n: Nature): Kind {
  switch (n.k) {
    case 'unknown':
    case 'any':
      return 'interface';
    case 'nil':
      return 'invalid';
    case 'array':
    case 'bytes':
      return 'array';
    case 'map':
      return 'map';
    case 'string':
      return 'string';
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'bool':
      return 'bool';
    case 'time':
      return 'struct';
    case 'duration':
      return 'int';
    case 'location':
      return 'ptr';
    case 'func':
    case 'predicate':
      return 'other';
  }
}

const numericKind = (k: Kind): boolean => k === 'int' || k === 'float';

function argsCount(name: string, args: Nature[], n: number): void {
  if (args.length !== n) throw new Error(`invalid number of arguments (expected ${n}, got ${args.length})`);
  void name;
}

/** Builtins that expr types with a Validate function. They return the result nature or throw. */
const VALIDATORS: Readonly<Record<string, (args: Nature[]) => Nature>> = {
  len: (args) => {
    argsCount('len', args, 1);
    const k = kindOf(args[0] as Nature);
    if (k === 'array' || k === 'map' || k === 'string' || k === 'interface') return I;
    throw new Error(`invalid argument for len (type ${reflectTypeString(args[0] as Nature)})`);
  },
  abs: (args) => {
    argsCount('abs', args, 1);
    const a = args[0] as Nature;
    const k = kindOf(a);
    if (numericKind(k) || k === 'interface') return a.k === 'unknown' ? A : a;
    throw new Error(`invalid argument for abs (type ${reflectTypeString(a)})`);
  },
  ceil: (args) => validateRound('ceil', args),
  floor: (args) => validateRound('floor', args),
  round: (args) => validateRound('round', args),
  int: (args) => {
    argsCount('int', args, 1);
    const k = kindOf(args[0] as Nature);
    if (k === 'interface' || numericKind(k) || k === 'string') return I;
    throw new Error(`invalid argument for int (type ${reflectTypeString(args[0] as Nature)})`);
  },
  float: (args) => {
    argsCount('float', args, 1);
    const k = kindOf(args[0] as Nature);
    if (k === 'interface' || numericKind(k) || k === 'string') return N.float;
    throw new Error(`invalid argument for float (type ${reflectTypeString(args[0] as Nature)})`);
  },
  max: (args) => validateAggregate('max', args),
  min: (args) => validateAggregate('min', args),
  mean: (args) => validateAggregate('mean', args),
  median: (args) => validateAggregate('median', args),
  now: (args) => {
    if (args.length === 0) return N.time;
    if (args.length === 1 && (args[0] as Nature).k === 'location') return N.time;
    throw new Error(`invalid number of arguments (expected 0, got ${args.length})`);
  },
  date: (args) => {
    if (args.length < 1)
      throw new Error(`invalid number of arguments (expected at least 1, got ${args.length})`);
    const rest = (args[0] as Nature).k === 'location' ? args.slice(1) : args;
    if (rest.length > 3)
      throw new Error(`invalid number of arguments (expected at most 3, got ${rest.length})`);
    return N.time;
  },
  first: (args) => firstLast('first', args),
  last: (args) => firstLast('last', args),
  take: (args) => {
    argsCount('take', args, 2);
    const k0 = kindOf(args[0] as Nature);
    if (k0 !== 'interface' && k0 !== 'array')
      throw new Error(`cannot take from ${reflectTypeString(args[0] as Nature)}`);
    const k1 = kindOf(args[1] as Nature);
    if (k1 !== 'interface' && k1 !== 'int')
      throw new Error(`cannot take ${reflectTypeString(args[1] as Nature)} elements`);
    return (args[0] as Nature).k === 'unknown' ? A : (args[0] as Nature);
  },
  keys: (args) => mapToArray('cannot get keys from', args),
  values: (args) => mapToArray('cannot get values from', args),
  toPairs: (args) => mapToArray('cannot transform', args, ' to pairs'),
  fromPairs: (args) => {
    argsCount('fromPairs', args, 1);
    const k = kindOf(args[0] as Nature);
    if (k === 'interface' || k === 'array') return N.anyMap;
    throw new Error(`cannot transform ${reflectTypeString(args[0] as Nature)} from pairs`);
  },
  reverse: (args) => arrayOnly('cannot reverse', args),
  uniq: (args) => arrayOnly('cannot uniq', args),
  flatten: (args) => arrayOnly('cannot flatten', args),
  concat: (args) => {
    if (args.length === 0) throw new Error('invalid number of arguments (expected at least 1, got 0)');
    for (const a of args) {
      const k = kindOf(a);
      if (k !== 'interface' && k !== 'array') throw new Error(`cannot concat ${reflectTypeString(a)}`);
    }
    return anyArray;
  },
};

function validateRound(name: string, args: Nature[]): Nature {
  argsCount(name, args, 1);
  const k = kindOf(args[0] as Nature);
  if (numericKind(k) || k === 'interface') return N.float;
  throw new Error(`invalid argument for ${name} (type ${reflectTypeString(args[0] as Nature)})`);
}

function validateAggregate(name: string, args: Nature[]): Nature {
  if (args.length === 0) throw new Error(`not enough arguments to call ${name}`);
  for (const a of args) {
    const k = kindOf(a);
    if (k === 'interface' || k === 'array') return A;
    if (!numericKind(k)) throw new Error(`invalid argument for ${name} (type ${reflectTypeString(a)})`);
  }
  return args[0] as Nature;
}

function firstLast(name: string, args: Nature[]): Nature {
  argsCount(name, args, 1);
  const a = args[0] as Nature;
  const k = kindOf(a);
  if (k === 'interface') return A;
  if (k === 'array') return elemOf(a);
  throw new Error(`cannot get ${name} element from ${reflectTypeString(a)}`);
}

function mapToArray(prefix: string, args: Nature[], suffix = ''): Nature {
  argsCount('', args, 1);
  const k = kindOf(args[0] as Nature);
  if (k === 'interface' || k === 'map') return anyArray;
  throw new Error(`${prefix} ${reflectTypeString(args[0] as Nature)}${suffix}`);
}

function arrayOnly(prefix: string, args: Nature[]): Nature {
  argsCount('', args, 1);
  const k = kindOf(args[0] as Nature);
  if (k === 'interface' || k === 'array') return anyArray;
  throw new Error(`${prefix} ${reflectTypeString(args[0] as Nature)}`);
}

const TIME_METHODS = new Set([
  'Add',
  'AddDate',
  'After',
  'Before',
  'Compare',
  'Day',
  'Equal',
  'Format',
  'Hour',
  'In',
  'IsZero',
  'Local',
  'Minute',
  'Month',
  'Nanosecond',
  'Round',
  'Second',
  'String',
  'Sub',
  'Truncate',
  'UTC',
  'Unix',
  'UnixMicro',
  'UnixMilli',
  'UnixNano',
  'Weekday',
  'Year',
  'YearDay',
  'Zone',
]);
const DURATION_METHODS = new Set([
  'Abs',
  'Hours',
  'Microseconds',
  'Milliseconds',
  'Minutes',
  'Nanoseconds',
  'Round',
  'Seconds',
  'String',
  'Truncate',
]);

export class Checker {
  private readonly predicateScopes: PredicateScope[] = [];
  private readonly varScopes: { name: string; nature: Nature }[] = [];

  private error(node: Node | { loc: number }, message: string): never {
    throw new CheckError(message, node.loc);
  }

  check(node: Node): Nature {
    return this.visit(node);
  }

  private visit(node: Node): Nature {
    const nt = this.visitInner(node);
    node.nature = nt;
    return nt;
  }

  private visitInner(node: Node): Nature {
    switch (node.kind) {
      case 'Nil':
        return N.nil;
      case 'Identifier':
        for (let i = this.varScopes.length - 1; i >= 0; i--) {
          const s = this.varScopes[i] as { name: string; nature: Nature };
          if (s.name === node.value) return s.nature;
        }
        return N.unknown;
      case 'Integer':
        return N.int;
      case 'Float':
        return N.float;
      case 'Bool':
        return N.bool;
      case 'String':
        return N.string;
      case 'Bytes':
        return N.bytes;
      case 'Constant':
        return node.nature ?? N.unknown;
      case 'Unary':
        return this.unary(node);
      case 'Binary':
        return this.binary(node);
      case 'Chain':
        return this.visit(node.node);
      case 'Member':
        return this.member(node);
      case 'Slice':
        return this.slice(node);
      case 'Call':
        for (const a of node.args) this.visit(a);
        if (node.callee.kind === 'Identifier' && node.callee.value === '$env')
          this.error(node, 'unknown is not callable');
        this.visit(node.callee);
        return N.unknown;
      case 'Builtin':
        return this.builtin(node);
      case 'Predicate': {
        const out = this.visit(node.node);
        return { k: 'predicate', out };
      }
      case 'Pointer':
        return this.pointer(node);
      case 'VariableDeclarator': {
        if (BUILTIN_NAMES.has(node.name) || OVERLOADS[node.name] !== undefined)
          this.error(node, `cannot redeclare builtin ${node.name}`);
        if (this.varScopes.some((s) => s.name === node.name))
          this.error(node, `cannot redeclare variable ${node.name}`);
        const nature = this.visit(node.value);
        this.varScopes.push({ name: node.name, nature });
        const out = this.visit(node.expr);
        this.varScopes.pop();
        return out;
      }
      case 'Sequence': {
        let last: Nature = N.unknown;
        for (const n of node.nodes) last = this.visit(n);
        return last;
      }
      case 'Conditional':
        return this.conditional(node);
      case 'Array': {
        let prev: Nature | undefined;
        let same = true;
        for (const n of node.nodes) {
          const cur = this.visit(n);
          if (prev !== undefined && cur.k !== prev.k) same = false;
          prev = cur;
        }
        if (same) return N.arrayOf(prev ?? N.unknown);
        return anyArray;
      }
      case 'Map':
        for (const p of node.pairs) {
          this.visit(p.key);
          this.visit(p.value);
        }
        return N.stringMap;
    }
  }

  private unary(node: NodeOf<'Unary'>): Nature {
    const nt = this.visit(node.node);
    switch (node.op) {
      case '!':
      case 'not':
        if (nt.k === 'bool' || isUnknown(nt)) return N.bool;
        break;
      case '+':
      case '-':
        if (isNumber(nt)) return nt;
        if (isUnknown(nt)) return N.unknown;
        break;
      default:
        this.error(node, `unknown operator (${node.op})`);
    }
    return this.error(node, `invalid operation: ${node.op} (mismatched type ${natureString(nt)})`);
  }

  private binary(node: NodeOf<'Binary'>): Nature {
    const l = this.visit(node.left);
    const r = this.visit(node.right);
    const promote = (): Nature =>
      isUnknown(l) || isUnknown(r) ? N.unknown : l.k === 'float' || r.k === 'float' ? N.float : N.int;
    switch (node.op) {
      case '==':
      case '!=':
        if (comparableTo(l, r)) return N.bool;
        break;
      case 'or':
      case '||':
      case 'and':
      case '&&':
        if (l.k === 'bool' && r.k === 'bool') return N.bool;
        if (maybeCompatible(l, r, 'bool')) return N.bool;
        break;
      case '<':
      case '>':
      case '>=':
      case '<=':
        if (isNumber(l) && isNumber(r)) return N.bool;
        if (l.k === 'string' && r.k === 'string') return N.bool;
        if (l.k === 'time' && r.k === 'time') return N.bool;
        if (l.k === 'duration' && r.k === 'duration') return N.bool;
        if (maybeCompatible(l, r, 'number', 'string', 'time', 'duration')) return N.bool;
        break;
      case '-':
        if (isNumber(l) && isNumber(r)) return promote();
        if (l.k === 'time' && r.k === 'time') return N.duration;
        if (l.k === 'time' && r.k === 'duration') return N.time;
        if (l.k === 'duration' && r.k === 'duration') return N.duration;
        if (maybeCompatible(l, r, 'number', 'time', 'duration')) return N.unknown;
        break;
      case '*':
        if (isNumber(l) && isNumber(r)) return promote();
        if (isNumber(l) && r.k === 'duration') return N.duration;
        if (l.k === 'duration' && isNumber(r)) return N.duration;
        if (l.k === 'duration' && r.k === 'duration') return N.duration;
        if (maybeCompatible(l, r, 'number', 'duration')) return N.unknown;
        break;
      case '/':
      case '**':
      case '^':
        if (isNumber(l) && isNumber(r)) return N.float;
        if (maybeCompatible(l, r, 'number')) return N.float;
        break;
      case '%':
        if (l.k === 'int' && r.k === 'int') return N.int;
        if (maybeCompatible(l, r, 'integer')) return N.int;
        break;
      case '+':
        if (isNumber(l) && isNumber(r)) return promote();
        if (l.k === 'string' && r.k === 'string') return N.string;
        if (l.k === 'time' && r.k === 'duration') return N.time;
        if (l.k === 'duration' && r.k === 'time') return N.time;
        if (l.k === 'duration' && r.k === 'duration') return N.duration;
        if (maybeCompatible(l, r, 'number', 'string', 'time', 'duration')) return N.unknown;
        break;
      case 'in':
        if (r.k === 'map') {
          if (!isUnknown(l) && !assignableTo(l, r.key))
            this.error(node, `cannot use ${natureString(l)} as type ${natureString(r.key)} in map key`);
          return N.bool;
        }
        if (r.k === 'array') {
          if (!comparableTo(l, r.elem))
            this.error(node, `cannot use ${natureString(l)} as type ${natureString(r.elem)} in array`);
          return N.bool;
        }
        if (isUnknown(l) && r.k === 'string') return N.bool;
        if (isUnknown(r)) return N.bool;
        break;
      case 'matches':
        if (node.right.kind === 'String') {
          try {
            compileGoRegexp(node.right.value);
          } catch (e) {
            this.error(node, (e as Error).message);
          }
        }
        if ((l.k === 'string' || l.k === 'bytes') && r.k === 'string') return N.bool;
        if (maybeCompatible(l, r, 'string')) return N.bool;
        break;
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        if (l.k === 'string' && r.k === 'string') return N.bool;
        if (maybeCompatible(l, r, 'string')) return N.bool;
        break;
      case '..':
        if ((l.k === 'int' && r.k === 'int') || maybeCompatible(l, r, 'integer')) return N.arrayOf(N.int);
        break;
      case '??':
        if (l.k === 'nil' && r.k !== 'nil') return r;
        if (l.k !== 'nil' && r.k === 'nil') return l;
        if (l.k === 'nil' && r.k === 'nil') return N.nil;
        if (assignableTo(r, l)) return l;
        return N.unknown;
      default:
        this.error(node, `unknown operator (${node.op})`);
    }
    return this.error(
      node,
      `invalid operation: ${node.op} (mismatched types ${natureString(l)} and ${natureString(r)})`,
    );
  }

  private member(node: NodeOf<'Member'>): Nature {
    if (node.node.kind === 'Identifier' && node.node.value === '$env') {
      this.visit(node.property);
      return N.unknown;
    }
    const base = this.visit(node.node);
    const prop = this.visit(node.property);
    if (isUnknown(base)) return N.unknown;
    const name = node.property.kind === 'String' ? node.property.value : undefined;
    if (name !== undefined) {
      if (base.k === 'nil') this.error(node, `type nil has no field ${name}`);
      if (base.k === 'time' && TIME_METHODS.has(name)) return N.func;
      if (base.k === 'duration' && DURATION_METHODS.has(name)) return N.func;
    }
    switch (base.k) {
      case 'map':
        if (!assignableTo(prop, base.key) && !isUnknown(prop)) {
          this.error(
            node.property,
            `cannot use ${natureString(prop)} to get an element from ${natureString(base)}`,
          );
        }
        return base.elem;
      case 'array':
        if (prop.k !== 'int' && !isUnknown(prop))
          this.error(
            node.property,
            `array elements can only be selected using an integer (got ${natureString(prop)})`,
          );
        return base.elem;
      case 'bytes':
        if (prop.k !== 'int' && !isUnknown(prop))
          this.error(
            node.property,
            `array elements can only be selected using an integer (got ${natureString(prop)})`,
          );
        return N.int;
      case 'unknown':
      case 'any':
      case 'nil':
      case 'bool':
      case 'int':
      case 'float':
      case 'string':
      case 'time':
      case 'duration':
      case 'location':
      case 'predicate':
      case 'func':
        break;
    }
    if (name !== undefined) {
      this.error(node, `type ${natureString(base)} has no ${node.method ? 'method' : 'field'} ${name}`);
    }
    return this.error(node, `type ${natureString(base)}[${natureString(prop)}] is undefined`);
  }

  private slice(node: NodeOf<'Slice'>): Nature {
    const nt = this.visit(node.node);
    if (isUnknown(nt)) {
      if (node.from) this.visit(node.from);
      if (node.to) this.visit(node.to);
      return N.unknown;
    }
    if (nt.k !== 'string' && nt.k !== 'array' && nt.k !== 'bytes')
      this.error(node, `cannot slice ${natureString(nt)}`);
    for (const idx of [node.from, node.to]) {
      if (!idx) continue;
      const n = this.visit(idx);
      if (n.k !== 'int' && !isUnknown(n)) this.error(idx, `non-integer slice index ${natureString(n)}`);
    }
    return nt;
  }

  private conditional(node: NodeOf<'Conditional'>): Nature {
    const c = this.visit(node.cond);
    if (c.k !== 'bool' && !isUnknown(c))
      this.error(node.cond, `non-bool expression (type ${natureString(c)}) used as condition`);
    const t1 = this.visit(node.exp1);
    const t2 = this.visit(node.exp2);
    if (t1.k === 'nil' && t2.k !== 'nil') return t2;
    if (t1.k !== 'nil' && t2.k === 'nil') return t1;
    if (t1.k === 'nil' && t2.k === 'nil') return N.nil;
    if (assignableTo(t1, t2)) {
      if (
        t1.k === 'array' &&
        t2.k === 'array' &&
        (!assignableTo(t1.elem, t2.elem) || !assignableTo(t2.elem, t1.elem))
      )
        return anyArray;
      return t1;
    }
    return N.unknown;
  }

  private pointer(node: NodeOf<'Pointer'>): Nature {
    const scope = this.predicateScopes[this.predicateScopes.length - 1];
    if (!scope) this.error(node, 'cannot use pointer accessor outside predicate');
    if (node.name === '') {
      if (isUnknown(scope.collection)) return N.unknown;
      if (scope.collection.k === 'array') return scope.collection.elem;
      this.error(node, `cannot use ${natureString(scope.collection)} as array`);
    }
    const v = Object.hasOwn(scope.vars, node.name) ? scope.vars[node.name] : undefined;
    if (v) return v;
    return this.error(node, `unknown pointer #${node.name}`);
  }

  private collection(node: NodeOf<'Builtin'>): Nature {
    const arg = node.args[0] as Node;
    const c = this.visit(arg);
    if (c.k !== 'array' && !isUnknown(c))
      this.error(arg, `builtin ${node.name} takes only array (got ${natureString(c)})`);
    return c;
  }

  private predicate(node: NodeOf<'Builtin'>, collection: Nature, vars: Record<string, Nature> = {}): Nature {
    this.predicateScopes.push({ collection, vars });
    try {
      const p = this.visit(node.args[1] as Node);
      return p.k === 'predicate' ? p.out : N.unknown;
    } finally {
      this.predicateScopes.pop();
    }
  }

  private boolPredicate(node: NodeOf<'Builtin'>, collection: Nature): void {
    const out = this.predicate(node, collection);
    if (out.k !== 'bool' && !isUnknown(out))
      this.error(node.args[1] as Node, `predicate should return boolean (got ${natureString(out)})`);
  }

  private builtin(node: NodeOf<'Builtin'>): Nature {
    switch (node.name) {
      case 'all':
      case 'none':
      case 'any':
      case 'one':
        this.boolPredicate(node, this.collection(node));
        return N.bool;
      case 'filter': {
        const c = this.collection(node);
        this.boolPredicate(node, c);
        if (node.map) return anyArray;
        return isUnknown(c) ? anyArray : N.arrayOf(elemOf(c));
      }
      case 'map': {
        const c = this.collection(node);
        return N.arrayOf(this.predicate(node, c, { index: N.int }));
      }
      case 'count': {
        const c = this.collection(node);
        if (node.args.length === 1) return N.int;
        this.boolPredicate(node, c);
        return N.int;
      }
      case 'sum': {
        const c = this.collection(node);
        if (node.args.length === 2) return this.predicate(node, c);
        return isUnknown(c) ? N.unknown : elemOf(c);
      }
      case 'find':
      case 'findLast': {
        const c = this.collection(node);
        this.boolPredicate(node, c);
        return isUnknown(c) ? N.unknown : elemOf(c);
      }
      case 'findIndex':
      case 'findLastIndex':
        this.boolPredicate(node, this.collection(node));
        return N.int;
      case 'groupBy':
        this.predicate(node, this.collection(node));
        return N.groupMap;
      case 'sortBy': {
        const c = this.collection(node);
        this.predicate(node, c);
        if (node.args.length === 3) {
          const order = this.visit(node.args[2] as Node);
          if (order.k !== 'string' && !isUnknown(order)) {
            this.error(
              node.args[2] as Node,
              `sortBy order argument must be a string (got ${natureString(order)})`,
            );
          }
        }
        return c;
      }
      case 'reduce': {
        const c = this.collection(node);
        const out = this.predicate(node, c, { index: N.int, acc: N.unknown });
        if (node.args.length === 3) this.visit(node.args[2] as Node);
        return out;
      }
      case 'get':
        return this.builtinGet(node);
      default:
        break;
    }
    const validate = VALIDATORS[node.name];
    if (validate) {
      const args = node.args.map((a) => this.visit(a));
      try {
        return validate(args);
      } catch (e) {
        return this.error(node, (e as Error).message);
      }
    }
    const overloads = OVERLOADS[node.name];
    if (!overloads) return this.error(node, `unknown builtin ${node.name}`);
    let lastErr: CheckError | undefined;
    for (const s of overloads) {
      try {
        return this.checkArguments(node.name, s, node.args, node);
      } catch (e) {
        if (!(e instanceof CheckError)) throw e;
        lastErr = e;
      }
    }
    throw lastErr ?? new CheckError(`no matching overload for ${node.name}`, node.loc);
  }

  private builtinGet(node: NodeOf<'Builtin'>): Nature {
    if (node.args.length !== 2)
      this.error(node, `invalid number of arguments (expected 2, got ${node.args.length})`);
    const base = this.visit(node.args[0] as Node);
    const prop = this.visit(node.args[1] as Node);
    if (isUnknown(base)) return N.unknown;
    if (base.k === 'array') {
      if (prop.k !== 'int' && !isUnknown(prop))
        this.error(node.args[1] as Node, `non-integer slice index ${natureString(prop)}`);
      return base.elem;
    }
    if (base.k === 'map') {
      if (!assignableTo(prop, base.key) && !isUnknown(prop)) {
        this.error(
          node.args[1] as Node,
          `cannot use ${natureString(prop)} to get an element from ${natureString(base)}`,
        );
      }
      return base.elem;
    }
    return this.error(node.args[0] as Node, `type ${natureString(base)} does not support indexing`);
  }

  private checkArguments(name: string, s: Signature, args: Node[], node: Node): Nature {
    if (args.length > s.params.length) {
      for (const a of args) this.visit(a);
      throw new CheckError(`too many arguments to call ${name}`, node.loc);
    }
    if (args.length < s.params.length) {
      for (const a of args) this.visit(a);
      throw new CheckError(`not enough arguments to call ${name}`, node.loc);
    }
    args.forEach((arg, i) => {
      const a = this.visit(arg);
      const inN = s.params[i] as Nature;
      if (inN.k === 'float' && a.k === 'int') return;
      if (a.k === 'nil') {
        if (inN.k === 'any' || inN.k === 'location') return;
        throw new CheckError(
          `cannot use nil as argument (type ${natureString(inN)}) to call ${name}`,
          arg.loc,
        );
      }
      if (!assignableTo(a, inN) && !isUnknown(a)) {
        throw new CheckError(
          `cannot use ${natureString(a)} as argument (type ${natureString(inN)}) to call ${name} `,
          arg.loc,
        );
      }
    });
    return s.out;
  }
}
