// expr's syntax tree. Nodes are mutable: the checker annotates natures, the optimizer rewrites.
import type { Nature } from './nature.ts';

interface Base {
  /** Rune offset of the node in the source, for error positions. */
  loc: number;
  nature?: Nature;
}

export type Node =
  | (Base & { kind: 'Nil' })
  | (Base & { kind: 'Identifier'; value: string })
  | (Base & { kind: 'Integer'; value: number })
  | (Base & { kind: 'Float'; value: number })
  | (Base & { kind: 'Bool'; value: boolean })
  | (Base & { kind: 'String'; value: string })
  | (Base & { kind: 'Bytes'; value: string })
  | (Base & { kind: 'Constant'; value: unknown })
  | (Base & { kind: 'Unary'; op: string; node: Node })
  | (Base & { kind: 'Binary'; op: string; left: Node; right: Node })
  | (Base & { kind: 'Chain'; node: Node })
  | (Base & { kind: 'Member'; node: Node; property: Node; optional: boolean; method: boolean })
  | (Base & { kind: 'Slice'; node: Node; from: Node | undefined; to: Node | undefined })
  | (Base & { kind: 'Call'; callee: Node; args: Node[] })
  | (Base & {
      kind: 'Builtin';
      name: string;
      args: Node[];
      /** Set by the optimizer: `filter(…)[0]` → find that throws like an index would. */
      throws?: boolean;
      /** Set by the optimizer: `map(filter(…), m)` → filter with a map step. */
      map?: Node;
    })
  | (Base & { kind: 'Predicate'; node: Node })
  | (Base & { kind: 'Pointer'; name: string })
  | (Base & { kind: 'VariableDeclarator'; name: string; value: Node; expr: Node })
  | (Base & { kind: 'Sequence'; nodes: Node[] })
  | (Base & { kind: 'Conditional'; cond: Node; exp1: Node; exp2: Node })
  | (Base & { kind: 'Array'; nodes: Node[] })
  | (Base & { kind: 'Map'; pairs: PairNode[] });

export interface PairNode extends Base {
  kind: 'Pair';
  key: Node;
  value: Node;
}

export type NodeOf<K extends Node['kind']> = Extract<Node, { kind: K }>;

/** Every direct child of a node, for generic walks. */
export function children(n: Node): Node[] {
  switch (n.kind) {
    case 'Unary':
    case 'Chain':
    case 'Predicate':
      return [n.node];
    case 'Binary':
      return [n.left, n.right];
    case 'Member':
      return [n.node, n.property];
    case 'Slice':
      return [n.node, ...(n.from ? [n.from] : []), ...(n.to ? [n.to] : [])];
    case 'Call':
      return [n.callee, ...n.args];
    case 'Builtin':
      return [...n.args, ...(n.map ? [n.map] : [])];
    case 'VariableDeclarator':
      return [n.value, n.expr];
    case 'Sequence':
    case 'Array':
      return n.nodes;
    case 'Conditional':
      return [n.cond, n.exp1, n.exp2];
    case 'Map':
      return n.pairs.flatMap((p) => [p.key, p.value]);
    case 'Nil':
    case 'Identifier':
    case 'Integer':
    case 'Float':
    case 'Bool':
    case 'String':
    case 'Bytes':
    case 'Constant':
    case 'Pointer':
      return [];
  }
}

/** A canonical text of a node, used to compare predicates' collections. */
export function nodeText(n: Node): string {
  switch (n.kind) {
    case 'Identifier':
      return n.value;
    case 'Integer':
    case 'Float':
    case 'Bool':
      return String(n.value);
    case 'String':
      return JSON.stringify(n.value);
    case 'Member':
      return `${nodeText(n.node)}${n.optional ? '?.' : '.'}[${nodeText(n.property)}]`;
    case 'Nil':
    case 'Bytes':
    case 'Constant':
    case 'Pointer':
    case 'Unary':
    case 'Binary':
    case 'Chain':
    case 'Slice':
    case 'Call':
    case 'Builtin':
    case 'Predicate':
    case 'VariableDeclarator':
    case 'Sequence':
    case 'Conditional':
    case 'Array':
    case 'Map':
      return `${n.kind}(${children(n).map(nodeText).join(',')})`;
  }
}
