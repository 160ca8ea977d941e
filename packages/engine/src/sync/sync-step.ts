import { Annotations } from '@capstan/crds';
import type { SyncOperation } from '@capstan/crds';
import { keyString } from '../types.ts';
import { applyOptionsFor, objectToWrite, plannedApplyMessage } from './apply-options.ts';
import { buildSyncTasks } from './build-sync-tasks.ts';
import { hookOutcome } from './hook-outcome.ts';
import { HOOK_FINALIZER, HOOK_OPERATION_ANNOTATION, hookOperationStamp } from './hook-types.ts';
import { orderSyncTasks } from './order-sync-tasks.ts';
import { runSyncTasks } from './run-sync-tasks.ts';
import type { StepContext } from './run-sync-tasks.ts';
import { hasHookFinalizer, newStepState, resourceRef, setResult, setWaiting } from './step-state.ts';
import type { StepState } from './step-state.ts';
import { parseAppSyncOptions } from './sync-options.ts';
import type { AppSyncOptions } from './sync-options.ts';
import type { SyncStepInput, SyncStepOutput } from './sync-step-types.ts';
import { isCompleted, isPending, isRunning, isSuccessful, resultKey } from './sync-task.ts';
import type { SyncTask } from './sync-task.ts';
import { terminateSync } from './terminate-sync.ts';

export const DEFAULT_WAVE_DELAY_MS = 2000;
export const DEFAULT_CRD_ESTABLISHED_TIMEOUT_MS = 3000;

/** Base message when tasks of an earlier step failed to apply (see `executeSyncStep`). */
export const APPLY_FAILED_MESSAGE = 'one or more objects failed to apply';
const COMPLETED_UNSUCCESSFULLY_MESSAGE = 'one or more synchronization tasks completed unsuccessfully';

function finish(state: StepState): SyncStepOutput {
  return {
    phase: state.phase,
    message: state.message,
    results: [...state.results.values()],
    actions: state.actions,
  };
}

function end(state: StepState, phase: SyncStepOutput['phase'], message: string): SyncStepOutput {
  state.phase = phase;
  state.message = message;
  return finish(state);
}

/** Deletion approved at or after the operation started (the annotation is RFC 3339). */
function pruneConfirmed(input: SyncStepInput, startedAt: number): boolean {
  const approved = input.app.metadata?.annotations?.[Annotations.deletionApproved];
  if (approved === undefined) return false;
  const at = Date.parse(approved);
  return !Number.isNaN(at) && at >= startedAt;
}

/** The SyncFail hooks' work: none → Failed; not yet run → run them and stay Running; all done → Failed. */
function syncFailPath(
  ctx: StepContext,
  failHooks: readonly SyncTask[],
  failedTasks: readonly SyncTask[],
  message: string,
): void {
  const withReasons = (tasks: readonly SyncTask[], text: string): string => {
    const reasons = [...new Set(tasks.map((t) => t.message ?? '').filter((m) => m !== ''))];
    return reasons.length > 0 ? `${text}, reason: ${reasons.join(',')}` : text;
  };
  let failure = withReasons(failedTasks, message);
  const { state } = ctx;
  if (failHooks.length === 0 || failHooks.every(isCompleted)) {
    const hooksFailed = failHooks.filter((t) => t.status === 'SyncFailed');
    if (hooksFailed.length > 0)
      failure = `${failure}\n${withReasons(hooksFailed, 'one or more SyncFail hooks failed')}`;
    state.phase = 'Failed';
    state.message = failure;
    return;
  }
  const toStart = failHooks.filter((t) => !isCompleted(t) && !isRunning(t));
  const outcome = runSyncTasks(ctx, toStart, false);
  if (outcome.state === 'pending') setWaiting(state, outcome.waitingFor, outcome.reason);
  else setWaiting(state, toStart, 'health');
}

function deleteHooks(
  ctx: StepContext,
  hooks: readonly SyncTask[],
  reason: 'hookSucceeded' | 'hookFailed',
): void {
  // A dry-run operation deletes nothing, not even hooks left over from earlier runs.
  if (ctx.dryRun) return;
  for (const task of hooks) {
    if (task.live === undefined) continue;
    ctx.state.actions.push({
      type: 'delete',
      key: task.resultKey,
      resource: resourceRef(task),
      obj: task.live,
      propagationPolicy: ctx.propagationPolicy,
      reason,
    });
  }
}

/** Running resources and hooks take their result from the live object's health. */
function assessRunning(tasks: readonly SyncTask[], input: SyncStepInput, state: StepState): void {
  for (const task of tasks) {
    if (!isRunning(task) || task.live === undefined) continue;
    if (task.hook) {
      const outcome = hookOutcome(task.live, input.health);
      setResult(state, task, { status: task.status, ...outcome });
      continue;
    }
    const health = input.health(task.live);
    if (health === undefined) setResult(state, task, { status: task.status, phase: 'Succeeded' });
    else if (health.status === 'Healthy')
      setResult(state, task, { status: task.status, phase: 'Succeeded', message: health.message ?? '' });
    else if (health.status === 'Degraded')
      setResult(state, task, { status: task.status, phase: 'Failed', message: health.message ?? '' });
  }
}

function outOfSyncOnly(
  tasks: readonly SyncTask[],
  input: SyncStepInput,
  options: AppSyncOptions,
): SyncTask[] {
  if (!options.applyOutOfSyncOnly) return [...tasks];
  return tasks.filter((t) => {
    if (t.hook || t.target === undefined || t.live === undefined) return true;
    const key = keyString({
      group: t.group,
      kind: t.kind,
      namespace: t.live.metadata?.namespace ?? '',
      name: t.name,
    });
    return input.modified?.get(key) ?? true;
  });
}

/**
 * The first step only (no result recorded yet): create the destination namespace for real, since
 * validation fails in many ways without it, then client-side dry-run every other task.
 */
function validateOnce(ctx: StepContext, tasks: readonly SyncTask[], input: SyncStepInput): void {
  const { state } = ctx;
  const destination = input.app.spec.destination.namespace ?? '';
  let validate = tasks;
  const namespaceTask = ctx.dryRun
    ? undefined
    : tasks.find(
        (t) =>
          t.live === undefined &&
          t.target !== undefined &&
          t.kind === 'Namespace' &&
          t.group === '' &&
          t.name === destination,
      );
  if (namespaceTask !== undefined) {
    const applyOptions = applyOptionsFor(ctx, namespaceTask, false);
    state.actions.push({
      type: 'createNamespace',
      key: namespaceTask.resultKey,
      resource: resourceRef(namespaceTask),
      obj: objectToWrite(namespaceTask, applyOptions, input.scopeOf),
      options: applyOptions,
    });
    setResult(state, namespaceTask, {
      status: 'Synced',
      phase: 'Running',
      message: plannedApplyMessage(namespaceTask, applyOptions),
    });
    validate = tasks.filter((t) => t !== namespaceTask);
  }
  runSyncTasks(ctx, outOfSyncOnly(validate, input, ctx.options), true);
  if (ctx.dryRunItems.length > 0) state.actions.push({ type: 'dryRun', items: ctx.dryRunItems });
}

/**
 * One step of a sync operation. Rebuilds every task from the manifests, the live state and the
 * results persisted so far, then does what Argo CD's sync context does in one pass: on the first
 * step create the destination namespace and dry-run everything; assess running tasks; wait while
 * hooks (or, in a multi-step plan, any task) run; fail into the SyncFail hooks when something failed;
 * otherwise run the next (phase, wave) group and pause before the one after it. Pure: the returned
 * actions are for the caller to carry out, and calling again with the persisted results and fresh
 * live state continues the operation, from any process.
 */
export function syncStep(input: SyncStepInput): SyncStepOutput {
  const state = newStepState(input.state.syncResult?.resources, 'Running');
  state.message = input.state.message ?? '';
  const op = input.operation.sync;
  if (op === undefined) return end(state, 'Error', 'Invalid operation request: no operation specified');
  const options = parseAppSyncOptions(op.syncOptions);

  const conditions = input.app.status?.conditions ?? [];
  const shared = conditions.find((c) => c.type === 'SharedResourceWarning');
  if (options.failOnSharedResource && shared !== undefined)
    return end(state, 'Failed', `Shared resource found: ${shared.message}`);
  const errors = conditions.filter((c) => c.type === 'ComparisonError' || c.type === 'InvalidSpecError');
  if (errors.length > 0) return end(state, 'Error', errors.map((c) => `${c.type}: ${c.message}`).join(';'));

  const startedAt = Date.parse(input.state.startedAt);
  const strategy = op.syncStrategy;
  const ctx: StepContext = {
    state,
    options,
    force: strategy?.apply !== undefined ? strategy.apply.force === true : strategy?.hook?.force === true,
    dryRun: op.dryRun === true,
    prune: op.prune === true,
    pruneConfirmed: pruneConfirmed(input, startedAt),
    propagationPolicy: options.prunePropagationPolicy,
    scopeOf: input.scopeOf,
    crdEstablishedTimeoutMs: input.settings?.crdEstablishedTimeoutMs ?? DEFAULT_CRD_ESTABLISHED_TIMEOUT_MS,
    dryRunItems: [],
  };

  const built = plannedTasks(input, op, options);
  const tasks = built.tasks;
  for (const task of tasks) {
    const stored = state.results.get(task.resultKey);
    if (stored !== undefined) {
      task.status = stored.status;
      task.hookPhase = stored.hookPhase;
      task.message = stored.message;
    }
  }
  // A hook this operation created in a step that ended before recording it (its replica was killed):
  // adopted as running, never deleted and created a second time.
  const stamp = hookOperationStamp(startedAtUnixOf(input), '');
  for (const task of tasks) {
    const live = task.live;
    if (
      !task.hook ||
      !isPending(task) ||
      live === undefined ||
      live.metadata?.deletionTimestamp !== undefined
    )
      continue;
    if (live.metadata?.annotations?.[HOOK_OPERATION_ANNOTATION] === `${stamp}${task.phase}`)
      setResult(state, task, {
        status: 'Synced',
        phase: 'Running',
        message: `${task.kind.toLowerCase()}/${task.name} created`,
      });
  }

  const timeout = input.settings?.syncTimeoutMs;
  const timedOut =
    timeout !== undefined &&
    timeout > 0 &&
    input.state.phase === 'Running' &&
    input.now.getTime() - startedAt > timeout;
  if (input.state.phase === 'Terminating' || timedOut) {
    terminateSync(ctx, tasks, input.health);
    return finish(state);
  }

  if (built.invalid.size > 0) {
    for (const [task, message] of built.invalid)
      setResult(state, task, { status: 'SyncFailed', phase: undefined, message });
    return end(state, 'Failed', 'one or more synchronization tasks are not valid');
  }

  const started = (input.state.syncResult?.resources?.length ?? 0) > 0;
  if (!started) validateOnce(ctx, tasks, input);

  assessRunning(tasks, input, state);

  const first = tasks[0];
  const last = tasks[tasks.length - 1];
  const multiStep =
    first !== undefined && last !== undefined && (first.phase !== last.phase || first.wave !== last.wave);
  const running = tasks.filter((t) => (multiStep || t.hook) && isRunning(t));
  if (running.length > 0) {
    for (const task of running) {
      if (task.live !== undefined || state.fresh.has(task.resultKey)) continue;
      setResult(state, task, {
        status: 'SyncFailed',
        phase: 'Error',
        message: `Resource ${task.group}/${task.kind}/${task.name} is missing, it might have been deleted`,
      });
    }
    setWaiting(state, running, 'health');
    return finish(state);
  }

  const terminating = tasks.filter(
    (t) => t.status === 'Pruned' && t.live?.metadata?.deletionTimestamp !== undefined,
  );
  if (terminating.length > 0) {
    setWaiting(state, terminating, 'deletion');
    return finish(state);
  }

  for (const task of tasks) {
    if (!task.hook || !isCompleted(task) || task.live === undefined || !hasHookFinalizer(task.live)) continue;
    state.actions.push({
      type: 'stripFinalizer',
      key: task.resultKey,
      resource: resourceRef(task),
      obj: task.live,
      finalizer: HOOK_FINALIZER,
      reason: 'completedHook',
    });
  }
  const finishedHooks = tasks.filter((t) => t.hook && t.live !== undefined && !isRunning(t));
  const deleteOnSuccess = finishedHooks.filter((t) => t.deletePolicies.has('HookSucceeded'));
  const deleteOnFailure = finishedHooks.filter((t) => t.deletePolicies.has('HookFailed'));

  const failHooks = tasks.filter((t) => t.phase === 'SyncFail');
  const rest = tasks.filter((t) => t.phase !== 'SyncFail');
  if (rest.some((t) => isCompleted(t) && !isSuccessful(t))) {
    deleteHooks(ctx, deleteOnFailure, 'hookFailed');
    // An apply that failed in the previous step keeps that step's wording.
    const base = state.message.startsWith(APPLY_FAILED_MESSAGE)
      ? APPLY_FAILED_MESSAGE
      : COMPLETED_UNSUCCESSFULLY_MESSAGE;
    syncFailPath(
      ctx,
      failHooks,
      rest.filter((t) => t.status === 'SyncFailed'),
      base,
    );
    return finish(state);
  }

  let pending = outOfSyncOnly(rest.filter(isPending), input, options);
  // Objects the dry run could not validate are never written by a dry-run operation.
  if (ctx.dryRun) pending = pending.filter((t) => !t.skipDryRun);
  const head = pending[0];
  const tail = pending[pending.length - 1];
  if (head === undefined || tail === undefined) {
    deleteHooks(ctx, deleteOnSuccess, 'hookSucceeded');
    return end(state, 'Succeeded', 'successfully synced (no more tasks)');
  }

  const finalWave = head.phase === tail.phase && head.wave === tail.wave;
  const group = pending.filter((t) => t.phase === head.phase && t.wave === head.wave);
  const remaining = pending.length - group.length;
  state.phase = 'Running';
  state.message = 'one or more tasks are running';
  const outcome = runSyncTasks(ctx, group, false);
  if (!finalWave)
    state.actions.push({ type: 'sleep', ms: input.settings?.waveDelayMs ?? DEFAULT_WAVE_DELAY_MS });

  if (outcome.state === 'pending') {
    setWaiting(state, outcome.waitingFor, outcome.reason);
  } else if (remaining === 0 && !group.some((t) => t.hook)) {
    // The last wave is not health-gated: applied is done, even if it degrades later.
    deleteHooks(ctx, deleteOnSuccess, 'hookSucceeded');
    state.phase = 'Succeeded';
    state.message = 'successfully synced (all tasks run)';
  } else {
    setWaiting(state, group, 'health');
  }
  return finish(state);
}

function startedAtUnixOf(input: SyncStepInput): number {
  const startedAt = Date.parse(input.state.startedAt);
  return Number.isNaN(startedAt) ? 0 : Math.floor(startedAt / 1000);
}

function plannedTasks(
  input: SyncStepInput,
  op: SyncOperation,
  options: AppSyncOptions,
): { tasks: SyncTask[]; invalid: Map<SyncTask, string> } {
  const built = buildSyncTasks({
    targets: input.targets,
    live: input.live,
    managed: input.managed,
    scopeOf: input.scopeOf,
    permit: input.permit,
    destinationNamespace: input.app.spec.destination.namespace ?? '',
    revision: input.state.syncResult?.revision ?? op.revision ?? '',
    startedAtUnix: startedAtUnixOf(input),
    options,
    skipHooks: op.syncStrategy?.apply !== undefined || (op.resources?.length ?? 0) > 0,
    selection: op.resources,
    managedNamespaceMetadata: input.app.spec.syncPolicy?.managedNamespaceMetadata,
  });
  const tasks = orderSyncTasks(built.tasks, { pruneLast: options.pruneLast });
  for (const task of tasks) task.resultKey = resultKey(task, task.phase);
  return { tasks, invalid: built.invalid };
}

/** The ordered tasks a step would work from, before any result is applied; for inspection and benchmarks. */
export function planSyncTasks(input: SyncStepInput): readonly Readonly<SyncTask>[] {
  const op = input.operation.sync ?? {};
  return plannedTasks(input, op, parseAppSyncOptions(op.syncOptions)).tasks;
}
