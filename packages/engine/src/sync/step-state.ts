import type { OperationPhase, ResourceResult, ResultCode } from '@capstan/crds';
import type { KubeObject } from '../types.ts';
import { HOOK_FINALIZER } from './hook-types.ts';
import { resourceImages } from './resource-images.ts';
import type { ResourceRef, SyncAction } from './sync-actions.ts';
import { resultKeyOf, taskObject } from './sync-task.ts';
import type { SyncTask } from './sync-task.ts';

/** What one step accumulates: results (in first-recorded order), actions, and the operation's phase. */
export interface StepState {
  readonly results: Map<string, ResourceResult>;
  readonly actions: SyncAction[];
  /** Results recorded by this step, whose objects the live state cannot show yet. */
  readonly fresh: Set<string>;
  phase: OperationPhase;
  message: string;
  /** Last apply batch number handed out. */
  batch: number;
}

export function newStepState(
  results: readonly ResourceResult[] | undefined,
  phase: OperationPhase,
): StepState {
  const map = new Map<string, ResourceResult>();
  for (const result of results ?? []) map.set(resultKeyOf(result), result);
  return { results: map, actions: [], fresh: new Set(), phase, message: '', batch: 0 };
}

export function resourceRef(task: SyncTask): ResourceRef {
  const ref: ResourceRef = {
    group: task.group,
    version: task.version,
    kind: task.kind,
    namespace: task.namespace,
    name: task.name,
    syncPhase: task.phase,
  };
  if (task.hook) ref.hookType = task.phase;
  const images = resourceImages(taskObject(task));
  if (images.length > 0) ref.images = images;
  return ref;
}

/** Records a task's outcome; an empty message keeps the previous one, as upstream does. */
export function setResult(
  state: StepState,
  task: SyncTask,
  outcome: {
    readonly status: ResultCode | undefined;
    readonly phase: OperationPhase | undefined;
    readonly message?: string;
  },
): void {
  task.status = outcome.status;
  task.hookPhase = outcome.phase;
  if (outcome.message !== undefined && outcome.message !== '') task.message = outcome.message;
  const existing = state.results.get(task.resultKey);
  const result: ResourceResult = existing !== undefined ? { ...existing } : { ...resourceRef(task) };
  delete result.status;
  delete result.hookPhase;
  delete result.message;
  if (task.status !== undefined) result.status = task.status;
  if (task.message !== undefined) result.message = task.message;
  if (task.hookPhase !== undefined) result.hookPhase = task.hookPhase;
  state.results.set(task.resultKey, result);
  state.fresh.add(task.resultKey);
}

export function hasHookFinalizer(obj: KubeObject | undefined): boolean {
  return obj?.metadata?.finalizers?.includes(HOOK_FINALIZER) ?? false;
}

export type WaitReason = 'health' | 'deletion' | 'confirmation';

/** Argo CD's "waiting for …" message: hooks named before resources, then how many more there are. */
export function waitingMessage(tasks: readonly SyncTask[], reason: WaitReason): string {
  const hooks = tasks.filter((t) => t.hook);
  const resources = tasks.filter((t) => !t.hook);
  const first = hooks[0] ?? resources[0];
  if (first === undefined) return '';
  let why = hooks.length > 0 ? 'completion of hook' : 'healthy state of';
  if (reason === 'deletion') why = hooks.length > 0 ? 'deletion of hook' : 'deletion of';
  if (reason === 'confirmation') why = 'pruning confirmation of';
  let message = `waiting for ${why} ${first.group}/${first.kind}/${first.name}`;
  if (tasks.length > 1)
    message += ` and ${tasks.length - 1} more ${resources.length > 0 ? 'resources' : 'hooks'}`;
  return message;
}

export function setWaiting(state: StepState, tasks: readonly SyncTask[], reason: WaitReason): void {
  state.phase = 'Running';
  state.message = waitingMessage(tasks, reason);
}
