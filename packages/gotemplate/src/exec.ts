// Template execution (text/template exec.go): walks the parse tree against data, evaluating
// pipelines, field chains, function calls with Go's argument typing, and control structures.
// Every `at(node)` mirrors Go's, because the node named in an error message is the last one
// the executor touched.

import { formatValue } from './go-fmt.ts';
import { quote } from './go-quote.ts';
import {
  canBeNil,
  GoComplex,
  GoFunc,
  GoInt,
  GoMap,
  GoObject,
  GoSlice,
  goInt,
  goTypeName,
  isIntType,
  isPlainMap,
  isTrue,
  zeroOf,
} from './go-values.ts';
import { LimitExceeded, type Limits } from './limits.ts';
import {
  nodeString,
  type AnyNode,
  type ArgNode,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from './nodes.ts';
import type { Tree } from './parser.ts';
import { byteOffset, compareBytes } from './utf8.ts';
import { callBuiltin } from './builtins.ts';

export type MissingKey = 'default' | 'zero' | 'error';

/** An execution error; the message is complete (location, node and cause, as Go prints it). */
export class ExecError extends Error {
  readonly limit: boolean;
  constructor(message: string, limit = false) {
    super(message);
    this.limit = limit;
  }
}

/**
 * A value with its static type: `iface` marks an element of a JSON map or list, whose static
 * type is interface{} (Go names it so in "can't evaluate field x in type interface {}").
 */
interface Dot {
  readonly value: unknown;
  readonly iface: boolean;
}

interface Variable {
  readonly name: string;
  value: unknown;
  iface: boolean;
}

/** Marks "no value piped in from a previous command" (Go's missingVal). */
const NO_FINAL: unique symbol = Symbol('no final');
type Final = unknown;

/** Where a field or function is evaluated: the node named in errors, its arguments, the piped value. */
interface Site {
  readonly node: AnyNode;
  readonly args: readonly ArgNode[] | null;
  readonly final: Final;
}

/** A function to call, with the name errors use. */
interface Callee {
  readonly fn: GoFunc;
  readonly builtin: boolean;
  readonly ident: string;
}

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type Signal = typeof NORMAL | typeof BREAK | typeof CONTINUE;

export interface ExecInput {
  readonly tree: Tree;
  readonly lookup: (name: string) => Tree | undefined;
  readonly missingKey: MissingKey;
  readonly limits: Limits;
}

function concrete(value: unknown): Dot {
  return { value, iface: false };
}

export class ExecState {
  out = '';
  private tree: Tree;
  private name: string;
  private node: AnyNode | null = null;
  private vars: Variable[] = [];
  private steps = 0;
  private depth = 0;
  /** Set by evalField: whether the value it returned is statically an interface{}. */
  private lastIface = false;
  private readonly lookup: (name: string) => Tree | undefined;
  private readonly missingKey: MissingKey;
  private readonly limits: Limits;

  constructor(input: ExecInput) {
    this.tree = input.tree;
    this.name = input.tree.name;
    this.lookup = input.lookup;
    this.missingKey = input.missingKey;
    this.limits = input.limits;
  }

  execute(data: unknown): string {
    const value = data === null ? undefined : data;
    this.vars = [{ name: '$', value, iface: false }];
    this.walk(concrete(value), this.tree.root);
    return this.out;
  }

  // Errors -----------------------------------------------------------------------------------

  private location(): string {
    const node = this.node;
    if (node === null) return `template: ${this.name}: `;
    const text = this.tree.text;
    const pos = Math.min(node.pos, text.length);
    const before = text.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    let line = 1;
    for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 0x0a) line++;
    const col = nl === -1 ? byteOffset(text, pos) : byteOffset(before.slice(nl + 1), pos - nl - 1);
    return `template: ${this.tree.parseName}:${line}:${col}: executing ${quote(this.name)} at <${nodeString(node)}>: `;
  }

  private errorf(msg: string): never {
    throw new ExecError(this.location() + msg);
  }

  private limitf(msg: string): never {
    throw new ExecError(this.location() + msg, true);
  }

  private step(): void {
    if (++this.steps > this.limits.maxSteps) {
      this.limitf(`execution exceeded the limit of ${this.limits.maxSteps} steps`);
    }
  }

  private write(s: string): void {
    if (this.out.length + s.length > this.limits.maxOutputSize) {
      this.limitf(`output exceeds the limit of ${this.limits.maxOutputSize} characters`);
    }
    this.out += s;
  }

  // Variables --------------------------------------------------------------------------------

  private setVar(name: string, value: unknown, iface: boolean): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === name) {
        v.value = value;
        v.iface = iface;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown, iface: boolean): void {
    const v = this.vars[this.vars.length - n]!;
    v.value = value;
    v.iface = iface;
  }

  private varLookup(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // Walking ----------------------------------------------------------------------------------

  private walk(dot: Dot, node: Node): Signal {
    this.step();
    this.node = node;
    switch (node.k) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return NORMAL;
      }
      case 'text':
        this.write(node.text);
        return NORMAL;
      case 'list': {
        const nodes = node.nodes;
        for (let i = 0; i < nodes.length; i++) {
          const sig = this.walk(dot, nodes[i]!);
          if (sig !== NORMAL) return sig;
        }
        return NORMAL;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        this.walkTemplate(dot, node);
        return NORMAL;
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
    }
  }

  private walkIfOrWith(dot: Dot, node: BranchNode): Signal {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) return this.walk(node.k === 'with' ? concrete(val) : dot, node.list);
      if (node.elseList !== null) return this.walk(dot, node.elseList);
      return NORMAL;
    } finally {
      this.vars.length = mark;
    }
  }

  private checkCount(n: number): void {
    if (n > this.limits.maxRangeIterations) {
      this.limitf(
        `range over ${n} elements exceeds the limit of ${this.limits.maxRangeIterations} iterations`,
      );
    }
  }

  private walkRange(dot: Dot, r: BranchNode): Signal {
    this.node = r;
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const bodyMark = this.vars.length;
      const decl = r.pipe.decl;
      const oneIteration = (index: unknown, elem: Dot): Signal => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0]!.ident[0]!, index, false);
            else this.setVar(decl[0]!.ident[0]!, elem.value, elem.iface);
          } else this.setTopVar(1, elem.value, elem.iface);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem.value, elem.iface);
          else this.setTopVar(2, index, false);
        }
        try {
          return this.walk(elem, r.list);
        } finally {
          this.vars.length = bodyMark;
        }
      };
      let ran = false;
      if (val instanceof GoInt) {
        if (decl.length > 1)
          this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
        const n = val.value;
        if (n > 0) {
          this.checkCount(n);
          ran = true;
          const plain = val.kind === 'int' && val.named === undefined;
          for (let i = 0; i < n; i++) {
            const elem = plain ? goInt(i) : new GoInt(val.kind, i, val.named);
            if (oneIteration(undefined, concrete(elem)) === BREAK) break;
          }
        }
      } else if (Array.isArray(val) || val instanceof GoSlice || val instanceof Uint8Array) {
        const items: readonly unknown[] = Array.isArray(val)
          ? val
          : val instanceof GoSlice
            ? val.items
            : Array.from(val, (b) => new GoInt('uint8', b));
        const iface = Array.isArray(val) || (val instanceof GoSlice && val.elem === 'interface {}');
        if (items.length > 0) {
          this.checkCount(items.length);
          ran = true;
          for (let i = 0; i < items.length; i++) {
            if (oneIteration(goInt(i), { value: items[i], iface }) === BREAK) break;
          }
        }
      } else if (val instanceof GoMap || isPlainMap(val)) {
        const entries = val instanceof GoMap ? [...val.entries] : Object.entries(val);
        const iface = !(val instanceof GoMap) || val.elem === 'interface {}';
        if (entries.length > 0) {
          this.checkCount(entries.length);
          ran = true;
          entries.sort((a, b) => compareBytes(a[0], b[0]));
          for (const [k, v] of entries) {
            if (oneIteration(k, { value: v, iface }) === BREAK) break;
          }
        }
      } else if (val !== undefined && val !== null) {
        this.errorf(`range can't iterate over ${formatValue(val)}`);
      }
      if (!ran && r.elseList !== null) return this.walk(dot, r.elseList);
      return NORMAL;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkTemplate(dot: Dot, t: TemplateNode): void {
    this.node = t;
    const tree = this.lookup(t.name);
    if (tree === undefined) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth >= this.limits.maxTemplateDepth) {
      this.limitf(`exceeded maximum template depth (${this.limits.maxTemplateDepth})`);
    }
    const newDot = t.pipe === null ? undefined : this.evalPipeline(dot, t.pipe);
    const saved = { vars: this.vars, tree: this.tree, name: this.name };
    this.vars = [{ name: '$', value: newDot, iface: false }];
    this.tree = tree;
    this.name = tree.name;
    this.depth++;
    try {
      this.walk(concrete(newDot), tree.root);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tree = saved.tree;
      this.name = saved.name;
    }
  }

  private printValue(node: AnyNode, v: unknown): void {
    this.node = node;
    if (v === undefined) {
      this.write('<no value>');
      return;
    }
    if (typeof v === 'string') {
      this.write(v);
      return;
    }
    if (v instanceof GoFunc) this.errorf(`can't print ${nodeString(node)} of type ${v.typeName}`);
    this.write(formatValue(v));
  }

  // Evaluation -------------------------------------------------------------------------------

  private evalPipeline(dot: Dot, pipe: PipeNode): unknown {
    this.node = pipe;
    let value: unknown = NO_FINAL;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i]!, value);
      // An interface{} is unwrapped to its content; a nil interface becomes an invalid value.
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value, false);
      else this.vars.push({ name: v.ident[0]!, value, iface: false });
    }
    return value;
  }

  private notAFunction(args: readonly ArgNode[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== NO_FINAL) {
      this.errorf(`can't give argument to non-function ${nodeString(args![0]!)}`);
    }
  }

  private evalCommand(dot: Dot, cmd: CommandNode, final: Final): unknown {
    this.step();
    const first = cmd.args[0]!;
    switch (first.k) {
      case 'field':
        return this.evalFieldNode(dot, first, { node: first, args: cmd.args, final });
      case 'chain':
        return this.evalChainNode(dot, first, { node: first, args: cmd.args, final });
      case 'identifier':
        this.node = first;
        return this.evalCall(dot, first, { node: cmd, args: cmd.args, final });
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, { node: first, args: cmd.args, final });
      case 'bool':
      case 'dot':
      case 'nil':
      case 'number':
      case 'string':
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.k) {
      case 'bool':
        return first.val;
      case 'dot':
        return dot.value;
      case 'nil':
        this.errorf('nil is not a command');
      // falls through: errorf never returns
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private idealConstant(n: NumberNode): unknown {
    this.node = n;
    if (n.isComplex) return new GoComplex(n.re, n.im);
    const t = n.text;
    const isHexInt = t.length > 2 && t[0] === '0' && (t[1] === 'x' || t[1] === 'X') && !/[pP]/.test(t);
    if (n.isFloat && !isHexInt && t[0] !== "'" && /[.eEpP]/.test(t)) return n.float;
    if (n.isInt) return goInt(n.int);
    if (n.isUint) this.errorf(`${t} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: Dot, field: FieldNode, site: Site): unknown {
    this.node = field;
    return this.evalFieldChain(dot, dot, field.ident, site);
  }

  private evalChainNode(dot: Dot, chain: ChainNode, site: Site): unknown {
    this.node = chain;
    if (chain.node.k === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const value = this.evalArg(dot, null, chain.node);
    const iface = chain.node.k === 'identifier' && chain.node.fn.sig.ret === 'interface {}';
    return this.evalFieldChain(dot, { value, iface }, chain.field, site);
  }

  private evalVariableNode(dot: Dot, variable: VariableNode, site: Site): unknown {
    this.node = variable;
    const v = this.varLookup(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(site.args, site.final);
      return v.value;
    }
    return this.evalFieldChain(dot, { value: v.value, iface: v.iface }, variable.ident.slice(1), site);
  }

  private evalFieldChain(dot: Dot, receiver: Dot, ident: readonly string[], site: Site): unknown {
    const n = ident.length;
    let recv = receiver;
    if (n > 1) {
      const inner: Site = { node: site.node, args: null, final: NO_FINAL };
      for (let i = 0; i < n - 1; i++) {
        const value = this.evalField(dot, ident[i]!, inner, recv);
        recv = { value, iface: this.lastIface };
      }
    }
    return this.evalField(dot, ident[n - 1]!, site, recv);
  }

  private evalField(dot: Dot, fieldName: string, site: Site, recv: Dot): unknown {
    this.lastIface = false;
    const receiver = recv.value;
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return undefined;
    }
    const typ = recv.iface || receiver === null ? 'interface {}' : goTypeName(receiver);
    if (receiver === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const method = lookupMethod(receiver, fieldName);
    if (method !== undefined) {
      const v = this.evalCall(dot, { fn: method, builtin: false, ident: fieldName }, site);
      this.lastIface = method.sig.ret === 'interface {}';
      return v;
    }
    const hasArgs = (site.args !== null && site.args.length > 1) || site.final !== NO_FINAL;
    if (isPlainMap(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      this.lastIface = true;
      if (Object.hasOwn(receiver, fieldName)) return receiver[fieldName];
      return this.missing(fieldName, 'interface {}');
    }
    if (receiver instanceof GoMap) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      this.lastIface = receiver.elem === 'interface {}';
      if (receiver.entries.has(fieldName)) return receiver.entries.get(fieldName);
      return this.missing(fieldName, receiver.elem);
    }
    if (receiver instanceof GoObject) {
      const fields = receiver.spec.fields;
      if (fields?.has(fieldName) === true) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return fields.get(fieldName);
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private missing(key: string, elem: string): unknown {
    switch (this.missingKey) {
      case 'default':
        return undefined;
      case 'zero':
        return zeroOf(elem);
      case 'error':
        this.errorf(`map has no entry for key ${quote(key)}`);
    }
  }

  private evalCall(dot: Dot, callee: Callee, site: Site): unknown {
    const { fn, builtin, ident: name } = callee;
    const { args: allArgs, final } = site;
    const args = allArgs === null ? [] : allArgs.slice(1);
    const sig = fn.sig;
    const params = sig.params;
    const variadic = sig.variadic === true;
    const hasFinal = final !== NO_FINAL;
    const numIn = args.length + (hasFinal ? 1 : 0);
    let numFixed = args.length;
    if (variadic) {
      numFixed = params.length - 1;
      if (numIn < numFixed) {
        this.errorf(
          `wrong number of args for ${name}: want at least ${params.length - 1} got ${args.length}`,
        );
      }
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    // and/or evaluate their arguments lazily and return one of them.
    if (builtin && (name === 'and' || name === 'or')) {
      let v: unknown;
      for (const arg of args) {
        v = this.evalArg(dot, 'reflect.Value', arg);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (hasFinal) v = this.validateType(final, 'reflect.Value');
      return v;
    }

    const argv: unknown[] = new Array<unknown>(numIn);
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv[i] = this.evalArg(dot, params[i]!, args[i]!);
    if (variadic) {
      const elem = params[params.length - 1]!;
      for (; i < args.length; i++) argv[i] = this.evalArg(dot, elem, args[i]!);
    }
    if (hasFinal) {
      let t = params[params.length - 1]!;
      if (variadic && numIn - 1 < numFixed) t = params[numIn - 1]!;
      argv[i] = this.validateType(final, t);
    }

    try {
      if (builtin && name === 'call') {
        const calleeName = args.length === 0 ? `<${goTypeName(final)} Value>` : nodeString(args[0]!);
        return callBuiltin(calleeName, argv[0], argv.slice(1));
      }
      return (fn.fn as (...a: unknown[]) => unknown)(...argv);
    } catch (e) {
      this.callFailed(site.node, name, e);
    }
  }

  private callFailed(node: AnyNode, name: string, e: unknown): never {
    if (e instanceof ExecError) throw e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw e;
    this.node = node;
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof LimitExceeded) this.limitf(`error calling ${name}: ${msg}`);
    // Go reports a function's error result and a recovered panic the same way.
    this.errorf(`error calling ${name}: ${msg}`);
  }

  private validateType(value: unknown, typ: string | null): unknown {
    if (value === undefined) {
      if (typ === null || typ === 'reflect.Value') return undefined;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === null || typ === 'interface {}' || typ === 'reflect.Value') return value;
    if (value === null) this.errorf(`wrong type for value; expected ${typ}; got interface {}`);
    const actual = goTypeName(value);
    if (actual !== typ) this.errorf(`wrong type for value; expected ${typ}; got ${actual}`);
    return value;
  }

  private evalArg(dot: Dot, typ: string | null, n: ArgNode): unknown {
    this.node = n;
    switch (n.k) {
      case 'dot':
        return this.validateType(dot.value, typ);
      case 'nil':
        if (typ !== null && canBeNil(typ)) return typ === 'reflect.Value' ? undefined : zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ ?? '<nil>'}`);
      // falls through: errorf never returns
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, { node: n, args: [n], final: NO_FINAL }), typ);
      case 'variable':
        return this.validateType(
          this.evalVariableNode(dot, n, { node: n, args: null, final: NO_FINAL }),
          typ,
        );
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        this.node = n;
        return this.validateType(this.evalCall(dot, n, { node: n, args: null, final: NO_FINAL }), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, { node: n, args: null, final: NO_FINAL }), typ);
      case 'bool':
      case 'number':
      case 'string':
        return this.evalLiteral(dot, typ, n);
    }
  }

  /** A literal argument: Go checks it against the parameter type without conversion. */
  private evalLiteral(dot: Dot, typ: string | null, n: ArgNode): unknown {
    const s = nodeString(n);
    if (typ === 'bool') {
      if (n.k === 'bool') return n.val;
      this.errorf(`expected bool; found ${s}`);
    }
    if (typ === 'complex128') {
      if (n.k === 'number' && n.isComplex) return new GoComplex(n.re, n.im);
      this.errorf(`expected complex; found ${s}`);
    }
    if (typ === 'float64' || typ === 'float32') {
      if (n.k === 'number' && n.isFloat) return n.float;
      this.errorf(`expected float; found ${s}`);
    }
    if (typ === 'interface {}' || typ === 'reflect.Value') return this.evalEmptyInterface(dot, n);
    if (typ === 'string') {
      if (n.k === 'string') return n.text;
      this.errorf(`expected string; found ${s}`);
    }
    if (typ !== null && isIntType(typ)) {
      if (typ.startsWith('u')) {
        if (n.k === 'number' && n.isUint) return new GoInt(typ, n.uint);
        this.errorf(`expected unsigned integer; found ${s}`);
      }
      if (n.k === 'number' && n.isInt) return typ === 'int' ? goInt(n.int) : new GoInt(typ, n.int);
      this.errorf(`expected integer; found ${s}`);
    }
    this.errorf(`can't handle ${s} for arg of type ${typ ?? '<nil>'}`);
  }

  private evalEmptyInterface(dot: Dot, n: ArgNode): unknown {
    this.node = n;
    switch (n.k) {
      case 'bool':
        return n.val;
      case 'dot':
        return dot.value;
      case 'field':
        return this.evalFieldNode(dot, n, { node: n, args: null, final: NO_FINAL });
      case 'identifier':
        return this.evalCall(dot, n, { node: n, args: null, final: NO_FINAL });
      case 'nil':
        this.errorf("evalEmptyInterface: nil (can't happen)");
      // falls through: errorf never returns
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
      case 'variable':
        return this.evalVariableNode(dot, n, { node: n, args: null, final: NO_FINAL });
      case 'pipe':
        return this.evalPipeline(dot, n);
      case 'chain':
        this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
    }
  }
}

/** A method of a value with methods (time.Time, *semver.Version, time.Duration), bound to it. */
function lookupMethod(receiver: unknown, name: string): GoFunc | undefined {
  let m;
  if (receiver instanceof GoObject) m = receiver.spec.methods?.get(name);
  else if (receiver instanceof GoInt && receiver.named !== undefined) m = receiver.named.methods.get(name);
  if (m === undefined) return undefined;
  const impl = m.fn as (recv: unknown, ...args: unknown[]) => unknown;
  return new GoFunc(m.sig, (...args: unknown[]) => impl(receiver, ...args));
}
