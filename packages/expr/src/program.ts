// compile(source) → Program: parse, check, optimise and close over the tree once; run many times.
import type { Node } from './ast.ts';
import { children } from './ast.ts';
import { Checker, CheckError } from './checker.ts';
import { compileNode, type Compiled, type Frame } from './compiler.ts';
import { ExprError } from './expr-error.ts';
import { optimize, OptimizeError } from './optimizer.ts';
import { parse, ParseError } from './parser.ts';
import { RunContext, type RunLimits } from './run-context.ts';
import { RunError } from './runtime-ops.ts';

export interface CompileOptions {
  /** expr's node budget (default 10,000, as expr's DefaultMaxNodes). */
  readonly maxNodes?: number;
  /** Deepest nesting of the tree (default 500): JS recursion is shallower than Go's. */
  readonly maxDepth?: number;
}

export interface RunOptions {
  /** The clock `now()` reads; without one, `now()` is a run-time error (the package has no clock). */
  readonly now?: () => Date | number;
  /** Closure iterations and builtin loop steps per run (default 1,000,000). */
  readonly maxSteps?: number;
  /** expr's memory budget in elements per run (default 1,000,000, as expr's). */
  readonly memoryBudget?: number;
}

/** The variables an expression reads: a plain object (JSON-like values, GoValues, namespaces). */
export type Env = Readonly<Record<string, unknown>>;

export interface Program {
  readonly source: string;
  /** Evaluates the expression; throws ExprError on a run-time error. Returns expr's value model. */
  run(env: Env, options?: RunOptions): unknown;
}

export const DEFAULT_MAX_NODES = 10_000;
export const DEFAULT_MAX_DEPTH = 500;
const DEFAULT_LIMITS: RunLimits = { maxSteps: 1_000_000, memoryBudget: 1_000_000 };

function treeDepth(root: Node): number {
  // Iterative, so measuring a hostile tree cannot itself overflow the stack.
  let max = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop() as [Node, number];
    if (d > max) max = d;
    for (const c of children(n)) stack.push([c, d + 1]);
  }
  return max;
}

function compileError(source: string, reason: string, offset: number): ExprError {
  return new ExprError({ phase: 'compile', reason, source, offset });
}

class CompiledProgram implements Program {
  readonly source: string;
  private readonly fn: Compiled;
  private readonly variables: number;

  constructor(source: string, fn: Compiled, variables: number) {
    this.source = source;
    this.fn = fn;
    this.variables = variables;
  }

  run(env: Env, options: RunOptions = {}): unknown {
    const limits: RunLimits =
      options.maxSteps === undefined && options.memoryBudget === undefined
        ? DEFAULT_LIMITS
        : {
            maxSteps: options.maxSteps ?? DEFAULT_LIMITS.maxSteps,
            memoryBudget: options.memoryBudget ?? DEFAULT_LIMITS.memoryBudget,
          };
    const frame: Frame = {
      env: env,
      ctx: new RunContext(limits, options.now),
      vars: this.variables === 0 ? EMPTY : new Array<unknown>(this.variables),
      scopes: [],
    };
    try {
      const v = this.fn(frame);
      return typeof v === 'symbol' ? null : v;
    } catch (e) {
      if (e instanceof RunError) {
        throw new ExprError({
          phase: 'run',
          reason: e.message,
          source: this.source,
          offset: e.loc ?? 0,
          ...(e.limit ? { code: 'ResourceExhausted' as const } : {}),
        });
      }
      if (e instanceof RangeError && /invalid (string|array) length/i.test(e.message)) {
        throw new ExprError({
          phase: 'run',
          reason: 'memory budget exceeded',
          source: this.source,
          offset: 0,
          code: 'ResourceExhausted',
        });
      }
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        throw new ExprError({
          phase: 'run',
          reason: 'expression too deeply nested to evaluate',
          source: this.source,
          offset: 0,
          code: 'ResourceExhausted',
        });
      }
      throw e;
    }
  }
}

const EMPTY: unknown[] = [];

/** Compiles an expression the way Argo CD does: no environment, optimiser on. Throws ExprError. */
export function compile(source: string, options: CompileOptions = {}): Program {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  let tree: Node;
  try {
    tree = parse(source, { maxNodes: options.maxNodes ?? DEFAULT_MAX_NODES, maxDepth });
    const depth = treeDepth(tree);
    if (depth > maxDepth)
      throw new ParseError(`compilation failed: expression nesting exceeds maximum depth (${maxDepth})`, 0);
    new Checker().check(tree);
    tree = optimize(tree);
    const state = { variables: 0, scopes: [] };
    const fn = compileNode(tree, state);
    return new CompiledProgram(source, fn, state.variables);
  } catch (e) {
    if (e instanceof ParseError || e instanceof CheckError || e instanceof OptimizeError)
      throw compileError(source, e.message, e.offset);
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw compileError(source, 'compilation failed: expression too deeply nested', 0);
    }
    throw e;
  }
}
