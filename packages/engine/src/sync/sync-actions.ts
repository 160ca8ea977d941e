import type { ResourceResult } from '@capstan/crds';
import type { KubeObject } from '../types.ts';
import type { PropagationPolicy } from './sync-options.ts';

/** How to write one object; a plain `kubectl apply` unless the options say otherwise. */
export interface ApplyOptions {
  /**
   * `apply` (client- or server-side), or with Replace=true: `create` when absent, `replace` when
   * present, `update` (a plain PUT carrying the live resourceVersion) for CRDs and Namespaces,
   * which a replace could delete with everything in them.
   */
  readonly verb: 'apply' | 'create' | 'replace' | 'update';
  /** `--server-side --force-conflicts` as field manager `argocd-controller`. Never with Replace or a dry run. */
  readonly serverSide: boolean;
  /** Delete and re-create on conflicts (`--force`). */
  readonly force: boolean;
  /** Replace=true was asked for (the verb says how it is carried out). */
  readonly replace: boolean;
  /** Schema validation (Validate=false turns it off). */
  readonly validate: boolean;
  /** Client-side dry run: nothing is written. */
  readonly dryRun: boolean;
  /**
   * Before this server-side apply, re-apply client-side as manager `kubectl-client-side-apply` so
   * that the fields it owns migrate to the server-side manager.
   */
  readonly migrateClientSideApply: boolean;
}

/** Which persisted result an action reports into; actions that concern no task have none. */
export type ResourceRef = Pick<
  ResourceResult,
  'group' | 'version' | 'kind' | 'namespace' | 'name' | 'syncPhase' | 'hookType' | 'images'
>;

export interface ApplyAction {
  readonly type: 'apply';
  readonly key: string;
  readonly resource: ResourceRef;
  readonly obj: KubeObject;
  readonly options: ApplyOptions;
  /** Consecutive applies with the same batch number may run concurrently; batches run in order. */
  readonly batch: number;
}

export interface CreateNamespaceAction {
  readonly type: 'createNamespace';
  readonly key: string;
  readonly resource: ResourceRef;
  readonly obj: KubeObject;
  readonly options: ApplyOptions;
}

export interface DryRunItem {
  readonly key: string;
  readonly resource: ResourceRef;
  readonly obj: KubeObject;
  readonly options: ApplyOptions;
}

/** Client-side dry run of every item; any failure fails the operation before anything is written. */
export interface DryRunAction {
  readonly type: 'dryRun';
  readonly items: readonly DryRunItem[];
}

export type DeleteReason = 'prune' | 'beforeHookCreation' | 'hookSucceeded' | 'hookFailed' | 'terminate';

/** Deleting an object that is already gone counts as success. */
export interface DeleteAction {
  readonly type: 'delete';
  readonly key: string;
  readonly resource: ResourceRef;
  readonly obj: KubeObject;
  readonly propagationPolicy: PropagationPolicy;
  readonly reason: DeleteReason;
}

export type StripFinalizerReason = 'completedHook' | 'pendingHook' | 'terminate';

/** Remove `finalizer` from the live object (an update with retry on conflict; gone counts as done). */
export interface StripFinalizerAction {
  readonly type: 'stripFinalizer';
  readonly key: string;
  readonly resource: ResourceRef;
  readonly obj: KubeObject;
  readonly finalizer: string;
  readonly reason: StripFinalizerReason;
}

/** Let other controllers react to the wave just applied before its health is assessed. */
export interface SleepAction {
  readonly type: 'sleep';
  readonly ms: number;
}

/** Poll a CRD just applied until it is Established, for at most `timeoutMs`; a timeout is not an error. */
export interface WaitForEstablishedAction {
  readonly type: 'waitForEstablished';
  readonly crd: KubeObject;
  readonly timeoutMs: number;
}

export type SyncAction =
  | ApplyAction
  | CreateNamespaceAction
  | DryRunAction
  | DeleteAction
  | StripFinalizerAction
  | SleepAction
  | WaitForEstablishedAction;
