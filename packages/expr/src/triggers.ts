// Notification triggers: each trigger's conditions (`when`, `oncePer`) compiled once. Unlike Argo CD,
// where one bad expression fails the whole configuration, a trigger that does not compile is
// reported on its own and the others keep working.
import { formatValue } from './go-format.ts';
import { ExprError } from './expr-error.ts';
import { compile, type CompileOptions, type Env, type Program, type RunOptions } from './program.ts';

export interface TriggerCondition {
  readonly when: string;
  readonly oncePer?: string;
  readonly send?: readonly string[];
  readonly description?: string;
}

export interface CompiledCondition {
  readonly index: number;
  /** The `when` source, which the notified-state key hashes. */
  readonly when: string;
  readonly oncePer: string | undefined;
  readonly send: readonly string[];
  /** Undefined for an empty `when`, which never fires. */
  readonly whenProgram: Program | undefined;
  readonly oncePerProgram: Program | undefined;
}

export interface CompiledTrigger {
  readonly name: string;
  readonly conditions: readonly CompiledCondition[];
}

export interface TriggerCompileError {
  readonly trigger: string;
  readonly conditionIndex: number;
  readonly field: 'when' | 'oncePer';
  readonly error: ExprError;
}

export interface TriggerSet {
  readonly triggers: ReadonlyMap<string, CompiledTrigger>;
  readonly errors: readonly TriggerCompileError[];
}

/** A single condition or a list, as `trigger.<name>` holds. */
export type TriggerSpec = TriggerCondition | readonly TriggerCondition[];

function compileField(
  at: { trigger: string; index: number; field: 'when' | 'oncePer' },
  source: string,
  options: CompileOptions,
): { program?: Program; error?: TriggerCompileError } {
  const { trigger, index, field } = at;
  try {
    return { program: compile(source, options) };
  } catch (e) {
    if (e instanceof ExprError) return { error: { trigger, conditionIndex: index, field, error: e } };
    throw e;
  }
}

/** Compiles every trigger independently; failures are listed, the rest are returned ready to run. */
export function compileTriggers(
  specs: Readonly<Record<string, TriggerSpec>>,
  options: CompileOptions = {},
): TriggerSet {
  const triggers = new Map<string, CompiledTrigger>();
  const errors: TriggerCompileError[] = [];
  for (const name of Object.keys(specs).sort()) {
    const spec = specs[name] as TriggerSpec;
    const list: readonly TriggerCondition[] = Array.isArray(spec) ? spec : [spec as TriggerCondition];
    const conditions: CompiledCondition[] = [];
    let failed = false;
    list.forEach((c, index) => {
      const when = typeof c.when === 'string' ? c.when : '';
      let whenProgram: Program | undefined;
      if (when.trim() !== '') {
        const r = compileField({ trigger: name, index, field: 'when' }, when, options);
        if (r.error) {
          errors.push(r.error);
          failed = true;
        }
        whenProgram = r.program;
      }
      let oncePerProgram: Program | undefined;
      if (c.oncePer !== undefined && c.oncePer.trim() !== '') {
        const r = compileField({ trigger: name, index, field: 'oncePer' }, c.oncePer, options);
        if (r.error) {
          errors.push(r.error);
          failed = true;
        }
        oncePerProgram = r.program;
      }
      conditions.push({ index, when, oncePer: c.oncePer, send: c.send ?? [], whenProgram, oncePerProgram });
    });
    if (!failed) triggers.set(name, { name, conditions });
  }
  return { triggers, errors };
}

export interface ConditionResult {
  readonly index: number;
  readonly when: string;
  readonly send: readonly string[];
  /** True only when `when` ran without error and returned the bool true. */
  readonly triggered: boolean;
  /** Go `%v` of `oncePer` when triggered and set ("" if it failed), else undefined. */
  readonly oncePer: string | undefined;
  /** The run-time error of `when`, if any (it counts as not triggered). */
  readonly error: ExprError | undefined;
  readonly oncePerError: ExprError | undefined;
}

function runSafely(p: Program, env: Env, options: RunOptions): { value?: unknown; error?: ExprError } {
  try {
    return { value: p.run(env, options) };
  } catch (e) {
    if (e instanceof ExprError) return { error: e };
    throw e;
  }
}

/** Evaluates each condition of a trigger independently, as the notifications controller does. */
export function evaluateTrigger(
  trigger: CompiledTrigger,
  env: Env,
  options: RunOptions = {},
): ConditionResult[] {
  return trigger.conditions.map((c) => {
    if (!c.whenProgram)
      return {
        index: c.index,
        when: c.when,
        send: c.send,
        triggered: false,
        oncePer: undefined,
        error: undefined,
        oncePerError: undefined,
      };
    const r = runSafely(c.whenProgram, env, options);
    const triggered = r.error === undefined && r.value === true;
    let oncePer: string | undefined;
    let oncePerError: ExprError | undefined;
    if (triggered && c.oncePerProgram) {
      const o = runSafely(c.oncePerProgram, env, options);
      oncePer = o.error ? '' : formatValue(o.value);
      oncePerError = o.error;
    }
    return { index: c.index, when: c.when, send: c.send, triggered, oncePer, error: r.error, oncePerError };
  });
}
