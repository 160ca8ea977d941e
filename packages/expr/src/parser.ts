// expr's Pratt parser, precedence for precedence. Two limits keep hostile input from reaching the JS
// stack: a node budget (expr's own, 10,000 by default) and a nesting depth (ours: JS recursion is
// shallower than Go's).
import type { Node, PairNode } from './ast.ts';
import { BUILTIN_NAMES } from './builtin-names.ts';
import { isValidIdentifier, lex, LexError, type Token } from './lexer.ts';

export class ParseError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

export interface ParseLimits {
  readonly maxNodes: number;
  readonly maxDepth: number;
}

const LEFT = 1;
const RIGHT = 2;
const UNARY: Readonly<Record<string, number>> = { not: 50, '!': 50, '-': 90, '+': 90 };
const BINARY: Readonly<Record<string, readonly [number, number]>> = {
  '|': [0, LEFT],
  or: [10, LEFT],
  '||': [10, LEFT],
  and: [15, LEFT],
  '&&': [15, LEFT],
  '==': [20, LEFT],
  '!=': [20, LEFT],
  '<': [20, LEFT],
  '>': [20, LEFT],
  '>=': [20, LEFT],
  '<=': [20, LEFT],
  in: [20, LEFT],
  matches: [20, LEFT],
  contains: [20, LEFT],
  startsWith: [20, LEFT],
  endsWith: [20, LEFT],
  '..': [25, LEFT],
  '+': [30, LEFT],
  '-': [30, LEFT],
  '*': [60, LEFT],
  '/': [60, LEFT],
  '%': [60, LEFT],
  '**': [100, RIGHT],
  '^': [100, RIGHT],
  '??': [500, LEFT],
};
const NEGATABLE = new Set(['contains', 'matches', 'startsWith', 'endsWith', 'in']);
const COMPARISON = new Set(['<', '>', '>=', '<=']);

const EXPR = 1;
const PREDICATE = 2;
const OPTIONAL = 128;
const PREDICATES: Readonly<Record<string, readonly number[]>> = {
  all: [EXPR, PREDICATE],
  none: [EXPR, PREDICATE],
  any: [EXPR, PREDICATE],
  one: [EXPR, PREDICATE],
  filter: [EXPR, PREDICATE],
  map: [EXPR, PREDICATE],
  count: [EXPR, PREDICATE | OPTIONAL],
  sum: [EXPR, PREDICATE | OPTIONAL],
  find: [EXPR, PREDICATE],
  findIndex: [EXPR, PREDICATE],
  findLast: [EXPR, PREDICATE],
  findLastIndex: [EXPR, PREDICATE],
  groupBy: [EXPR, PREDICATE],
  sortBy: [EXPR, PREDICATE, EXPR | OPTIONAL],
  reduce: [EXPR, PREDICATE, EXPR | OPTIONAL],
};

function tokenString(t: Token): string {
  return t.value === '' ? t.kind : `${t.kind}(${JSON.stringify(t.value)})`;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private current: Token;
  private depth = 0; // predicate depth, as expr's
  private nesting = 0; // recursion depth, ours
  private nodeCount = 0;
  private readonly limits: ParseLimits;

  constructor(tokens: Token[], limits: ParseLimits) {
    this.tokens = tokens;
    this.limits = limits;
    this.current = tokens[0] as Token;
  }

  private error(message: string, token: Token = this.current): never {
    throw new ParseError(message, token.from);
  }

  private next(): void {
    if (this.pos + 1 >= this.tokens.length) {
      if (this.current.kind === 'EOF') this.error('unexpected end of expression');
      this.pos = this.tokens.length - 1;
    } else this.pos++;
    this.current = this.tokens[this.pos] as Token;
  }

  private peekIs(kind: Token['kind'], ...values: string[]): boolean {
    return is(this.current, kind, ...values);
  }

  private expect(kind: Token['kind'], ...values: string[]): void {
    if (this.peekIs(kind, ...values)) {
      this.next();
      return;
    }
    this.error(`unexpected token ${tokenString(this.current)}`);
  }

  private node<T extends Node | PairNode>(n: T): T {
    if (++this.nodeCount > this.limits.maxNodes)
      this.error('compilation failed: expression exceeds maximum allowed nodes');
    return n;
  }

  private enter(): void {
    if (++this.nesting > this.limits.maxDepth)
      this.error(`compilation failed: expression nesting exceeds maximum depth (${this.limits.maxDepth})`);
  }

  parse(): Node {
    const node = this.parseSequenceExpression();
    if (!this.peekIs('EOF')) this.error(`unexpected token ${tokenString(this.current)}`);
    return node;
  }

  private parseSequenceExpression(): Node {
    const nodes = [this.parseExpression(0)];
    while (this.peekIs('Operator', ';')) {
      this.next();
      if (this.peekIs('EOF')) break;
      nodes.push(this.parseExpression(0));
    }
    if (nodes.length === 1) return nodes[0] as Node;
    return this.node({ kind: 'Sequence', nodes, loc: (nodes[0] as Node).loc });
  }

  private parseExpression(precedence: number): Node {
    this.enter();
    try {
      return this.parseExpressionInner(precedence);
    } finally {
      this.nesting--;
    }
  }

  private parseExpressionInner(precedence: number): Node {
    if (precedence === 0 && this.peekIs('Operator', 'let')) return this.parseVariableDeclaration();
    if (precedence === 0 && this.peekIs('Operator', 'if')) return this.parseConditionalIf();

    let nodeLeft = this.parsePrimary();
    let prevOperator = '';
    let opToken = this.current;
    while (opToken.kind === 'Operator') {
      const negate = opToken.value === 'not';
      let notToken: Token | undefined;
      if (negate) {
        const backup = this.pos;
        this.next();
        if (NEGATABLE.has(this.current.value)) {
          const op = BINARY[this.current.value];
          if (op && op[0] >= precedence) {
            notToken = this.current;
            opToken = this.current;
          } else {
            this.pos = backup;
            this.current = this.tokens[backup] as Token;
            break;
          }
        } else {
          this.error(`unexpected token ${tokenString(this.current)}`);
        }
      }
      const op = Object.hasOwn(BINARY, opToken.value) ? BINARY[opToken.value] : undefined;
      if (!op || op[0] < precedence) break;
      this.next();
      if (opToken.value === '|') {
        const ident = this.current;
        this.expect('Identifier');
        nodeLeft = this.parseCall(ident, [nodeLeft]);
      } else {
        if (prevOperator === '??' && opToken.value !== '??') {
          this.error(
            `Operator (${opToken.value}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.`,
            opToken,
          );
        }
        if (COMPARISON.has(opToken.value)) {
          nodeLeft = this.parseComparison(nodeLeft, opToken, op[0]);
        } else {
          const right = this.parseExpression(op[1] === LEFT ? op[0] + 1 : op[0]);
          nodeLeft = this.node({
            kind: 'Binary',
            op: opToken.value,
            left: nodeLeft,
            right,
            loc: opToken.from,
          });
          if (negate)
            nodeLeft = this.node({ kind: 'Unary', op: 'not', node: nodeLeft, loc: (notToken as Token).from });
        }
      }
      prevOperator = opToken.value;
      opToken = this.current;
    }
    if (precedence === 0) nodeLeft = this.parseConditional(nodeLeft);
    return nodeLeft;
  }

  private parseVariableDeclaration(): Node {
    this.expect('Operator', 'let');
    const name = this.current;
    this.expect('Identifier');
    this.expect('Operator', '=');
    const value = this.parseExpression(0);
    this.expect('Operator', ';');
    const expr = this.parseSequenceExpression();
    return this.node({ kind: 'VariableDeclarator', name: name.value, value, expr, loc: name.from });
  }

  private parseConditionalIf(): Node {
    const loc = this.current.from;
    this.next();
    const cond = this.parseExpression(0);
    this.expect('Bracket', '{');
    const exp1 = this.parseSequenceExpression();
    this.expect('Bracket', '}');
    this.expect('Operator', 'else');
    let exp2: Node;
    if (this.peekIs('Operator', 'if')) {
      this.enter();
      exp2 = this.parseConditionalIf();
      this.nesting--;
    } else {
      this.expect('Bracket', '{');
      exp2 = this.parseSequenceExpression();
      this.expect('Bracket', '}');
    }
    return { kind: 'Conditional', cond, exp1, exp2, loc };
  }

  private parseConditional(node: Node): Node {
    while (this.peekIs('Operator', '?')) {
      this.next();
      let exp1: Node;
      let exp2: Node;
      if (!this.peekIs('Operator', ':')) {
        exp1 = this.parseExpression(0);
        this.expect('Operator', ':');
        exp2 = this.parseExpression(0);
      } else {
        this.next();
        exp1 = node;
        exp2 = this.parseExpression(0);
      }
      node = this.node({ kind: 'Conditional', cond: node, exp1, exp2, loc: this.current.from });
    }
    return node;
  }

  private parsePrimary(): Node {
    const token = this.current;
    if (token.kind === 'Operator' && Object.hasOwn(UNARY, token.value)) {
      this.next();
      const expr = this.parseExpression(UNARY[token.value] as number);
      const node = this.node<Node>({ kind: 'Unary', op: token.value, node: expr, loc: token.from });
      return this.parsePostfixExpression(node);
    }
    if (is(token, 'Bracket', '(')) {
      this.next();
      this.enter();
      const expr = this.parseSequenceExpression();
      this.nesting--;
      this.expect('Bracket', ')');
      return this.parsePostfixExpression(expr);
    }
    if (this.depth > 0 && (is(token, 'Operator', '#') || is(token, 'Operator', '.'))) {
      let name = '';
      if (is(token, 'Operator', '#')) {
        this.next();
        if (this.peekIs('Identifier')) {
          name = this.current.value;
          this.next();
        }
      }
      return this.parsePostfixExpression(this.node({ kind: 'Pointer', name, loc: token.from }));
    }
    if (is(token, 'Operator', '::')) {
      this.next();
      const ident = this.current;
      this.expect('Identifier');
      return this.parsePostfixExpression(this.parseCall(ident, []));
    }
    return this.parseSecondary();
  }

  private parseSecondary(): Node {
    const token = this.current;
    let node: Node;
    switch (token.kind) {
      case 'Identifier':
        this.next();
        switch (token.value) {
          case 'true':
            return this.node({ kind: 'Bool', value: true, loc: token.from });
          case 'false':
            return this.node({ kind: 'Bool', value: false, loc: token.from });
          case 'nil':
            return this.node({ kind: 'Nil', loc: token.from });
          default:
            node = this.peekIs('Bracket', '(')
              ? this.parseCall(token, [])
              : this.node({ kind: 'Identifier', value: token.value, loc: token.from });
        }
        break;
      case 'Number':
        this.next();
        return this.parseNumber(token);
      case 'String':
        this.next();
        node = this.node({ kind: 'String', value: token.value, loc: token.from });
        break;
      case 'Bytes':
        this.next();
        node = this.node({ kind: 'Bytes', value: token.value, loc: token.from });
        break;
      case 'Operator':
      case 'Bracket':
      case 'EOF':
        if (is(token, 'Bracket', '[')) node = this.parseArrayExpression(token);
        else if (is(token, 'Bracket', '{')) node = this.parseMapExpression(token);
        else this.error(`unexpected token ${tokenString(token)}`);
    }
    return this.parsePostfixExpression(node);
  }

  private parseNumber(token: Token): Node {
    const value = token.value.replaceAll('_', '');
    const lower = value.toLowerCase();
    const intNode = (n: bigint | number, what: string): Node => {
      const b = typeof n === 'bigint' ? n : BigInt(n);
      if (b > 9223372036854775807n || b < -9223372036854775808n) {
        this.error(
          `invalid ${what} literal: strconv.ParseInt: parsing ${JSON.stringify(value)}: value out of range`,
        );
      }
      return this.node({ kind: 'Integer', value: Number(b), loc: token.from });
    };
    const parseBase = (digits: string, radix: bigint, what: string): Node => {
      if (digits === '')
        this.error(
          `invalid ${what} literal: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`,
        );
      let n = 0n;
      for (const ch of digits) n = n * radix + BigInt(parseInt(ch, Number(radix)));
      return intNode(n, what);
    };
    if (lower.startsWith('0x')) return parseBase(value.slice(2), 16n, 'hex');
    if (lower.includes('.') || lower.includes('e')) {
      const f = Number(value);
      if (Number.isNaN(f) || !/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value)) {
        this.error(
          `invalid float literal: strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`,
        );
      }
      if (!Number.isFinite(f))
        this.error(
          `invalid float literal: strconv.ParseFloat: parsing ${JSON.stringify(value)}: value out of range`,
        );
      return this.node({ kind: 'Float', value: f, loc: token.from });
    }
    if (lower.startsWith('0b')) return parseBase(value.slice(2), 2n, 'binary');
    if (lower.startsWith('0o')) return parseBase(value.slice(2), 8n, 'octal');
    if (!/^\d+$/.test(value))
      this.error(
        `invalid integer literal: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`,
      );
    return intNode(BigInt(value), 'integer');
  }

  private parseCall(token: Token, args: Node[]): Node {
    const pred = Object.hasOwn(PREDICATES, token.value) ? PREDICATES[token.value] : undefined;
    if (pred) {
      this.expect('Bracket', '(');
      const rest = pred.slice(args.length);
      for (let i = 0; i < rest.length; i++) {
        const arg = rest[i] as number;
        if ((arg & OPTIONAL) === OPTIONAL) {
          if (this.peekIs('Bracket', ')')) break;
        } else if (this.peekIs('Bracket', ')')) {
          this.error(`expected at least ${rest.length} arguments`);
        }
        if (i > 0) this.expect('Operator', ',');
        args.push((arg & EXPR) === EXPR ? this.parseExpression(0) : this.parsePredicate());
      }
      if (this.peekIs('Operator', ',')) this.next();
      this.expect('Bracket', ')');
      return this.node({ kind: 'Builtin', name: token.value, args, loc: token.from });
    }
    if (BUILTIN_NAMES.has(token.value)) {
      return this.node({
        kind: 'Builtin',
        name: token.value,
        args: this.parseArguments(args),
        loc: token.from,
      });
    }
    const callee = this.node<Node>({ kind: 'Identifier', value: token.value, loc: token.from });
    return this.node({ kind: 'Call', callee, args: this.parseArguments(args), loc: token.from });
  }

  private parseArguments(args: Node[]): Node[] {
    const offset = args.length;
    this.expect('Bracket', '(');
    while (!this.peekIs('Bracket', ')')) {
      if (args.length > offset) this.expect('Operator', ',');
      if (this.peekIs('Bracket', ')')) break;
      args.push(this.parseExpression(0));
    }
    this.expect('Bracket', ')');
    return args;
  }

  private parsePredicate(): Node {
    const start = this.current;
    const withBrackets = this.peekIs('Bracket', '{');
    if (withBrackets) this.next();
    this.depth++;
    let node: Node;
    if (withBrackets) node = this.parseSequenceExpression();
    else {
      node = this.parseExpression(0);
      if (this.peekIs('Operator', ';')) this.error('wrap predicate with brackets { and }');
    }
    this.depth--;
    if (withBrackets) this.expect('Bracket', '}');
    return this.node({ kind: 'Predicate', node, loc: start.from });
  }

  private parseArrayExpression(token: Token): Node {
    const nodes: Node[] = [];
    this.expect('Bracket', '[');
    while (!this.peekIs('Bracket', ']')) {
      if (nodes.length > 0) {
        this.expect('Operator', ',');
        if (this.peekIs('Bracket', ']')) break;
      }
      nodes.push(this.parseExpression(0));
    }
    this.expect('Bracket', ']');
    return this.node({ kind: 'Array', nodes, loc: token.from });
  }

  private parseMapExpression(token: Token): Node {
    this.expect('Bracket', '{');
    const pairs: PairNode[] = [];
    while (!this.peekIs('Bracket', '}')) {
      if (pairs.length > 0) {
        this.expect('Operator', ',');
        if (this.peekIs('Bracket', '}')) break;
        if (this.peekIs('Operator', ',')) this.error(`unexpected token ${tokenString(this.current)}`);
      }
      let key: Node;
      if (this.peekIs('Number') || this.peekIs('String') || this.peekIs('Identifier')) {
        key = this.node({ kind: 'String', value: this.current.value, loc: this.current.from });
        this.next();
      } else if (this.peekIs('Bracket', '(')) {
        key = this.parseExpression(0);
      } else {
        this.error(
          `a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses (unexpected token ${tokenString(this.current)})`,
        );
      }
      this.expect('Operator', ':');
      const value = this.parseExpression(0);
      pairs.push(this.node({ kind: 'Pair', key, value, loc: token.from }));
    }
    this.expect('Bracket', '}');
    return this.node({ kind: 'Map', pairs, loc: token.from });
  }

  private parsePostfixExpression(node: Node): Node {
    let postfix = this.current;
    while (postfix.kind === 'Operator' || postfix.kind === 'Bracket') {
      const optional = postfix.value === '?.';
      if (postfix.value === '.' || postfix.value === '?.') {
        this.next();
        let property = this.current;
        if (optional && is(property, 'Bracket', '[')) {
          postfix = property;
          node = this.parseIndex(node, postfix, true);
          postfix = this.current;
          continue;
        }
        this.next();
        if (
          property.kind !== 'Identifier' &&
          (property.kind !== 'Operator' || !isValidIdentifier(property.value))
        ) {
          this.error('expected name');
        }
        property = property;
        const prop = this.node<Node>({ kind: 'String', value: property.value, loc: property.from });
        const isChain = node.kind === 'Chain';
        if (node.kind === 'Chain') node = node.node;
        const member = this.node<Node & { kind: 'Member' }>({
          kind: 'Member',
          node,
          property: prop,
          optional,
          method: false,
          loc: property.from,
        });
        if (this.peekIs('Bracket', '(')) {
          member.method = true;
          node = this.node({
            kind: 'Call',
            callee: member,
            args: this.parseArguments([]),
            loc: property.from,
          });
        } else node = member;
        if (isChain || optional) node = this.node({ kind: 'Chain', node, loc: property.from });
      } else if (postfix.value === '[') {
        node = this.parseIndex(node, postfix, false);
      } else break;
      postfix = this.current;
    }
    return node;
  }

  private parseIndex(node: Node, postfix: Token, optional: boolean): Node {
    this.next();
    if (this.peekIs('Operator', ':')) {
      this.next();
      let to: Node | undefined;
      if (!this.peekIs('Bracket', ']')) to = this.parseExpression(0);
      const slice = this.node<Node>({ kind: 'Slice', node, from: undefined, to, loc: postfix.from });
      this.expect('Bracket', ']');
      return slice;
    }
    const from = this.parseExpression(0);
    if (this.peekIs('Operator', ':')) {
      this.next();
      let to: Node | undefined;
      if (!this.peekIs('Bracket', ']')) to = this.parseExpression(0);
      const slice = this.node<Node>({ kind: 'Slice', node, from, to, loc: postfix.from });
      this.expect('Bracket', ']');
      return slice;
    }
    let out: Node = this.node({
      kind: 'Member',
      node,
      property: from,
      optional,
      method: false,
      loc: postfix.from,
    });
    if (optional) out = this.node({ kind: 'Chain', node: out, loc: postfix.from });
    this.expect('Bracket', ']');
    return out;
  }

  private parseComparison(left: Node, token: Token, precedence: number): Node {
    let root: Node | undefined;
    for (;;) {
      const comparator = this.parseExpression(precedence + 1);
      const cmp = this.node<Node>({
        kind: 'Binary',
        op: token.value,
        left,
        right: comparator,
        loc: token.from,
      });
      root =
        root === undefined
          ? cmp
          : this.node({ kind: 'Binary', op: '&&', left: root, right: cmp, loc: token.from });
      left = comparator;
      token = this.current;
      if (!(token.kind === 'Operator' && COMPARISON.has(token.value))) break;
      this.next();
    }
    return root;
  }
}

function is(t: Token, kind: Token['kind'], ...values: string[]): boolean {
  if (t.kind !== kind) return false;
  return values.length === 0 || values.includes(t.value);
}

export function parse(source: string, limits: ParseLimits): Node {
  let tokens: Token[];
  try {
    tokens = lex(source);
  } catch (e) {
    if (e instanceof LexError) throw new ParseError(e.message, e.offset);
    throw e;
  }
  return new Parser(tokens, limits).parse();
}
