// The parse tree of a template (text/template/parse node.go). String() renders a node back to
// template syntax, which is how Go names the node in execution errors (`at <.values.bar>`).

import type { GoFunc } from './go-values.ts';
import { quote } from './go-quote.ts';

export interface TextNode {
  readonly k: 'text';
  readonly pos: number;
  readonly text: string;
}

export interface ActionNode {
  readonly k: 'action';
  readonly pos: number;
  readonly pipe: PipeNode;
}

export interface PipeNode {
  readonly k: 'pipe';
  readonly pos: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}

export interface CommandNode {
  readonly k: 'command';
  readonly pos: number;
  readonly args: ArgNode[];
}

export interface FieldNode {
  readonly k: 'field';
  readonly pos: number;
  readonly ident: string[];
}

export interface VariableNode {
  readonly k: 'variable';
  readonly pos: number;
  readonly ident: string[];
}

export interface ChainNode {
  readonly k: 'chain';
  readonly pos: number;
  readonly node: ArgNode;
  readonly field: string[];
}

export interface IdentifierNode {
  readonly k: 'identifier';
  readonly pos: number;
  readonly ident: string;
  /** Resolved when the template is parsed: its function set is fixed from then on. */
  readonly fn: GoFunc;
  readonly builtin: boolean;
}

export interface DotNode {
  readonly k: 'dot';
  readonly pos: number;
}

export interface NilNode {
  readonly k: 'nil';
  readonly pos: number;
}

export interface BoolNode {
  readonly k: 'bool';
  readonly pos: number;
  readonly val: boolean;
}

export interface NumberNode {
  readonly k: 'number';
  readonly pos: number;
  readonly text: string;
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  readonly int: number;
  readonly uint: number;
  readonly float: number;
  readonly re: number;
  readonly im: number;
  /** Set when the integer does not fit an int64 (idealConstant reports "overflows int"). */
  readonly intOverflow: boolean;
}

export interface StringNode {
  readonly k: 'string';
  readonly pos: number;
  readonly quoted: string;
  readonly text: string;
}

export interface ListNode {
  readonly k: 'list';
  readonly pos: number;
  readonly nodes: Node[];
}

export interface BranchNode {
  readonly k: 'if' | 'range' | 'with';
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}

export interface TemplateNode {
  readonly k: 'template';
  readonly pos: number;
  readonly name: string;
  readonly pipe: PipeNode | null;
}

export interface BreakNode {
  readonly k: 'break' | 'continue';
  readonly pos: number;
}

/** Only seen by the parser: the `{{end}}` and `{{else}}` that close a list. */
export interface EndNode {
  readonly k: 'end' | 'else';
  readonly pos: number;
}

export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type Node = TextNode | ActionNode | BranchNode | TemplateNode | BreakNode | ListNode;

export type AnyNode = Node | ArgNode | CommandNode | EndNode;

export function nodeString(n: AnyNode): string {
  switch (n.k) {
    case 'text':
      return n.text;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) {
        s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      }
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.k === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'field':
      return n.ident.map((i) => `.${i}`).join('');
    case 'variable':
      return n.ident.join('.');
    case 'chain': {
      const head = n.node.k === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return head + n.field.map((f) => `.${f}`).join('');
    }
    case 'identifier':
      return n.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return n.val ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'if':
    case 'range':
    case 'with': {
      let s = `{{${n.k} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList !== null) s += `{{else}}${nodeString(n.elseList)}`;
      return s + '{{end}}';
    }
    case 'template':
      return n.pipe === null
        ? `{{template ${quote(n.name)}}}`
        : `{{template ${quote(n.name)} ${nodeString(n.pipe)}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
  }
}
