// The parser of text/template (parse/parse.go of current Go): actions, pipelines, control
// structures with `else if` / `else with` chains, break/continue inside range, define/template/
// block, variable scoping checked at parse time, and unknown functions rejected at parse time.

import { lex, Tok, type Token, type TokType } from './lexer.ts';
import { classifyNumber } from './go-number.ts';
import { quote, unquote, unquoteCharLiteral } from './go-quote.ts';
import type { GoFunc } from './go-values.ts';
import {
  nodeString,
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type EndNode,
  type ListNode,
  type Node,
  type PipeNode,
  type VariableNode,
} from './nodes.ts';

export interface Tree {
  readonly name: string;
  readonly root: ListNode;
  /** The text the tree was parsed from (a define'd tree shares its parent's text). */
  readonly text: string;
  /** The name of the top-level template being parsed, used in messages. */
  readonly parseName: string;
}

/** A template parse error; the message is Go's (`template: base:1: unexpected EOF`). */
export class ParseError extends Error {}

export interface ParseInput {
  readonly name: string;
  readonly text: string;
  readonly funcs: ReadonlyMap<string, GoFunc>;
  readonly builtins: ReadonlyMap<string, GoFunc>;
  /** Deepest nesting of parentheses and control structures accepted. */
  readonly maxDepth: number;
}

function tokenString(t: Token): string {
  if (t.typ === Tok.EOF) return 'EOF';
  if (t.typ === Tok.Error) return t.val;
  if (t.typ > Tok.Keyword) return `<${t.val}>`;
  const runes = [...t.val];
  if (runes.length > 10) return `${quote(runes.slice(0, 10).join(''))}...`;
  return quote(t.val);
}

class Parser {
  private readonly tokens: Token[];
  private idx = 0;
  private furthest = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private depth = 0;
  private actionLine = 0;
  private name: string;
  private readonly input: ParseInput;
  private readonly treeSet: Map<string, Tree>;

  constructor(input: ParseInput, treeSet: Map<string, Tree>) {
    this.input = input;
    this.treeSet = treeSet;
    this.tokens = lex(input.text, {
      breakOK: !this.hasFunction('break'),
      continueOK: !this.hasFunction('continue'),
    });
    this.name = input.name;
  }

  // Token stream -----------------------------------------------------------------------------

  private next(): Token {
    const i = Math.min(this.idx, this.tokens.length - 1);
    this.idx = i + 1;
    if (i > this.furthest) this.furthest = i;
    return this.tokens[i]!;
  }

  private backup(n = 1): void {
    this.idx -= n;
  }

  private peek(): Token {
    const t = this.next();
    this.backup();
    return t;
  }

  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.typ === Tok.Space);
    return t;
  }

  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // Errors -----------------------------------------------------------------------------------

  private errorf(msg: string): never {
    const line = (this.tokens[Math.min(this.furthest, this.tokens.length - 1)] ?? { line: 1 }).line;
    throw new ParseError(`template: ${this.input.name}:${line}: ${msg}`);
  }

  private unexpected(t: Token, context: string): never {
    if (t.typ === Tok.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.input.name}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${tokenString(t)}${extra}`);
    }
    this.errorf(`unexpected ${tokenString(t)} in ${context}`);
  }

  private expect(typ: TokType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.typ !== typ) this.unexpected(t, context);
    return t;
  }

  private hasFunction(name: string): boolean {
    return this.input.funcs.has(name) || this.input.builtins.has(name);
  }

  private enter(): void {
    if (++this.depth > this.input.maxDepth) this.errorf('max expression depth exceeded');
  }

  private leave(): void {
    this.depth--;
  }

  // Grammar ----------------------------------------------------------------------------------

  /** The top level: text and actions, with {{define}} clauses installed in the tree set. */
  parseTop(): Tree {
    const root: ListNode = { k: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== Tok.EOF) {
      if (this.peek().typ === Tok.LeftDelim) {
        const mark = this.idx;
        this.next();
        if (this.nextNonSpace().typ === Tok.Define) {
          this.parseDefinition();
          continue;
        }
        this.idx = mark;
      }
      const n = this.textOrAction();
      if (isEnd(n)) this.errorf(`unexpected ${nodeString(n)}`);
      else root.nodes.push(n);
    }
    const tree: Tree = { name: this.name, root, text: this.input.text, parseName: this.input.name };
    this.add(tree);
    return tree;
  }

  private add(tree: Tree): void {
    const existing = this.treeSet.get(tree.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) this.errorf(`template: multiple definition of template ${quote(tree.name)}`);
  }

  /** A nested tree ({{define}} or {{block}} body): its own variable scope. */
  private withNestedScope<T>(fn: () => T): T {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    try {
      return fn();
    } finally {
      this.vars = saved.vars;
      this.rangeDepth = saved.rangeDepth;
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const t = this.nextNonSpace();
    if (t.typ !== Tok.String && t.typ !== Tok.RawString) this.unexpected(t, context);
    const name = this.unquoteOrError(t.val);
    this.expect(Tok.RightDelim, context);
    this.withNestedScope(() => {
      const [list, end] = this.itemList();
      if (end.k !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
      this.add({ name, root: list, text: this.input.text, parseName: this.input.name });
    });
  }

  private unquoteOrError(lit: string): string {
    try {
      return unquote(lit);
    } catch (e) {
      this.errorf((e as Error).message);
    }
  }

  private itemList(): [ListNode, EndNode] {
    const list: ListNode = { k: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== Tok.EOF) {
      const n = this.textOrAction();
      if (isEnd(n)) return [list, n];
      else list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | EndNode {
    const t = this.nextNonSpace();
    switch (t.typ as number) {
      case Tok.Text:
        return { k: 'text', pos: t.pos, text: t.val };
      case Tok.LeftDelim: {
        const saved = this.actionLine;
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = saved;
        }
      }
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): Node | EndNode {
    const t = this.nextNonSpace();
    switch (t.typ as number) {
      case Tok.Block:
        return this.blockControl();
      case Tok.Break:
      case Tok.Continue:
        return this.breakOrContinue(t);
      case Tok.Else:
        return this.elseControl();
      case Tok.End:
        return { k: 'end', pos: this.expect(Tok.RightDelim, 'end').pos };
      case Tok.If:
        return this.branch('if');
      case Tok.Range:
        return this.branch('range');
      case Tok.Template:
        return this.templateControl();
      case Tok.With:
        return this.branch('with');
      default:
    }
    this.backup();
    const pos = this.peek().pos;
    return { k: 'action', pos, pipe: this.pipeline('command', Tok.RightDelim) };
  }

  private breakOrContinue(t: Token): Node {
    const word = t.typ === Tok.Break ? 'break' : 'continue';
    const next = this.nextNonSpace();
    if (next.typ !== Tok.RightDelim) this.unexpected(next, `{{${word}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`);
    return { k: word, pos: t.pos };
  }

  private elseControl(): EndNode {
    const peek = this.peekNonSpace();
    // "{{else if …" and "{{else with …" become "{{else}}{{if …": leave the keyword pending.
    if (peek.typ === Tok.If || peek.typ === Tok.With) return { k: 'else', pos: peek.pos };
    const t = this.expect(Tok.RightDelim, 'else');
    return { k: 'else', pos: t.pos };
  }

  private branch(context: 'if' | 'range' | 'with'): BranchNode {
    this.enter();
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, Tok.RightDelim);
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.k === 'else') {
        if (context === 'if' && this.peek().typ === Tok.If) {
          this.next();
          elseList = { k: 'list', pos: next.pos, nodes: [this.branch('if')] };
        } else if (context === 'with' && this.peek().typ === Tok.With) {
          this.next();
          elseList = { k: 'list', pos: next.pos, nodes: [this.branch('with')] };
        } else {
          [elseList, next] = this.itemList();
          if (next.k !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      list = list ?? { k: 'list', pos: pipe.pos, nodes: [] };
      return { k: context, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
      this.leave();
    }
  }

  private templateName(t: Token, context: string): string {
    if (t.typ !== Tok.String && t.typ !== Tok.RawString) this.unexpected(t, context);
    return this.unquoteOrError(t.val);
  }

  private templateControl(): Node {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== Tok.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, Tok.RightDelim);
    }
    return { k: 'template', pos: t.pos, name, pipe };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, Tok.RightDelim);
    this.enter();
    this.withNestedScope(() => {
      const [list, end] = this.itemList();
      if (end.k !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
      this.add({ name, root: list, text: this.input.text, parseName: this.input.name });
    });
    this.leave();
    return { k: 'template', pos: t.pos, name, pipe };
  }

  private pipeline(context: string, end: TokType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { k: 'pipe', pos: first.pos, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== Tok.Variable) break;
      const mark = this.idx;
      this.next();
      const next = this.peekNonSpace();
      if (next.typ === Tok.Assign || next.typ === Tok.Declare) {
        pipe.isAssign = next.typ === Tok.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.typ === Tok.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === Tok.Variable || p === Tok.RightDelim || p === Tok.RightParen) continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else {
        this.idx = mark;
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ as number) {
        case Tok.Bool:
        case Tok.CharConstant:
        case Tok.Complex:
        case Tok.Dot:
        case Tok.Field:
        case Tok.Identifier:
        case Tok.Number:
        case Tok.Nil:
        case Tok.RawString:
        case Tok.String:
        case Tok.Variable:
        case Tok.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const k = pipe.cmds[i]!.args[0]!.k;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { k: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === Tok.Space) continue;
      if (t.typ === Tok.RightDelim || t.typ === Tok.RightParen) this.backup();
      else if (t.typ !== Tok.Pipe) this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().typ === Tok.Field) {
      const pos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === Tok.Field) fields.push(this.next().val.slice(1));
      switch (node.k) {
        case 'field':
          return { k: 'field', pos, ident: [...node.ident, ...fields] };
        case 'variable':
          return { k: 'variable', pos, ident: [...node.ident, ...fields] };
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
        // falls through: errorf never returns
        case 'chain':
        case 'identifier':
        case 'pipe':
          return { k: 'chain', pos, node, field: fields };
      }
    }
    return node;
  }

  private newVariable(pos: number, name: string): VariableNode {
    return { k: 'variable', pos, ident: name.split('.') };
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.typ as number) {
      case Tok.Identifier: {
        const fn = this.input.funcs.get(t.val);
        const builtin = fn === undefined ? this.input.builtins.get(t.val) : undefined;
        if (fn === undefined && builtin === undefined) this.errorf(`function ${quote(t.val)} not defined`);
        return { k: 'identifier', pos: t.pos, ident: t.val, fn: (fn ?? builtin)!, builtin: fn === undefined };
      }
      case Tok.Dot:
        return { k: 'dot', pos: t.pos };
      case Tok.Nil:
        return { k: 'nil', pos: t.pos };
      case Tok.Variable: {
        const v = this.newVariable(t.pos, t.val);
        if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${quote(v.ident[0]!)}`);
        return v;
      }
      case Tok.Field:
        return { k: 'field', pos: t.pos, ident: t.val.slice(1).split('.') };
      case Tok.Bool:
        return { k: 'bool', pos: t.pos, val: t.val === 'true' };
      case Tok.CharConstant:
      case Tok.Complex:
      case Tok.Number: {
        let charValue = 0;
        if (t.typ === Tok.CharConstant) {
          try {
            charValue = unquoteCharLiteral(t.val);
          } catch (e) {
            this.errorf((e as Error).message);
          }
        }
        const kind = t.typ === Tok.CharConstant ? 'char' : t.typ === Tok.Complex ? 'complex' : 'number';
        const n = classifyNumber(t.val, kind, charValue);
        if (typeof n === 'string') this.errorf(n);
        return { k: 'number', pos: t.pos, text: t.val, ...n };
      }
      case Tok.LeftParen: {
        this.enter();
        const p = this.pipeline('parenthesized pipeline', Tok.RightParen);
        this.leave();
        return p;
      }
      case Tok.String:
      case Tok.RawString:
        return { k: 'string', pos: t.pos, quoted: t.val, text: this.unquoteOrError(t.val) };
      default:
        this.backup();
        return null;
    }
  }
}

function isEnd(n: Node | EndNode): n is EndNode {
  return n.k === 'end' || n.k === 'else';
}

/** parse.IsEmptyTree: only whitespace text, so a later definition may replace it. */
export function isEmptyTree(n: Node): boolean {
  if (n.k === 'list') return n.nodes.every(isEmptyTree);
  if (n.k === 'text') return n.text.trim() === '';
  return false;
}

/** Parses a template text; its tree and every tree it defines are added to treeSet. */
export function parseTree(input: ParseInput, treeSet: Map<string, Tree>): Tree {
  const p = new Parser(input, treeSet);
  try {
    return p.parseTop();
  } catch (e) {
    if (e instanceof RangeError) throw new ParseError(`template: ${input.name}: template nests too deeply`);
    throw e;
  }
}
