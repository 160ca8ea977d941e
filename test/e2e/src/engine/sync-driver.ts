// A minimal driver of the engine's sync state machine against a real cluster, standing in for the
// application-controller until it exists: read live state, compute one step, carry out its actions
// through the kube ResourceClient, persist the results, repeat.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Operation, ResourceResult } from '@capstan/crds';
import {
  executeSyncStep,
  groupOf,
  HealthAssessor,
  keyOf,
  keyString,
  syncStep,
  type KubeObject,
  type OperationPhase,
  type SyncAction,
  type SyncActionOutcome,
} from '@capstan/engine';
import type { ResourceClient } from '@capstan/kube';

export interface DriveOptions {
  readonly client: ResourceClient;
  readonly targets: readonly KubeObject[];
  readonly namespace: string;
  readonly waveDelayMs: number;
  readonly maxSteps?: number;
  readonly onStep?: (n: number, phase: OperationPhase, actions: readonly SyncAction[]) => void;
}

export interface DriveResult {
  readonly phase: OperationPhase;
  readonly message: string;
  readonly steps: number;
  readonly results: readonly ResourceResult[];
  readonly actions: readonly SyncAction[];
}

const k8s = (o: KubeObject): KubernetesObject => o as unknown as KubernetesObject;

export async function driveSync(options: DriveOptions): Promise<DriveResult> {
  const { client } = options;
  const scopes = new Map<string, boolean | undefined>();
  for (const t of options.targets) {
    const id = `${groupOf(t.apiVersion)}/${t.kind ?? ''}`;
    if (!scopes.has(id)) scopes.set(id, await client.namespaced(t.apiVersion ?? '', t.kind ?? ''));
  }
  const scopeOf = (group: string, kind: string): boolean | undefined => scopes.get(`${group}/${kind}`);
  const health = new HealthAssessor();
  const operation: Operation = { sync: { revision: '0123456789abcdef0123456789abcdef01234567' } };
  const startedAt = new Date().toISOString();
  let state = {
    phase: 'Running' as OperationPhase,
    message: '',
    startedAt,
    syncResult: { revision: operation.sync?.revision ?? '', resources: [] as ResourceResult[] },
  };
  const allActions: SyncAction[] = [];

  const liveState = async (): Promise<KubeObject[]> => {
    const found: KubeObject[] = [];
    const seen = new Set<string>();
    const lookups = [
      ...options.targets.map((t) => {
        const namespaced = scopeOf(groupOf(t.apiVersion), t.kind ?? '') !== false;
        return {
          ...t,
          metadata: {
            ...t.metadata,
            ...(namespaced ? { namespace: t.metadata?.namespace ?? options.namespace } : {}),
          },
        };
      }),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: options.namespace } },
    ];
    for (const obj of lookups) {
      const live = (await client.get(k8s(obj))) as KubeObject | undefined;
      if (live === undefined) continue;
      const id = keyString(keyOf(live));
      if (!seen.has(id)) found.push(live);
      seen.add(id);
    }
    return found;
  };

  const run = async (action: SyncAction): Promise<SyncActionOutcome> => {
    allActions.push(action);
    try {
      switch (action.type) {
        case 'apply':
        case 'createNamespace':
          if (action.options.verb === 'create') await client.create(k8s(action.obj), action.options.dryRun);
          else if (action.options.verb === 'replace' || action.options.verb === 'update')
            await client.replace(k8s(action.obj));
          else await client.apply(k8s(action.obj), { dryRun: action.options.dryRun });
          return { ok: true };
        case 'dryRun': {
          const failures: { key: string; message: string }[] = [];
          for (const item of action.items) {
            await client
              .apply(k8s(item.obj), { dryRun: true })
              .catch((err: unknown) => failures.push({ key: item.key, message: (err as Error).message }));
          }
          return failures.length === 0
            ? { ok: true }
            : { ok: false, message: failures[0]?.message ?? 'dry run failed', failures };
        }
        case 'delete':
          await client.delete(
            k8s(action.obj),
            action.propagationPolicy === 'background'
              ? 'Background'
              : action.propagationPolicy === 'orphan'
                ? 'Orphan'
                : 'Foreground',
          );
          return { ok: true };
        case 'stripFinalizer':
          await client.removeFinalizer(k8s(action.obj), action.finalizer);
          return { ok: true };
        case 'sleep':
          await new Promise((r) => setTimeout(r, action.ms));
          return { ok: true };
        case 'waitForEstablished':
          return { ok: true };
      }
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  };

  for (let n = 1; n <= (options.maxSteps ?? 60); n++) {
    const live = await liveState();
    const step = syncStep({
      operation,
      state,
      targets: options.targets,
      live,
      managed: new Set(live.map((o) => keyString(keyOf(o)))),
      health: await health.healthOf(live),
      scopeOf,
      app: { spec: { destination: { namespace: options.namespace } } },
      settings: { waveDelayMs: options.waveDelayMs },
      now: new Date(),
    });
    const done = await executeSyncStep({ step, previous: state.syncResult.resources, run });
    options.onStep?.(n, done.phase, step.actions);
    state = {
      ...state,
      phase: done.phase,
      message: done.message,
      syncResult: { ...state.syncResult, resources: done.results },
    };
    if (done.phase !== 'Running')
      return {
        phase: done.phase,
        message: done.message,
        steps: n,
        results: done.results,
        actions: allActions,
      };
    // Nothing to do this step: the controller would wait for a watch event or its 5 s poll.
    if (step.actions.length === 0) await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`sync did not finish within ${options.maxSteps ?? 60} steps: ${state.message}`);
}
