import { HOOK_FINALIZER } from './hook-types.ts';
import { hookOutcome } from './hook-outcome.ts';
import type { StepContext } from './run-sync-tasks.ts';
import { hasHookFinalizer, resourceRef, setResult } from './step-state.ts';
import type { HealthOf } from './sync-step-types.ts';
import { isCompleted, isRunning } from './sync-task.ts';
import type { SyncTask } from './sync-task.ts';

/**
 * Stops an operation: completed hooks lose the hook finalizer; running hooks are re-assessed, lose
 * the finalizer and are deleted if still running (or if they just finished and want deleting on
 * failure). The operation ends Failed "Operation terminated" and is never retried.
 */
export function terminateSync(ctx: StepContext, tasks: readonly SyncTask[], health: HealthOf): void {
  const { state } = ctx;
  const strip = (task: SyncTask): void => {
    if (task.live === undefined || !hasHookFinalizer(task.live)) return;
    state.actions.push({
      type: 'stripFinalizer',
      key: task.resultKey,
      resource: resourceRef(task),
      obj: task.live,
      finalizer: HOOK_FINALIZER,
      reason: 'terminate',
    });
  };
  for (const task of tasks) if (task.hook && isCompleted(task)) strip(task);
  for (const task of tasks) {
    if (!task.hook || !isRunning(task)) continue;
    if (task.live === undefined) {
      setResult(state, task, { status: task.status, phase: 'Succeeded', message: 'Terminated' });
      continue;
    }
    const outcome = hookOutcome(task.live, health);
    strip(task);
    if (outcome.phase === 'Running' || task.deletePolicies.has('HookFailed')) {
      state.actions.push({
        type: 'delete',
        key: task.resultKey,
        resource: resourceRef(task),
        obj: task.live,
        propagationPolicy: ctx.propagationPolicy,
        reason: 'terminate',
      });
    }
    if (outcome.phase === 'Running')
      setResult(state, task, { status: task.status, phase: 'Failed', message: 'Terminated' });
    else setResult(state, task, { status: task.status, phase: outcome.phase, message: outcome.message });
  }
  state.phase = 'Failed';
  state.message = 'Operation terminated';
}
