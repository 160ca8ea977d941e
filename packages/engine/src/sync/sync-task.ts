import type { OperationPhase, ResourceResult, ResultCode } from '@capstan/crds';
import type { KubeObject } from '../types.ts';
import type { HookDeletePolicy } from './hook-delete-policies.ts';
import type { SyncTaskPhase } from './hook-types.ts';

/**
 * One unit of a sync: apply a target (resource or hook, once per phase) or prune a live object.
 * Tasks are rebuilt from manifests, live state and persisted results at every step; the mutable
 * fields are filled in while a step is planned and never outlive it.
 */
export interface SyncTask {
  /** Hoisting may move a Namespace or CRD into the phase of the first task that needs it. */
  phase: SyncTaskPhase;
  /** Effective wave: the annotation, then prune mirroring, PruneLast or hoisting. */
  wave: number;
  /** Absent for a prune. Hooks carry their generated name and the hook finalizer. */
  readonly target: KubeObject | undefined;
  live: KubeObject | undefined;
  readonly hook: boolean;
  readonly deletePolicies: ReadonlySet<HookDeletePolicy>;
  /** Unknown kind tolerated because its CRD comes with the sync (or the options say so). */
  skipDryRun: boolean;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly kindRank: number;
  /** `group/kind/namespace/name:phase`, the key results are persisted under. */
  resultKey: string;
  status: ResultCode | undefined;
  hookPhase: OperationPhase | undefined;
  message: string | undefined;
}

export function taskObject(task: SyncTask): KubeObject {
  // Every task has a target or a live object; the builder never makes one without either.
  return (task.target ?? task.live) as KubeObject;
}

export function isPrune(task: SyncTask): boolean {
  return task.target === undefined;
}

export function isPending(task: SyncTask): boolean {
  return task.hookPhase === undefined;
}

export function isRunning(task: SyncTask): boolean {
  return task.hookPhase === 'Running';
}

export function isCompleted(task: SyncTask): boolean {
  return task.hookPhase === 'Succeeded' || task.hookPhase === 'Failed' || task.hookPhase === 'Error';
}

export function isSuccessful(task: SyncTask): boolean {
  return task.hookPhase === 'Succeeded';
}

/** Key under which a result is persisted: the same for a task and for the result it produced. */
export function resultKey(
  key: { readonly group: string; readonly kind: string; readonly namespace: string; readonly name: string },
  phase: string,
): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}:${phase}`;
}

export function resultKeyOf(result: ResourceResult): string {
  return resultKey(result, result.syncPhase ?? '');
}

export function versionOf(apiVersion: string | undefined): string {
  if (apiVersion === undefined) return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}
