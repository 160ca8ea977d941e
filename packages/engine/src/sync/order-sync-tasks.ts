import { groupOf } from '../types.ts';
import type { KubeObject } from '../types.ts';
import { crdDefines } from './crd-defines.ts';
import type { SyncTaskPhase } from './hook-types.ts';
import { resourceSyncOptions } from './sync-options.ts';
import { isPrune } from './sync-task.ts';
import type { SyncTask } from './sync-task.ts';

const PHASE_ORDER: Readonly<Record<SyncTaskPhase, number>> = {
  PreSync: -1,
  Sync: 0,
  PostSync: 1,
  SyncFail: 2,
};

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Phase, wave, kind rank, name; then namespace, group and kind only to make ties deterministic. */
export function compareSyncTasks(a: SyncTask, b: SyncTask): number {
  return (
    PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] ||
    a.wave - b.wave ||
    a.kindRank - b.kindRank ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.group, b.group) ||
    Number(isPrune(a)) - Number(isPrune(b))
  );
}

/**
 * Moves each dependency (a Namespace, a CRD) in front of the first task that needs it and was sorted
 * before it, giving it that task's phase and wave. Several dependencies hoisted in front of the same
 * task keep the order in which they were met. Linear: no element is shifted more than once.
 */
function hoist(
  tasks: SyncTask[],
  dependencyOf: (obj: KubeObject) => string | undefined,
  needsOf: (obj: KubeObject) => string | undefined,
): SyncTask[] {
  const firstNeeding = new Map<string, SyncTask>();
  const hoisted = new Map<SyncTask, SyncTask[]>();
  const moved = new Set<SyncTask>();
  for (const task of tasks) {
    if (task.target === undefined) continue;
    const provides = dependencyOf(task.target);
    if (provides !== undefined) {
      const dependent = firstNeeding.get(provides);
      if (dependent === undefined) continue;
      task.phase = dependent.phase;
      task.wave = dependent.wave;
      const before = hoisted.get(dependent);
      if (before === undefined) hoisted.set(dependent, [task]);
      else before.push(task);
      moved.add(task);
      continue;
    }
    const needs = needsOf(task.target);
    if (needs !== undefined && !firstNeeding.has(needs)) firstNeeding.set(needs, task);
  }
  if (moved.size === 0) return tasks;
  const ordered: SyncTask[] = [];
  for (const task of tasks) {
    if (moved.has(task)) continue;
    const before = hoisted.get(task);
    if (before !== undefined) ordered.push(...before);
    ordered.push(task);
  }
  return ordered;
}

const namespaceProvided = (obj: KubeObject): string | undefined =>
  obj.kind === 'Namespace' && groupOf(obj.apiVersion) === '' ? (obj.metadata?.name ?? '') : undefined;

const namespaceNeeded = (obj: KubeObject): string | undefined => {
  const namespace = obj.metadata?.namespace ?? '';
  return namespace === '' ? undefined : namespace;
};

const kindNeeded = (obj: KubeObject): string => `${groupOf(obj.apiVersion)}/${obj.kind ?? ''}`;

/**
 * Orders tasks for execution: prune waves mirrored among prunes (so deletion undoes creation order),
 * PruneLast prunes moved after the last Sync wave, then phase → wave → kind → name, then Namespaces
 * and CRDs hoisted in front of their first dependent.
 */
export function orderSyncTasks(
  tasks: readonly SyncTask[],
  options: { readonly pruneLast: boolean },
): SyncTask[] {
  const prunes = tasks.filter(isPrune);
  const waves = [...new Set(prunes.map((t) => t.wave))].sort((a, b) => a - b);
  const mirrored = new Map(waves.map((wave, i) => [wave, waves[waves.length - 1 - i] ?? wave]));
  for (const task of prunes) task.wave = mirrored.get(task.wave) ?? task.wave;

  // Upstream starts from 0, so PruneLast never lands before wave 1 even if every Sync wave is negative.
  let lastSyncWave = 0;
  for (const task of tasks) if (task.phase === 'Sync' && task.wave > lastSyncWave) lastSyncWave = task.wave;
  for (const task of prunes) {
    if (options.pruneLast || resourceSyncOptions(task.live).pruneLast) task.wave = lastSyncWave + 1;
  }

  const sorted = [...tasks].sort(compareSyncTasks);
  return hoist(hoist(sorted, namespaceProvided, namespaceNeeded), crdDefines, kindNeeded);
}
