// expr's optimizer passes that change what a program observably does: constant folding (which is
// where `7 % 0` becomes a compile error), the all-string-literal `in` array that becomes a map
// lookup (with its nil → "" quirk), `filter(…)[0]` → find, `sum(1..n)` folded at compile time.
import type { Node, NodeOf } from './ast.ts';
import { N, type Nature } from './nature.ts';

export class OptimizeError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** The map constant an `in` over literal strings (or ints) becomes. */
export class ConstSet {
  readonly keyType: 'string' | 'int';
  readonly values: ReadonlySet<string | number>;
  constructor(keyType: 'string' | 'int', values: Set<string | number>) {
    this.keyType = keyType;
    this.values = values;
  }
}

type Visitor = (node: Node, replace: (n: Node) => void) => void;

/** Post-order walk, children first, like expr's ast.Walk; `replace` swaps the node in its parent. */
function walk(root: { node: Node }, visit: Visitor): void {
  const rec = (get: () => Node, set: (n: Node) => void): void => {
    const n = get();
    switch (n.kind) {
      case 'Unary':
      case 'Chain':
      case 'Predicate':
        rec(
          () => n.node,
          (x) => (n.node = x),
        );
        break;
      case 'Binary':
        rec(
          () => n.left,
          (x) => (n.left = x),
        );
        rec(
          () => n.right,
          (x) => (n.right = x),
        );
        break;
      case 'Member':
        rec(
          () => n.node,
          (x) => (n.node = x),
        );
        rec(
          () => n.property,
          (x) => (n.property = x),
        );
        break;
      case 'Slice':
        rec(
          () => n.node,
          (x) => (n.node = x),
        );
        if (n.from) {
          rec(
            () => n.from as Node,
            (x) => (n.from = x),
          );
        }
        if (n.to) {
          rec(
            () => n.to as Node,
            (x) => (n.to = x),
          );
        }
        break;
      case 'Call':
        rec(
          () => n.callee,
          (x) => (n.callee = x),
        );
        n.args.forEach((_, i) =>
          rec(
            () => n.args[i] as Node,
            (x) => (n.args[i] = x),
          ),
        );
        break;
      case 'Builtin':
        n.args.forEach((_, i) =>
          rec(
            () => n.args[i] as Node,
            (x) => (n.args[i] = x),
          ),
        );
        if (n.map) {
          rec(
            () => n.map as Node,
            (x) => (n.map = x),
          );
        }
        break;
      case 'VariableDeclarator':
        rec(
          () => n.value,
          (x) => (n.value = x),
        );
        rec(
          () => n.expr,
          (x) => (n.expr = x),
        );
        break;
      case 'Sequence':
      case 'Array':
        n.nodes.forEach((_, i) =>
          rec(
            () => n.nodes[i] as Node,
            (x) => (n.nodes[i] = x),
          ),
        );
        break;
      case 'Conditional':
        rec(
          () => n.cond,
          (x) => (n.cond = x),
        );
        rec(
          () => n.exp1,
          (x) => (n.exp1 = x),
        );
        rec(
          () => n.exp2,
          (x) => (n.exp2 = x),
        );
        break;
      case 'Map':
        for (const p of n.pairs) {
          rec(
            () => p.key,
            (x) => (p.key = x),
          );
          rec(
            () => p.value,
            (x) => (p.value = x),
          );
        }
        break;
      case 'Nil':
      case 'Identifier':
      case 'Integer':
      case 'Float':
      case 'Bool':
      case 'String':
      case 'Bytes':
      case 'Constant':
      case 'Pointer':
        break;
    }
    visit(get(), set);
  };
  rec(
    () => root.node,
    (x) => (root.node = x),
  );
}

const typed = <T extends Node>(n: T, nature: Nature): T => {
  n.nature = nature;
  return n;
};

function int64(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

function inArray(node: Node, replace: (n: Node) => void): void {
  if (
    node.kind !== 'Binary' ||
    node.op !== 'in' ||
    node.right.kind !== 'Array' ||
    node.right.nodes.length === 0
  )
    return;
  const nodes = node.right.nodes;
  if (node.left.nature?.k === 'int' && nodes.every((n) => n.kind === 'Integer')) {
    const set = new Set<number>(nodes.map((n) => n.value));
    node.right = typed({ kind: 'Constant', value: new ConstSet('int', set), loc: node.right.loc }, N.unknown);
    replace(node);
    return;
  }
  if (nodes.every((n) => n.kind === 'String')) {
    const set = new Set<string>(nodes.map((n) => n.value));
    node.right = typed(
      { kind: 'Constant', value: new ConstSet('string', set), loc: node.right.loc },
      N.unknown,
    );
    replace(node);
  }
}

class Fold {
  applied = false;

  visit = (node: Node, replace: (n: Node) => void): void => {
    const patch = (n: Node, nature: Nature): void => {
      this.applied = true;
      replace(typed(n, nature));
    };
    const patchCopy = (n: Node): void => {
      this.applied = true;
      n.nature = node.nature ?? N.unknown;
      replace(n);
    };
    const loc = node.loc;
    switch (node.kind) {
      case 'Unary': {
        const x = node.node;
        if (node.op === '-' || node.op === '+') {
          const sign = node.op === '-' ? -1 : 1;
          if (x.kind === 'Integer')
            patch({ kind: 'Integer', value: sign === -1 ? int64(-BigInt(x.value)) : x.value, loc }, N.int);
          else if (x.kind === 'Float') patch({ kind: 'Float', value: sign * x.value, loc }, N.float);
        } else if ((node.op === '!' || node.op === 'not') && x.kind === 'Bool') {
          patch({ kind: 'Bool', value: !x.value, loc }, N.bool);
        }
        return;
      }
      case 'Binary':
        this.binary(node, patch, patchCopy);
        return;
      case 'Array': {
        if (node.nodes.length === 0) return;
        if (
          !node.nodes.every(
            (n) => n.kind === 'Integer' || n.kind === 'Float' || n.kind === 'String' || n.kind === 'Bool',
          )
        )
          return;
        const values = node.nodes.map((n) => {
          const lit = n as NodeOf<'Integer' | 'Float' | 'String' | 'Bool'>;
          return lit.kind === 'Float' ? { float: lit.value } : lit.value;
        });
        patch({ kind: 'Constant', value: new ConstArray(values), loc }, node.nature ?? N.unknown);
        return;
      }
      case 'Builtin': {
        if (node.name !== 'filter' || node.args.length !== 2) return;
        const base = node.args[0] as Node;
        if (base.kind !== 'Builtin' || base.name !== 'filter' || base.args.length !== 2) return;
        const p1 = base.args[1] as NodeOf<'Predicate'>;
        const p2 = node.args[1] as NodeOf<'Predicate'>;
        patchCopy({
          kind: 'Builtin',
          name: 'filter',
          args: [
            base.args[0] as Node,
            typed(
              {
                kind: 'Predicate',
                node: typed({ kind: 'Binary', op: '&&', left: p1.node, right: p2.node, loc }, N.bool),
                loc,
              },
              p2.nature ?? N.unknown,
            ),
          ],
          loc,
        });
        return;
      }
      case 'Nil':
      case 'Identifier':
      case 'Integer':
      case 'Float':
      case 'Bool':
      case 'String':
      case 'Bytes':
      case 'Constant':
      case 'Pointer':
      case 'Call':
      case 'Chain':
      case 'Conditional':
      case 'Map':
      case 'Member':
      case 'Predicate':
      case 'Sequence':
      case 'Slice':
      case 'VariableDeclarator':
        return;
    }
  };

  private binary(
    node: NodeOf<'Binary'>,
    patch: (n: Node, nature: Nature) => void,
    patchCopy: (n: Node) => void,
  ): void {
    const { left: l, right: r, loc } = node;
    const li = l.kind === 'Integer' ? l.value : undefined;
    const ri = r.kind === 'Integer' ? r.value : undefined;
    const lf = l.kind === 'Float' ? l.value : li;
    const rf = r.kind === 'Float' ? r.value : ri;
    const bothNum = lf !== undefined && rf !== undefined;
    const bothInt = li !== undefined && ri !== undefined;
    const floatNode = (v: number): void => patch({ kind: 'Float', value: v, loc }, N.float);
    switch (node.op) {
      case '+':
        if (bothInt) patch({ kind: 'Integer', value: int64(BigInt(li) + BigInt(ri)), loc }, N.int);
        else if (bothNum) floatNode(lf + rf);
        else if (l.kind === 'String' && r.kind === 'String')
          patch({ kind: 'String', value: l.value + r.value, loc }, N.string);
        return;
      case '-':
        if (bothInt) patch({ kind: 'Integer', value: int64(BigInt(li) - BigInt(ri)), loc }, N.int);
        else if (bothNum) floatNode(lf - rf);
        return;
      case '*':
        if (bothInt) patch({ kind: 'Integer', value: int64(BigInt(li) * BigInt(ri)), loc }, N.int);
        else if (bothNum) floatNode(lf * rf);
        return;
      case '/':
        if (bothNum) floatNode(lf / rf);
        return;
      case '%':
        if (bothInt) {
          if (ri === 0) throw new OptimizeError('integer divide by zero', node.loc);
          patch({ kind: 'Integer', value: int64(BigInt(li) % BigInt(ri)), loc }, N.int);
        }
        return;
      case '**':
      case '^':
        if (bothNum) floatNode(Math.pow(lf, rf));
        return;
      case 'and':
      case '&&': {
        const a = l.kind === 'Bool' ? l.value : undefined;
        const b = r.kind === 'Bool' ? r.value : undefined;
        if (a === true) patchCopy(r);
        else if (b === true) patchCopy(l);
        else if (a === false || b === false) patch({ kind: 'Bool', value: false, loc }, N.bool);
        return;
      }
      case 'or':
      case '||': {
        const a = l.kind === 'Bool' ? l.value : undefined;
        const b = r.kind === 'Bool' ? r.value : undefined;
        if (a === false) patchCopy(r);
        else if (b === false) patchCopy(l);
        else if (a === true || b === true) patch({ kind: 'Bool', value: true, loc }, N.bool);
        return;
      }
      case '==':
        if (bothInt) patch({ kind: 'Bool', value: li === ri, loc }, N.bool);
        else if (l.kind === 'String' && r.kind === 'String')
          patch({ kind: 'Bool', value: l.value === r.value, loc }, N.bool);
        else if (l.kind === 'Bool' && r.kind === 'Bool')
          patch({ kind: 'Bool', value: l.value === r.value, loc }, N.bool);
        return;
      default:
        return;
    }
  }
}

/** A folded literal array; floats are marked so integral ones stay floats. */
export class ConstArray {
  readonly values: readonly (string | number | boolean | { float: number })[];
  constructor(values: (string | number | boolean | { float: number })[]) {
    this.values = values;
  }
}

function inRange(node: Node, replace: (n: Node) => void): void {
  if (node.kind !== 'Binary' || node.op !== 'in' || node.left.nature?.k !== 'int') return;
  const r = node.right;
  if (r.kind !== 'Binary' || r.op !== '..' || r.left.kind !== 'Integer' || r.right.kind !== 'Integer') return;
  const loc = node.loc;
  replace(
    typed(
      {
        kind: 'Binary',
        op: 'and',
        left: typed({ kind: 'Binary', op: '>=', left: node.left, right: r.left, loc }, N.bool),
        right: typed({ kind: 'Binary', op: '<=', left: node.left, right: r.right, loc }, N.bool),
        loc,
      },
      N.bool,
    ),
  );
}

function isFilter(n: Node | undefined): n is NodeOf<'Builtin'> {
  return n !== undefined && n.kind === 'Builtin' && n.name === 'filter' && n.args.length === 2;
}

function filterShortcuts(node: Node, replace: (n: Node) => void): void {
  const loc = node.loc;
  const swap = (name: string, f: NodeOf<'Builtin'>, throws: boolean): void => {
    const n: Node = { kind: 'Builtin', name, args: f.args, throws, loc, nature: node.nature ?? N.unknown };
    if (f.map) n.map = f.map;
    replace(n);
  };
  if (
    node.kind === 'Builtin' &&
    node.name === 'len' &&
    node.args.length === 1 &&
    isFilter(node.args[0]) &&
    !node.args[0].map
  ) {
    replace({ kind: 'Builtin', name: 'count', args: node.args[0].args, loc, nature: N.int });
    return;
  }
  if (node.kind === 'Member' && !node.optional && node.property.kind === 'Integer' && isFilter(node.node)) {
    if (node.property.value === 0) swap('find', node.node, true);
    else if (node.property.value === -1) swap('findLast', node.node, true);
    return;
  }
  if (
    node.kind === 'Builtin' &&
    (node.name === 'first' || node.name === 'last') &&
    node.args.length === 1 &&
    isFilter(node.args[0])
  ) {
    swap(node.name === 'first' ? 'find' : 'findLast', node.args[0], false);
  }
}

function sums(node: Node, replace: (n: Node) => void): void {
  if (node.kind !== 'Builtin' || node.name !== 'sum' || node.args.length !== 1) return;
  const arg = node.args[0] as Node;
  const loc = node.loc;
  if (
    arg.kind === 'Binary' &&
    arg.op === '..' &&
    arg.left.kind === 'Integer' &&
    arg.right.kind === 'Integer'
  ) {
    const m = BigInt(arg.left.value);
    const n = BigInt(arg.right.value);
    if (n >= m) replace(typed({ kind: 'Integer', value: int64(((n - m + 1n) * (m + n)) / 2n), loc }, N.int));
    return;
  }
  if (arg.kind === 'Array' && arg.nodes.length >= 2) {
    const fold = (nodes: Node[]): Node =>
      nodes.length === 2
        ? typed(
            { kind: 'Binary', op: '+', left: nodes[0] as Node, right: nodes[1] as Node, loc },
            node.nature ?? N.unknown,
          )
        : typed(
            { kind: 'Binary', op: '+', left: nodes[0] as Node, right: fold(nodes.slice(1)), loc },
            node.nature ?? N.unknown,
          );
    replace(fold(arg.nodes));
    return;
  }
  if (arg.kind === 'Builtin' && arg.name === 'map' && arg.args.length === 2) {
    replace({
      kind: 'Builtin',
      name: 'sum',
      args: [arg.args[0] as Node, arg.args[1] as Node],
      loc,
      nature: node.nature ?? N.unknown,
    });
  }
}

function countAny(node: Node, replace: (n: Node) => void): void {
  if (node.kind !== 'Binary') return;
  const c = node.left;
  if (c.kind !== 'Builtin' || c.name !== 'count' || c.args.length !== 2 || node.right.kind !== 'Integer')
    return;
  const v = node.right.value;
  if ((node.op === '>' && v === 0) || (node.op === '>=' && v === 1)) {
    replace({ kind: 'Builtin', name: 'any', args: c.args, loc: node.loc, nature: N.bool });
  }
}

export function optimize(root: Node): Node {
  const holder = { node: root };
  walk(holder, inArray);
  for (let limit = 1000; limit >= 0; limit--) {
    const fold = new Fold();
    walk(holder, fold.visit);
    if (!fold.applied) break;
  }
  walk(holder, inRange);
  walk(holder, filterShortcuts);
  walk(holder, sums);
  walk(holder, countAny);
  return holder.node;
}
