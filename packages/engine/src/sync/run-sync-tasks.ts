import type { KubeObject, ScopeOf } from '../types.ts';
import { applyOptionsFor, objectToWrite, plannedApplyMessage } from './apply-options.ts';
import type { ApplySettings } from './apply-options.ts';
import { isCrd } from './crd-defines.ts';
import { HOOK_FINALIZER } from './hook-types.ts';
import { hasHookFinalizer, resourceRef, setResult } from './step-state.ts';
import type { StepState, WaitReason } from './step-state.ts';
import type { DryRunItem } from './sync-actions.ts';
import { effectivePrune } from './sync-options.ts';
import type { PropagationPolicy } from './sync-options.ts';
import { isPending, isPrune } from './sync-task.ts';
import type { SyncTask } from './sync-task.ts';

/** Everything a step needs to turn tasks into actions. */
export interface StepContext extends ApplySettings {
  readonly state: StepState;
  /** `operation.sync.prune`: without it prunes are only reported. */
  readonly prune: boolean;
  /** The app's `deletion-approved` is at or after the operation's start. */
  readonly pruneConfirmed: boolean;
  readonly propagationPolicy: PropagationPolicy;
  readonly scopeOf: ScopeOf;
  readonly crdEstablishedTimeoutMs: number;
  /** Where the first step's validation pass collects its dry-run applies. */
  readonly dryRunItems: DryRunItem[];
}

/** `pending`: the group cannot go on yet (deletions first, or a prune awaits confirmation). */
export type RunOutcome =
  | { readonly state: 'successful' }
  | { readonly state: 'pending'; readonly waitingFor: readonly SyncTask[]; readonly reason: WaitReason };

/**
 * Plans one group of tasks the way Argo CD runs it: strip finalizers left on hooks by earlier
 * operations, prune first, delete hooks that must be re-created, then apply consecutive tasks of the
 * same kind as one concurrent batch, batches in order, with no health wait inside the group. With
 * `validation` set, applies are only collected for the client-side dry run.
 */
export function runSyncTasks(ctx: StepContext, tasks: readonly SyncTask[], validation: boolean): RunOutcome {
  const { state } = ctx;
  const dryRun = validation || ctx.dryRun;
  const prunes = tasks.filter(isPrune);
  const creates = tasks.filter((t) => !isPrune(t));

  if (!dryRun) {
    for (const task of tasks) {
      if (task.hook && isPending(task) && task.live !== undefined && hasHookFinalizer(task.live)) {
        state.actions.push({
          type: 'stripFinalizer',
          key: task.resultKey,
          resource: resourceRef(task),
          obj: task.live,
          finalizer: HOOK_FINALIZER,
          reason: 'pendingHook',
        });
      }
    }
    if (!ctx.pruneConfirmed) {
      const unconfirmed = ctx.prune
        ? prunes.filter((t) => effectivePrune(ctx.options, t.live) === 'confirm')
        : [];
      if (unconfirmed.length > 0)
        return { state: 'pending', waitingFor: unconfirmed, reason: 'confirmation' };
    }
  }

  for (const task of prunes) {
    let outcome: { status: 'Pruned' | 'PruneSkipped'; message: string };
    if (!ctx.prune) outcome = { status: 'PruneSkipped', message: 'ignored (requires pruning)' };
    else if (effectivePrune(ctx.options, task.live) === 'false')
      outcome = { status: 'PruneSkipped', message: 'ignored (no prune)' };
    else if (dryRun) outcome = { status: 'Pruned', message: 'pruned (dry run)' };
    else {
      // Already being deleted: deleting again would only bump it; it is waited on as pruned.
      if (task.live?.metadata?.deletionTimestamp === undefined && task.live !== undefined) {
        state.actions.push({
          type: 'delete',
          key: task.resultKey,
          resource: resourceRef(task),
          obj: task.live,
          propagationPolicy: ctx.propagationPolicy,
          reason: 'prune',
        });
      }
      outcome = { status: 'Pruned', message: 'pruned' };
    }
    if (!dryRun || ctx.dryRun)
      setResult(state, task, { status: outcome.status, phase: 'Succeeded', message: outcome.message });
  }

  if (!dryRun) {
    const recreate = creates.filter(
      (t) => t.hook && t.live !== undefined && isPending(t) && t.deletePolicies.has('BeforeHookCreation'),
    );
    if (recreate.length > 0) {
      for (const task of recreate) {
        state.actions.push({
          type: 'delete',
          key: task.resultKey,
          resource: resourceRef(task),
          obj: task.live as KubeObject,
          propagationPolicy: ctx.propagationPolicy,
          reason: 'beforeHookCreation',
        });
      }
      return { state: 'pending', waitingFor: recreate, reason: 'deletion' };
    }
  }

  let previousKind: string | undefined;
  for (const task of creates) {
    if (dryRun && task.skipDryRun) continue;
    if (!validation && task.kind !== previousKind) state.batch++;
    previousKind = task.kind;
    const options = applyOptionsFor(ctx, task, dryRun);
    const item = {
      key: task.resultKey,
      resource: resourceRef(task),
      obj: objectToWrite(task, options, ctx.scopeOf),
      options,
    };
    if (validation) ctx.dryRunItems.push(item);
    else state.actions.push({ type: 'apply', ...item, batch: state.batch });
    if (!validation || ctx.dryRun) {
      // A dry-run operation creates nothing, so a valid object is already a success.
      const phase = ctx.dryRun ? 'Succeeded' : 'Running';
      setResult(state, task, { status: 'Synced', phase, message: plannedApplyMessage(task, options) });
    }
    if (!dryRun && isCrd(task.target) && task.target !== undefined) {
      state.actions.push({
        type: 'waitForEstablished',
        crd: item.obj,
        timeoutMs: ctx.crdEstablishedTimeoutMs,
      });
    }
  }
  return { state: 'successful' };
}
