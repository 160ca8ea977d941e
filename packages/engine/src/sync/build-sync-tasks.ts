import { Annotations } from '@capstan/crds';
import type { ManagedNamespaceMetadata, SyncOperationResource } from '@capstan/crds';
import { groupOf, keyOf, keyString } from '../types.ts';
import type { KubeObject, ResourceKey, ScopeOf } from '../types.ts';
import { crdDefines } from './crd-defines.ts';
import { hookDeletePolicies } from './hook-delete-policies.ts';
import {
  HOOK_FINALIZER,
  HOOK_OPERATION_ANNOTATION,
  hookOperationStamp,
  isHook,
  isIgnoredHook,
  syncPhasesOf,
} from './hook-types.ts';
import type { SyncTaskPhase } from './hook-types.ts';
import { kindRank } from './kind-order.ts';
import { resourceSyncOptions } from './sync-options.ts';
import type { AppSyncOptions } from './sync-options.ts';
import type { PermissionCheck } from './sync-step-types.ts';
import { taskObject, versionOf } from './sync-task.ts';
import type { SyncTask } from './sync-task.ts';
import { syncWave } from './sync-wave.ts';

export interface BuildSyncTasksInput {
  readonly targets: readonly KubeObject[];
  readonly live: readonly KubeObject[];
  readonly managed: ReadonlySet<string>;
  readonly scopeOf: ScopeOf;
  readonly permit?: PermissionCheck | undefined;
  readonly destinationNamespace: string;
  /** Resolved revision; its first 7 characters name generateName hooks. */
  readonly revision: string;
  /** Operation start in Unix seconds; also part of generated hook names. */
  readonly startedAtUnix: number;
  readonly options: AppSyncOptions;
  /** Rollbacks (apply strategy) and selective syncs run no hooks. */
  readonly skipHooks: boolean;
  /** `operation.sync.resources`: when set, only these resources take part. */
  readonly selection?: readonly SyncOperationResource[] | undefined;
  readonly managedNamespaceMetadata?: ManagedNamespaceMetadata | undefined;
}

export interface BuiltSyncTasks {
  /** Unordered: see `orderSyncTasks`. */
  readonly tasks: SyncTask[];
  /** Tasks that may not run, with the reason to record; any entry fails the operation. */
  readonly invalid: Map<SyncTask, string>;
}

function withNamespace(obj: KubeObject, namespace: string): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

function selected(selection: readonly SyncOperationResource[], key: ResourceKey): boolean {
  return selection.some(
    (r) =>
      r.name === key.name &&
      r.kind === key.kind &&
      (r.group ?? '') === key.group &&
      (r.namespace === undefined || r.namespace === '' || r.namespace === key.namespace),
  );
}

const TRACKING_ID = 'argocd.argoproj.io/tracking-id';

function hookTarget(hook: KubeObject, phase: SyncTaskPhase, input: BuildSyncTasksInput): KubeObject {
  const metadata = { ...hook.metadata };
  if (metadata.name === undefined || metadata.name === '') {
    // Deterministic, so that every step of the operation finds the object an earlier step created.
    const revision = input.revision.length >= 8 ? input.revision.slice(0, 7) : input.revision;
    const suffix = `${revision}-${phase}-${input.startedAtUnix}`.toLowerCase();
    metadata.name = `${metadata.generateName ?? ''}${suffix}`;
    // The repo-server stamped the tracking id before the object had a name; without it the hook would
    // not be recognised as the app's own once created.
    const tracking = metadata.annotations?.[TRACKING_ID];
    if (tracking !== undefined && tracking.endsWith('/'))
      metadata.annotations = { ...metadata.annotations, [TRACKING_ID]: `${tracking}${metadata.name}` };
  }
  metadata.annotations = {
    ...metadata.annotations,
    [HOOK_OPERATION_ANNOTATION]: hookOperationStamp(input.startedAtUnix, phase),
  };
  const finalizers = metadata.finalizers ?? [];
  if (!finalizers.includes(HOOK_FINALIZER)) metadata.finalizers = [...finalizers, HOOK_FINALIZER];
  return { ...hook, metadata };
}

function makeTask(
  phase: SyncTaskPhase,
  target: KubeObject | undefined,
  live: KubeObject | undefined,
): SyncTask {
  const obj = (target ?? live) as KubeObject;
  const kind = obj.kind ?? '';
  const hook = isHook(obj);
  return {
    phase,
    wave: syncWave(obj),
    target,
    live,
    hook,
    deletePolicies: hook ? hookDeletePolicies(obj) : new Set(),
    skipDryRun: false,
    group: groupOf(obj.apiVersion),
    version: versionOf(obj.apiVersion),
    kind,
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
    kindRank: kindRank(kind),
    resultKey: '',
    status: undefined,
    hookPhase: undefined,
    message: undefined,
  };
}

/** The object Argo CD creates for CreateNamespace=true; metadata is managed through server-side apply. */
function managedNamespace(name: string, metadata: ManagedNamespaceMetadata | undefined): KubeObject {
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  if (metadata !== undefined && ns.metadata !== undefined) {
    if (metadata.labels !== undefined) ns.metadata.labels = { ...metadata.labels };
    ns.metadata.annotations = { ...metadata.annotations, [Annotations.syncOptions]: 'ServerSideApply=true' };
  }
  return ns;
}

/**
 * Turns manifests and live state into tasks: hooks split off (unrecognised ones dropped), targets
 * paired with live objects by (group, kind, namespace-or-destination, name), managed leftovers
 * become prunes, hooks become one task per phase, targets get the destination namespace, the
 * CreateNamespace task is added and every task is validated. Linear in the number of objects.
 */
export function buildSyncTasks(input: BuildSyncTasksInput): BuiltSyncTasks {
  const dest = input.destinationNamespace;
  const scopes = new Map<string, boolean | undefined>();
  const scopeOf = (group: string, kind: string): boolean | undefined => {
    const key = `${group}/${kind}`;
    if (!scopes.has(key)) scopes.set(key, input.scopeOf(group, kind));
    return scopes.get(key);
  };

  // Hooks are not resources: they are never paired with, nor pruned as, live objects.
  const resources = new Map<string, KubeObject>();
  const normalizedKeys = new Map<string, ResourceKey>();
  const hooks: KubeObject[] = [];
  const crdKinds = new Set<string>();
  for (const target of input.targets) {
    if (isIgnoredHook(target)) continue;
    const defines = crdDefines(target);
    if (defines !== undefined) crdKinds.add(defines);
    if (isHook(target)) {
      hooks.push(target);
      continue;
    }
    const key = keyOf(target);
    const namespaced = scopeOf(key.group, key.kind);
    const namespace = namespaced === false ? '' : key.namespace || dest;
    const normalized = { ...key, namespace };
    const normalizedKey = keyString(normalized);
    // A repeated manifest: the last one wins, as in Argo CD's comparison.
    resources.set(normalizedKey, target);
    normalizedKeys.set(normalizedKey, normalized);
  }

  const allLive = new Map<string, KubeObject>();
  for (const obj of input.live) allLive.set(keyString(keyOf(obj)), obj);
  const unpaired = new Map(allLive);
  dropUidDuplicates(unpaired, resources);

  const tasks: SyncTask[] = [];
  const keep = (key: ResourceKey): boolean =>
    input.selection === undefined || input.selection.length === 0 || selected(input.selection, key);

  for (const [normalizedKey, target] of resources) {
    const key = keyOf(target);
    const namespaced = scopeOf(key.group, key.kind);
    const candidates: string[] = [];
    if (namespaced !== false) candidates.push(keyString({ ...key, namespace: key.namespace || dest }));
    if (namespaced !== true) candidates.push(keyString({ ...key, namespace: '' }));
    let live: KubeObject | undefined;
    for (const candidate of candidates) {
      live = unpaired.get(candidate);
      if (live !== undefined) {
        unpaired.delete(candidate);
        break;
      }
    }
    const identity = live !== undefined ? keyOf(live) : normalizedKeys.get(normalizedKey);
    if (identity !== undefined && !keep(identity)) continue;
    // Targets get the destination namespace even when cluster-scoped, so that results and hoisting
    // see the same keys as upstream; actions strip it again for known cluster-scoped kinds.
    const namespace = namespaced === false ? dest : key.namespace || dest;
    const placed =
      namespace === (target.metadata?.namespace ?? '') ? target : withNamespace(target, namespace);
    for (const phase of syncPhasesOf(target)) tasks.push(makeTask(phase, placed, live));
  }

  for (const [key, live] of unpaired) {
    if (!input.managed.has(key) || isHook(live)) continue;
    if (!keep(keyOf(live))) continue;
    tasks.push(makeTask('Sync', undefined, live));
  }

  if (!input.skipHooks) {
    for (const hook of hooks) {
      const key = keyOf(hook);
      const namespace = scopeOf(key.group, key.kind) === false ? dest : key.namespace || dest;
      for (const phase of syncPhasesOf(hook)) {
        let target = hookTarget(hook, phase, input);
        if (namespace !== key.namespace) target = withNamespace(target, namespace);
        const task = makeTask(phase, target, undefined);
        task.live = managedLive(task, allLive, input.managed);
        tasks.push(task);
      }
    }
  }

  if (input.options.createNamespace && dest !== '') {
    const declared = [...resources.values()].some(
      (obj) => obj.kind === 'Namespace' && groupOf(obj.apiVersion) === '' && obj.metadata?.name === dest,
    );
    if (!declared) {
      const live = allLive.get(keyString({ group: '', kind: 'Namespace', namespace: '', name: dest }));
      if (live === undefined || input.managedNamespaceMetadata !== undefined) {
        tasks.push(makeTask('PreSync', managedNamespace(dest, input.managedNamespaceMetadata), live));
      }
    }
  }

  const invalid = new Map<SyncTask, string>();
  const appSkipsDryRun = input.options.skipDryRunOnMissingResource;
  for (const task of tasks) {
    const namespaced = scopeOf(task.group, task.kind);
    if (namespaced === undefined) {
      const tolerated =
        appSkipsDryRun ||
        (task.target !== undefined && resourceSyncOptions(task.target).skipDryRunOnMissingResource) ||
        crdKinds.has(`${task.group}/${task.kind}`);
      if (tolerated) task.skipDryRun = true;
      else
        invalid.set(
          task,
          `The Kubernetes API could not find ${task.group}/${task.kind} for requested resource ` +
            `${task.namespace}/${task.name}. Make sure the "${task.kind}" CRD is installed on the destination cluster.`,
        );
      continue;
    }
    const denied = input.permit?.(taskObject(task), namespaced);
    if (denied !== undefined) invalid.set(task, denied);
  }
  return { tasks, invalid };
}

/** The live copy of a hook from an earlier step or operation: only managed objects count. */
function managedLive(
  task: SyncTask,
  live: ReadonlyMap<string, KubeObject>,
  managed: ReadonlySet<string>,
): KubeObject | undefined {
  for (const namespace of [task.namespace, '']) {
    const key = keyString({ group: task.group, kind: task.kind, namespace, name: task.name });
    if (managed.has(key)) {
      const obj = live.get(key);
      if (obj !== undefined) return obj;
    }
  }
  return undefined;
}

/**
 * The same object listed under two API groups (apps and extensions Deployments share a UID): keep the
 * copies that have a target and drop the others until one copy is left.
 */
function dropUidDuplicates(live: Map<string, KubeObject>, targets: ReadonlyMap<string, KubeObject>): void {
  const byUid = new Map<string, string[]>();
  for (const [key, obj] of live) {
    const uid = obj.metadata?.uid;
    if (uid === undefined || uid === '') continue;
    const keys = byUid.get(uid);
    if (keys === undefined) byUid.set(uid, [key]);
    else keys.push(key);
  }
  for (const keys of byUid.values()) {
    let left = keys.length;
    for (const key of keys) {
      if (left <= 1) break;
      if (!targets.has(key)) {
        live.delete(key);
        left--;
      }
    }
  }
}
