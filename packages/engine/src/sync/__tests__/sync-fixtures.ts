// Builders and a small simulated cluster for the sync tests; imported only by *.test.ts files.
import type { Operation, OperationPhase, ResourceResult } from '@capstan/crds';
import { groupOf, keyOf, keyString } from '../../types.ts';
import type { HealthStatus, HealthStatusCode, KubeObject, ScopeOf } from '../../types.ts';
import { executeSyncStep } from '../execute-sync-step.ts';
import type { SyncActionOutcome } from '../execute-sync-step.ts';
import type { SyncAction } from '../sync-actions.ts';
import { syncStep } from '../sync-step.ts';
import type { SyncStepApp, SyncStepInput, SyncStepOutput } from '../sync-step-types.ts';

export const DEST = 'production';
export const REVISION = '0123456789abcdef0123456789abcdef01234567';
export const STARTED_AT = '2026-03-01T10:00:00Z';

export interface ObjOptions {
  readonly namespace?: string;
  readonly annotations?: Record<string, string>;
  readonly wave?: number;
  readonly hook?: string;
  readonly deletePolicy?: string;
  readonly syncOptions?: string;
  readonly uid?: string;
  readonly finalizers?: string[];
  readonly deletionTimestamp?: string;
  readonly generateName?: string;
  readonly spec?: Record<string, unknown>;
  readonly managedFields?: unknown[];
  readonly resourceVersion?: string;
}

export function obj(apiVersion: string, kind: string, name: string, options: ObjOptions = {}): KubeObject {
  const annotations: Record<string, string> = { ...options.annotations };
  if (options.wave !== undefined) annotations['argocd.argoproj.io/sync-wave'] = String(options.wave);
  if (options.hook !== undefined) annotations['argocd.argoproj.io/hook'] = options.hook;
  if (options.deletePolicy !== undefined)
    annotations['argocd.argoproj.io/hook-delete-policy'] = options.deletePolicy;
  if (options.syncOptions !== undefined) annotations['argocd.argoproj.io/sync-options'] = options.syncOptions;
  const metadata: NonNullable<KubeObject['metadata']> = {};
  if (name !== '') metadata.name = name;
  if (options.generateName !== undefined) metadata.generateName = options.generateName;
  if (options.namespace !== undefined) metadata.namespace = options.namespace;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (options.uid !== undefined) metadata.uid = options.uid;
  if (options.finalizers !== undefined) metadata.finalizers = options.finalizers;
  if (options.deletionTimestamp !== undefined) metadata.deletionTimestamp = options.deletionTimestamp;
  if (options.managedFields !== undefined) metadata.managedFields = options.managedFields;
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  const result: KubeObject = { apiVersion, kind, metadata };
  if (options.spec !== undefined) result['spec'] = options.spec;
  return result;
}

export const cm = (name: string, options: ObjOptions = {}): KubeObject =>
  obj('v1', 'ConfigMap', name, { namespace: DEST, ...options });
export const deploy = (name: string, options: ObjOptions = {}): KubeObject =>
  obj('apps/v1', 'Deployment', name, { namespace: DEST, ...options });
export const job = (name: string, options: ObjOptions = {}): KubeObject =>
  obj('batch/v1', 'Job', name, { namespace: DEST, ...options });
export const svc = (name: string, options: ObjOptions = {}): KubeObject =>
  obj('v1', 'Service', name, { namespace: DEST, ...options });
export const ns = (name: string, options: ObjOptions = {}): KubeObject =>
  obj('v1', 'Namespace', name, options);

const CLUSTER_SCOPED = new Set([
  '/Namespace',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  '/PersistentVolume',
  'storage.k8s.io/StorageClass',
]);
const NAMESPACED = new Set([
  '/ConfigMap',
  '/Secret',
  '/Service',
  '/ServiceAccount',
  '/Pod',
  'apps/Deployment',
  'extensions/Deployment',
  'apps/StatefulSet',
  'batch/Job',
  'autoscaling/HorizontalPodAutoscaler',
  'monitoring.coreos.com/ServiceMonitor',
  'rbac.authorization.k8s.io/Role',
]);

/** Discovery of a cluster with the Prometheus operator installed; anything else is unknown. */
export const scopeOf: ScopeOf = (group, kind) => {
  const key = `${group}/${kind}`;
  if (NAMESPACED.has(key)) return true;
  if (CLUSTER_SCOPED.has(key)) return false;
  return undefined;
};

export const healthy = (): HealthStatus => ({ status: 'Healthy' });

export const key = (o: KubeObject): string => keyString(keyOf(o));

export interface InputOptions {
  readonly targets?: readonly KubeObject[];
  readonly live?: readonly KubeObject[];
  readonly managed?: readonly KubeObject[];
  readonly results?: readonly ResourceResult[];
  readonly phase?: OperationPhase;
  readonly message?: string;
  readonly operation?: Operation;
  readonly syncOptions?: readonly string[];
  readonly prune?: boolean;
  readonly app?: Partial<SyncStepApp>;
  readonly health?: SyncStepInput['health'];
  readonly modified?: ReadonlyMap<string, boolean>;
  readonly permit?: SyncStepInput['permit'];
  readonly settings?: SyncStepInput['settings'];
  readonly now?: Date;
}

/** A step input with sensible defaults: every live object managed and Healthy, a plain hook sync. */
export function input(options: InputOptions = {}): SyncStepInput {
  const live = options.live ?? [];
  const operation: Operation = options.operation ?? {
    sync: {
      revision: REVISION,
      prune: options.prune ?? true,
      ...(options.syncOptions !== undefined ? { syncOptions: [...options.syncOptions] } : {}),
    },
  };
  const app: SyncStepApp = { spec: { destination: { namespace: DEST } }, ...options.app };
  return {
    operation,
    state: {
      phase: options.phase ?? 'Running',
      ...(options.message !== undefined ? { message: options.message } : {}),
      startedAt: STARTED_AT,
      syncResult: { revision: REVISION, resources: [...(options.results ?? [])] },
    },
    targets: options.targets ?? [],
    live,
    managed: new Set((options.managed ?? live).map(key)),
    ...(options.modified !== undefined ? { modified: options.modified } : {}),
    health: options.health ?? healthy,
    scopeOf,
    ...(options.permit !== undefined ? { permit: options.permit } : {}),
    app,
    ...(options.settings !== undefined ? { settings: options.settings } : {}),
    now: options.now ?? new Date('2026-03-01T10:05:00Z'),
  };
}

/** `Kind/name` of each action, for compact assertions. */
export function describeActions(actions: readonly SyncAction[]): string[] {
  return actions.map((a) => {
    switch (a.type) {
      case 'apply':
        return `apply ${a.obj.kind}/${a.obj.metadata?.name} #${a.batch}`;
      case 'createNamespace':
        return `createNamespace ${a.obj.metadata?.name}`;
      case 'dryRun':
        return `dryRun ${a.items.map((i) => `${i.obj.kind}/${i.obj.metadata?.name}`).join(',')}`;
      case 'delete':
        return `delete(${a.reason}) ${a.obj.kind}/${a.obj.metadata?.name}`;
      case 'stripFinalizer':
        return `stripFinalizer(${a.reason}) ${a.obj.kind}/${a.obj.metadata?.name}`;
      case 'sleep':
        return `sleep ${a.ms}`;
      case 'waitForEstablished':
        return `waitForEstablished ${a.crd.metadata?.name}`;
    }
  });
}

/**
 * A cluster that does what actions say: applied objects appear at once and are Healthy from the
 * next step unless told otherwise; deleted objects vanish; finalizers are stripped.
 */
export class SimulatedCluster {
  readonly objects = new Map<string, KubeObject>();
  readonly healthOverrides = new Map<string, HealthStatusCode>();
  readonly failures = new Map<string, string>();
  readonly log: SyncAction[] = [];
  private uid = 0;

  add(...objs: KubeObject[]): this {
    for (const o of objs) this.objects.set(key(o), o);
    return this;
  }

  /** Health as a real cluster would report it: kinds without a health check have none. */
  readonly health = (o: KubeObject): HealthStatus | undefined => {
    const override = this.healthOverrides.get(key(o));
    if (override !== undefined) return { status: override, message: `${o.kind} is ${override}` };
    if (o.kind === 'ConfigMap' || o.kind === 'ServiceAccount' || o.kind === 'Namespace') return undefined;
    return { status: 'Healthy' };
  };

  readonly run = async (action: SyncAction): Promise<SyncActionOutcome> => {
    this.log.push(action);
    switch (action.type) {
      case 'apply':
      case 'createNamespace': {
        const failure = this.failures.get(key(action.obj));
        if (failure !== undefined) return { ok: false, message: failure };
        if (action.options.dryRun) return { ok: true };
        const stored = { ...action.obj, metadata: { ...action.obj.metadata, uid: `uid-${++this.uid}` } };
        // Cluster-scoped objects are stored without the namespace, as the API server would.
        const namespaced = scopeOf(groupOf(stored.apiVersion), stored.kind ?? '') !== false;
        if (!namespaced) delete stored.metadata.namespace;
        this.objects.set(key(stored), stored);
        return { ok: true, message: `${action.obj.kind}/${action.obj.metadata?.name} applied` };
      }
      case 'dryRun': {
        const failures = action.items
          .filter((i) => this.failures.has(key(i.obj)))
          .map((i) => ({ key: i.key, message: this.failures.get(key(i.obj)) ?? '' }));
        return failures.length > 0 ? { ok: false, message: 'dry run failed', failures } : { ok: true };
      }
      case 'delete':
        this.objects.delete(key(action.obj));
        return { ok: true };
      case 'stripFinalizer': {
        const stored = this.objects.get(key(action.obj));
        if (stored?.metadata?.finalizers !== undefined) {
          const finalizers = stored.metadata.finalizers.filter((f) => f !== action.finalizer);
          this.objects.set(key(stored), { ...stored, metadata: { ...stored.metadata, finalizers } });
        }
        return { ok: true };
      }
      case 'sleep':
      case 'waitForEstablished':
        return { ok: true };
    }
  };

  live(): KubeObject[] {
    return [...this.objects.values()];
  }
}

export interface Run {
  readonly steps: SyncStepOutput[];
  readonly final: SyncStepOutput;
}

/**
 * Drives an operation to its end the way the controller would: one `syncStep`, its actions carried
 * out, the results persisted, repeat. `before` may change the cluster or the operation between steps.
 */
export async function drive(options: {
  readonly cluster: SimulatedCluster;
  readonly targets: readonly KubeObject[];
  readonly base?: InputOptions;
  readonly before?: (step: number, state: { phase: OperationPhase }) => void;
  readonly maxSteps?: number;
}): Promise<Run> {
  const { cluster } = options;
  const steps: SyncStepOutput[] = [];
  let results: ResourceResult[] = [];
  const state: { phase: OperationPhase; message: string | undefined } = {
    phase: 'Running',
    message: undefined,
  };
  for (let i = 1; i <= (options.maxSteps ?? 30); i++) {
    options.before?.(i, state);
    const step = syncStep(
      input({
        ...options.base,
        targets: options.targets,
        live: cluster.live(),
        results,
        phase: state.phase,
        ...(state.message !== undefined ? { message: state.message } : {}),
        health: cluster.health,
      }),
    );
    const done = await executeSyncStep({ step, previous: results, run: cluster.run });
    steps.push(done);
    results = done.results;
    state.phase = done.phase;
    state.message = done.message;
    if (done.phase !== 'Running') return { steps, final: done };
  }
  throw new Error(`operation still running after ${options.maxSteps ?? 30} steps: ${state.message}`);
}
