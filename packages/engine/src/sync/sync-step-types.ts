import type {
  ApplicationCondition,
  ManagedNamespaceMetadata,
  Operation,
  OperationPhase,
  OperationState,
  ResourceResult,
} from '@capstan/crds';
import type { HealthStatus, KubeObject, ScopeOf } from '../types.ts';
import type { SyncAction } from './sync-actions.ts';

/** Health of a live object; undefined for kinds that have none (a ConfigMap), which count as healthy. */
export type HealthOf = (obj: KubeObject) => HealthStatus | undefined;

/**
 * The project's verdict on one task's object (its kind, and its namespace as a destination):
 * undefined when permitted, else the message to record.
 */
export type PermissionCheck = (obj: KubeObject, namespaced: boolean) => string | undefined;

/** The slice of the Application a sync step reads; an `Application` fits. */
export interface SyncStepApp {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> } | undefined;
  readonly spec: {
    readonly destination: { readonly namespace?: string | undefined };
    readonly syncPolicy?:
      { readonly managedNamespaceMetadata?: ManagedNamespaceMetadata | undefined } | undefined;
  };
  readonly status?: { readonly conditions?: readonly ApplicationCondition[] | undefined } | undefined;
}

export interface SyncSettings {
  /** Pause after each wave but the last (`ARGOCD_SYNC_WAVE_DELAY`); 2 s by default. */
  readonly waveDelayMs?: number;
  /** Terminate operations running longer than this (`--sync-timeout`); off by default. */
  readonly syncTimeoutMs?: number;
  /** How long to wait for an applied CRD to be Established; 3 s by default. */
  readonly crdEstablishedTimeoutMs?: number;
}

export interface SyncStepInput {
  /** The operation being run (`status.operationState.operation`). */
  readonly operation: Operation;
  /**
   * What has been persisted so far: phase (Running, or Terminating when asked to stop), message,
   * startedAt, and `syncResult` with the resolved revision and the per-resource results.
   */
  readonly state: Pick<OperationState, 'phase' | 'message' | 'startedAt' | 'syncResult'>;
  /** Manifests rendered at the pinned revision, hooks included. */
  readonly targets: readonly KubeObject[];
  /**
   * Current live objects: every object the app manages, any object found at a target's key, and the
   * destination Namespace if it exists. It must reflect the previous step's writes: a running task
   * whose object is absent here is taken as deleted.
   */
  readonly live: readonly KubeObject[];
  /** `keyString()`s of the live objects the app manages; only these are ever pruned. */
  readonly managed: ReadonlySet<string>;
  /**
   * Diff verdicts by the live object's `keyString()`: true when it differs from its target. Read
   * only with ApplyOutOfSyncOnly=true; a missing entry counts as modified.
   */
  readonly modified?: ReadonlyMap<string, boolean> | undefined;
  readonly health: HealthOf;
  readonly scopeOf: ScopeOf;
  readonly permit?: PermissionCheck | undefined;
  readonly app: SyncStepApp;
  readonly settings?: SyncSettings | undefined;
  readonly now: Date;
}

export interface SyncStepOutput {
  /** Running while there is more to do; Succeeded, Failed or Error when the operation is over. */
  readonly phase: OperationPhase;
  readonly message: string;
  /** Every result of the operation so far, in the order first recorded: persist as `syncResult.resources`. */
  readonly results: ResourceResult[];
  /**
   * What to do to the cluster, in order; `results`, `phase` and `message` assume they all succeed
   * (see `executeSyncStep` for what a failure changes).
   */
  readonly actions: SyncAction[];
}
