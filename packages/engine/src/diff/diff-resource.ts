import { FailedPreconditionError } from '@capstan/errors';
import { keyOf, type KubeObject, type ResourceKey } from '../types.ts';
import { CopyOnWrite } from './copy-on-write.ts';
import type { CompiledDiffOptions, IgnorePlan } from './diff-options.ts';
import { sharedJqPool, type JqRunner } from './jq-pool.ts';
import { removeAtPointer } from './json-pointer.ts';
import { isPlainObject, type JsonObject } from './json-value.ts';
import { listChanges, type DiffChange } from './list-changes.ts';
import { normalizeKnownTypes } from './normalize-known-types.ts';
import { normalizeTracking } from './normalize-tracking.ts';
import { LivePredictor } from './predict-live.ts';
import { stripManagedFields } from './strip-managed-fields.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The comparison of one target/live pair. Objects share structure with the inputs: treat them as read-only. */
export interface ResourceDiff {
  /** The target would change the live object (always true for a target without live object). */
  readonly modified: boolean;
  /** The live object after normalization and ignore rules; null when there is no live object. */
  readonly normalizedLive: KubeObject | null;
  /** What the live object would be after applying the target; null when there is no target. */
  readonly predictedLive: KubeObject | null;
  /** Changed paths from normalizedLive to predictedLive, when `includeDiff` is set and the pair is modified. */
  readonly diff?: readonly DiffChange[];
  /** Problems that did not stop the comparison: an unreadable last-applied annotation, a jq error or timeout. */
  readonly warnings?: readonly string[];
}

/** A pair after every normalization, ready for comparison. Internal to the diff folder. */
export interface Prepared {
  readonly key: ResourceKey;
  readonly plan: IgnorePlan;
  target: JsonObject | null;
  live: JsonObject | null;
  original: JsonObject | null;
  readonly warnings: string[];
}

function lastApplied(live: JsonObject, warnings: string[]): JsonObject | null {
  const metadata = live['metadata'];
  const annotations = isPlainObject(metadata) ? metadata['annotations'] : undefined;
  const text = isPlainObject(annotations) ? annotations[LAST_APPLIED_ANNOTATION] : undefined;
  if (typeof text !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  warnings.push(`ignoring unreadable ${LAST_APPLIED_ANNOTATION}; comparing two-way`);
  return null;
}

function normalize(
  obj: JsonObject,
  prepared: Prepared,
  options: CompiledDiffOptions,
  cow: CopyOnWrite,
): JsonObject {
  let out = normalizeKnownTypes(obj, prepared.key, options.ignoreAggregatedRoles, cow);
  for (const tokens of prepared.plan.pointers) out = removeAtPointer(out, tokens, cow);
  return out;
}

function prepare(target: KubeObject | null, live: KubeObject | null, options: CompiledDiffOptions): Prepared {
  const identity = live ?? target;
  if (identity === null) throw new FailedPreconditionError('a diff needs a target or a live object');
  // Rules match on the live object's identity (the pair shares group, kind, namespace and name), and that one
  // plan also applies to the last-applied configuration, which often lacks the namespace.
  const key = keyOf(identity);
  const plan = options.planFor(key.group, key.kind, key.namespace, key.name);
  const warnings: string[] = plan.invalidPointers.map((p) => `ignoring invalid JSON pointer "${p}"`);
  const cow = new CopyOnWrite();
  let t = target;
  let l = live;
  let original: JsonObject | null = null;
  if (t !== null && l !== null) {
    original = lastApplied(l, warnings);
    l = normalizeTracking(t, l, options, cow);
    if (plan.managedFieldsManagers.length > 0) {
      ({ live: l, target: t } = stripManagedFields(l, t, plan.managedFieldsManagers));
    }
  }
  const prepared: Prepared = { key, plan, target: null, live: null, original: null, warnings };
  prepared.target = t === null ? null : normalize(t, prepared, options, cow);
  prepared.live = l === null ? null : normalize(l, prepared, options, cow);
  prepared.original = original === null ? null : normalize(original, prepared, options, cow);
  return prepared;
}

export function compare(prepared: Prepared, options: CompiledDiffOptions): ResourceDiff {
  const { target, live, warnings } = prepared;
  const extra = warnings.length > 0 ? { warnings } : {};
  if (target === null) return { modified: false, normalizedLive: live, predictedLive: null, ...extra };
  if (live === null) return { modified: true, normalizedLive: null, predictedLive: target, ...extra };
  const predicted = new LivePredictor(prepared.key).predict(prepared.original ?? target, target, live);
  const modified = predicted !== live;
  return {
    modified,
    normalizedLive: live,
    predictedLive: predicted,
    ...(options.includeDiff && modified ? { diff: listChanges(live, predicted) } : {}),
    ...extra,
  };
}

/** True when jq expressions apply to this pair, so only `diffResourceAsync` can compare it. */
export function requiresJq(
  target: KubeObject | null,
  live: KubeObject | null,
  options: CompiledDiffOptions,
): boolean {
  const identity = live ?? target;
  if (!options.hasJq || identity === null) return false;
  const key = keyOf(identity);
  return options.planFor(key.group, key.kind, key.namespace, key.name).jqPathExpressions.length > 0;
}

/**
 * Compares a target with its live object (either may be null), synchronously: the hot path. Throws
 * FailedPrecondition when jq expressions apply to the pair (see `requiresJq`, `diffResourceAsync`).
 */
export function diffResource(
  target: KubeObject | null,
  live: KubeObject | null,
  options: CompiledDiffOptions,
): ResourceDiff {
  const prepared = prepare(target, live, options);
  if (prepared.plan.jqPathExpressions.length > 0) {
    throw new FailedPreconditionError('jqPathExpressions apply to this resource: use diffResourceAsync');
  }
  return compare(prepared, options);
}

async function applyJq(obj: JsonObject | null, prepared: Prepared, jq: JqRunner): Promise<JsonObject | null> {
  if (obj === null) return null;
  let out = obj;
  for (const expression of prepared.plan.jqPathExpressions) {
    try {
      out = await jq.run(out, `del(${expression})`);
    } catch (error) {
      // As in Argo CD, a failing expression is skipped rather than failing the comparison; the caller is told.
      const reason = error instanceof Error ? error.message : String(error);
      const note = `jqPathExpression ${JSON.stringify(expression)} skipped: ${reason}`;
      if (!prepared.warnings.includes(note)) prepared.warnings.push(note);
    }
  }
  return out;
}

/** Normalizes a pair completely, jq expressions included. Internal to the diff folder. */
export async function prepareAsync(
  target: KubeObject | null,
  live: KubeObject | null,
  options: CompiledDiffOptions,
  jq?: JqRunner,
): Promise<Prepared> {
  const prepared = prepare(target, live, options);
  if (prepared.plan.jqPathExpressions.length > 0) {
    const runner = jq ?? sharedJqPool();
    const [t, l, o] = await Promise.all([
      applyJq(prepared.target, prepared, runner),
      applyJq(prepared.live, prepared, runner),
      applyJq(prepared.original, prepared, runner),
    ]);
    prepared.target = t;
    prepared.live = l;
    prepared.original = o;
  }
  return prepared;
}

/**
 * `diffResource` for any pair, running jq expressions (in worker threads, with a timeout; the shared pool
 * unless `jq` is given) when they apply. Without jq rules it does no asynchronous work.
 */
export async function diffResourceAsync(
  target: KubeObject | null,
  live: KubeObject | null,
  options: CompiledDiffOptions,
  jq?: JqRunner,
): Promise<ResourceDiff> {
  return compare(await prepareAsync(target, live, options, jq), options);
}
