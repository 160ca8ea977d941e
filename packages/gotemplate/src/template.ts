import { builtins } from './builtins.ts';
import { ExecError, ExecState, type MissingKey } from './exec.ts';
import type { GoFunc } from './go-values.ts';
import { resolveLimits, withActiveLimits, type Limits } from './limits.ts';
import { ParseError, parseTree, type Tree } from './parser.ts';
import { TemplateError } from './template-error.ts';

/** Functions a template may call by name, besides the builtins (which they shadow). */
export type FuncMap = ReadonlyMap<string, GoFunc>;

export interface TemplateOptions {
  /** The template's name, shown in messages; Argo CD's ApplicationSet controller uses "base". */
  readonly name?: string;
  readonly funcs?: FuncMap;
  /** Go template options, e.g. ["missingkey=error"] (ApplicationSet goTemplateOptions). */
  readonly options?: readonly string[];
  readonly limits?: Partial<Limits>;
}

export interface ExecuteOptions {
  readonly limits?: Partial<Limits>;
}

function parseOption(opt: string): MissingKey {
  const eq = opt.indexOf('=');
  if (eq >= 0 && opt.slice(0, eq) === 'missingkey') {
    switch (opt.slice(eq + 1)) {
      case 'invalid':
      case 'default':
        return 'default';
      case 'zero':
        return 'zero';
      case 'error':
        return 'error';
      default:
    }
  }
  throw new TemplateError('parse', opt === '' ? 'empty option string' : `unrecognized option: ${opt}`);
}

/**
 * A parsed template and the templates it defines ({{define}}, {{block}}). Parse once, execute
 * many times: execution keeps no state on the template, so concurrent renders are safe.
 */
export class Template {
  readonly name: string;
  private readonly trees: Map<string, Tree>;
  private readonly missingKey: MissingKey;
  private readonly limits: Limits;

  private constructor(name: string, trees: Map<string, Tree>, missingKey: MissingKey, limits: Limits) {
    this.name = name;
    this.trees = trees;
    this.missingKey = missingKey;
    this.limits = limits;
  }

  /** Parses text; throws TemplateError (phase 'parse') with Go's message when it does not parse. */
  static parse(text: string, options: TemplateOptions = {}): Template {
    const name = options.name ?? 'base';
    let missingKey: MissingKey = 'default';
    for (const opt of options.options ?? []) missingKey = parseOption(opt);
    const limits = resolveLimits(options.limits);
    const trees = new Map<string, Tree>();
    try {
      parseTree(
        { name, text, funcs: options.funcs ?? new Map(), builtins, maxDepth: limits.maxParseDepth },
        trees,
      );
    } catch (e) {
      if (e instanceof ParseError) throw new TemplateError('parse', e.message);
      throw e;
    }
    return new Template(name, trees, missingKey, limits);
  }

  /** Names of the templates this one defines, itself included. */
  templateNames(): string[] {
    return [...this.trees.keys()].sort();
  }

  /** Renders the template (or one it defines) against data. Throws TemplateError on failure. */
  execute(data: unknown, options: ExecuteOptions & { readonly template?: string } = {}): string {
    const tree = this.trees.get(options.template ?? this.name);
    if (tree === undefined) {
      throw new TemplateError(
        'exec',
        `template: no template ${JSON.stringify(options.template)} associated with template ${JSON.stringify(this.name)}`,
      );
    }
    const limits = options.limits === undefined ? this.limits : { ...this.limits, ...options.limits };
    const state = new ExecState({
      tree,
      lookup: (n) => this.trees.get(n),
      missingKey: this.missingKey,
      limits,
    });
    try {
      return withActiveLimits(limits, () => state.execute(data));
    } catch (e) {
      if (e instanceof ExecError) throw new TemplateError(e.limit ? 'limit' : 'exec', e.message);
      if (e instanceof RangeError) {
        throw new TemplateError(
          'limit',
          `template: ${this.name}: execution exceeded the maximum recursion depth`,
        );
      }
      throw e;
    }
  }
}

/** Parses a template: `parseTemplate(text, { funcs: applicationSetFuncs(), options: ['missingkey=error'] })`. */
export function parseTemplate(text: string, options?: TemplateOptions): Template {
  return Template.parse(text, options);
}
