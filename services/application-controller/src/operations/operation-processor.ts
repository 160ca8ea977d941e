import type { KubernetesObject } from '@kubernetes/client-node';
import type { Application, AppProject, OperationState, RevisionHistory } from '@capstan/crds';
import { CapstanError } from '@capstan/errors';
import type { HealthAssessor } from '@capstan/engine';
import {
  appendHistory,
  applyRetryPolicy,
  executeSyncStep,
  groupOf,
  hasMultipleSources,
  isGroupKindNamePermitted,
  isDestinationPermitted,
  keyOf,
  keyString,
  primarySource,
  refreshLevelAfterOperation,
  isAutomatedSyncEnabled,
  parseAppSyncOptions,
  resumeRetry,
  syncStep,
  syncWindowPreventsSync,
  toK8sTime,
  type KubeObject,
  type PermissionCheck,
  projectName,
} from '@capstan/engine';
import type { ClusterCache } from '@capstan/cluster-cache';
import type { PatchMetaSource, ResourceClient } from '@capstan/kube';
import type { Logger } from '@capstan/runtime';
import type { AppStore } from '../apps/app-store.ts';
import { appInstanceOf } from '../destinations/app-instance-of.ts';
import type { Destination, Destinations } from '../destinations/destinations.ts';
import type { ManifestSource } from '../manifests/manifest-source.ts';
import type { ControllerMetrics } from '../metrics/controller-metrics.ts';
import { loadTargets } from '../manifests/load-targets.ts';
import type { RefreshRequest } from '../refresh/refresh-queue.ts';
import type { AppEvents } from './app-events.ts';
import { runDeletionStep } from './deletion-step.ts';
import { runSyncAction } from './run-sync-action.ts';

export interface OperationDeps {
  readonly store: AppStore;
  readonly destinations: Destinations;
  readonly manifests: ManifestSource;
  readonly apps: ResourceClient;
  readonly patchMeta: (server: string) => PatchMetaSource;
  readonly metrics: ControllerMetrics;
  readonly events: AppEvents;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly health: () => HealthAssessor;
  readonly waveDelayMs: number;
  readonly requestRefresh: (name: string, req: RefreshRequest, delayMs: number) => void;
}

/** What one pass decided: come back after this many ms, or done. */
export type StepOutcome = { readonly requeueMs: number } | { readonly done: true };

const TERMINAL = new Set(['Succeeded', 'Failed', 'Error']);

export class StaleWriteError extends Error {}

interface OperationWrite {
  readonly operationState: OperationState;
  readonly history?: RevisionHistory[] | undefined;
  readonly clearOperation?: boolean;
}

/**
 * Runs operations one step at a time. Each pass reads the Application fresh, and every write carries the
 * resourceVersion it read, so a worker that lost a race (another replica moved the operation on) fails its
 * write and stops rather than acting on stale state.
 */
export class OperationProcessor {
  readonly #d: OperationDeps;
  /**
   * What the previous step of each app's operation wrote (key → object as the API server returned it,
   * or undefined when deleted): the watch-fed cache may not show those writes yet, and the next step
   * must see them. Another replica that takes an operation over has none of this and reads them fresh.
   */
  readonly #lastWrites = new Map<string, Map<string, KubeObject | undefined>>();

  /** The resourceVersion of each app as this worker last wrote it: a store copy older than that is stale. */
  readonly #writtenVersions = new Map<string, string>();

  constructor(deps: OperationDeps) {
    this.#d = deps;
  }

  async #read(name: string): Promise<Application | undefined> {
    const ns = this.#d.store.namespace;
    return (await this.#d.apps.get({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: ns },
    })) as unknown as Application | undefined;
  }

  /**
   * Writes the operation's fields with the read resourceVersion as a precondition. A JSON patch replaces
   * `operationState` whole (a merge patch would blend in the previous operation's fields). A conflict
   * caused by a status refresh (the operation state unchanged) is retried on the fresh object; one caused
   * by another worker is not.
   */
  async #write(app: Application, change: OperationWrite): Promise<Application> {
    let current = app;
    for (let attempt = 0; ; attempt++) {
      const ops: Record<string, unknown>[] = [
        { op: 'replace', path: '/metadata/resourceVersion', value: current.metadata.resourceVersion },
      ];
      if (current.status === undefined) ops.push({ op: 'add', path: '/status', value: {} });
      ops.push({ op: 'add', path: '/status/operationState', value: change.operationState });
      if (change.history !== undefined)
        ops.push({ op: 'add', path: '/status/history', value: change.history });
      if (change.clearOperation === true && current.operation !== undefined)
        ops.push({ op: 'remove', path: '/operation' });
      try {
        const written = (await this.#d.apps.patch(
          current as unknown as KubernetesObject,
          ops,
          'application/json-patch+json',
        )) as unknown as Application;
        const name = written.metadata.name ?? '';
        if (written.metadata.resourceVersion !== undefined)
          this.#writtenVersions.set(name, written.metadata.resourceVersion);
        return written;
      } catch (err) {
        if (!(err instanceof CapstanError) || err.code !== 'Aborted' || attempt >= 5) throw err;
        const fresh = await this.#read(app.metadata.name ?? '');
        if (
          fresh === undefined ||
          JSON.stringify(fresh.status?.operationState) !== JSON.stringify(current.status?.operationState) ||
          JSON.stringify(fresh.operation) !== JSON.stringify(current.operation)
        )
          throw new StaleWriteError(`operation of ${app.metadata.name ?? ''} was moved on by another worker`);
        current = fresh;
      }
    }
  }

  /**
   * The Application for a pass. An operation about to start is taken from the watch-fed store when the
   * store's copy is at least as new as anything this worker wrote (a GET fewer per sync; the first write
   * is conditional on its resourceVersion, and a conflict re-reads, so a stale copy costs a retry, never
   * a wrong step). Anything else is read fresh.
   */
  async #appForPass(name: string): Promise<Application | undefined> {
    const cached = this.#d.store.app(name);
    const state = cached?.status?.operationState;
    const starting =
      cached?.operation !== undefined &&
      cached.metadata.deletionTimestamp === undefined &&
      (state === undefined || TERMINAL.has(state.phase));
    const written = this.#writtenVersions.get(name);
    if (starting && (written === undefined || !olderVersion(cached.metadata.resourceVersion, written)))
      return cached;
    return this.#read(name);
  }

  async process(name: string): Promise<StepOutcome> {
    const app = await this.#appForPass(name);
    if (app === undefined) {
      this.#writtenVersions.delete(name);
      return { done: true };
    }
    try {
      const state = app.status?.operationState;
      const running = state !== undefined && !TERMINAL.has(state.phase);
      if (app.operation !== undefined && !running) {
        const fresh: OperationState = {
          operation: app.operation,
          phase: 'Running',
          message: '',
          startedAt: toK8sTime(this.#d.now()),
        };
        this.#d.events.emit(app, 'Normal', 'OperationStarted', `Initiated ${describeOp(fresh)}`);
        // Not written on its own: the step's first write (its fence) persists it, one request fewer.
        return await this.#step(app, fresh);
      }
      if (running) return await this.#step(app);
      if (app.metadata.deletionTimestamp !== undefined) {
        return await runDeletionStep(app, {
          store: this.#d.store,
          destinations: this.#d.destinations,
          manifests: this.#d.manifests,
          apps: this.#d.apps,
          events: this.#d.events,
          health: this.#d.health,
          now: this.#d.now,
          logger: this.#d.logger,
        });
      }
      return { done: true };
    } catch (err) {
      if (err instanceof StaleWriteError) {
        this.#d.logger.info('stopping: operation taken over', { app: name });
        return { done: true };
      }
      throw err;
    }
  }

  /** `starting`: the state of an operation that starts with this step, not yet written. */
  async #step(app: Application, starting?: OperationState): Promise<StepOutcome> {
    const now = this.#d.now();
    // Only called with a starting state or a running one.
    let state = app.status?.operationState as OperationState;
    if (starting !== undefined) state = starting;
    const name = app.metadata.name ?? '';
    const terminating = state.phase === 'Terminating';

    // Waiting to retry a failed attempt?
    const resume = resumeRetry({ state, now });
    if (resume.action === 'wait') return { requeueMs: Math.max(100, resume.waitMs) };
    if (resume.action === 'error') return this.#finish(app, resume.state, false);
    if (resume.action === 'retry') {
      state = resume.state;
      app = await this.#write(app, { operationState: state });
    }

    const projectRef = projectName(app.spec.project);
    const project = this.#d.store.project(projectRef);
    if (project === undefined)
      return this.#finish(
        app,
        {
          ...state,
          phase: 'Error',
          message: `Application referencing project ${projectRef} which does not exist`,
        },
        terminating,
      );
    const window = syncWindowPreventsSync({
      windows: project.spec.syncWindows,
      app,
      operationState: state,
      now,
    });
    if (window.blocked && !terminating) {
      if (starting !== undefined || (window.message !== undefined && window.message !== state.message))
        await this.#write(app, {
          operationState: window.message === undefined ? state : { ...state, message: window.message },
        });
      return { requeueMs: 5000 };
    }
    const dest = this.#d.destinations.resolve(app.spec.destination);
    if ('error' in dest)
      return this.#finish(app, { ...state, phase: 'Error', message: dest.error }, terminating);
    const cache = await this.#d.destinations.cacheFor(dest.cluster);
    const op = state.operation.sync ?? {};
    const source = op.source ?? primarySource(app.spec);
    let loaded;
    try {
      const pinned = state.syncResult?.revision || op.revision || undefined;
      loaded = await loadTargets({
        manifests: this.#d.manifests,
        settings: this.#d.store.settings(),
        controlNamespace: this.#d.store.namespace,
        app,
        project,
        dest,
        cache,
        source,
        revision: pinned,
        // A sync of a branch deploys what the branch says now, not what was resolved a moment ago.
        noRevisionCache: pinned === undefined,
      });
    } catch (err) {
      return this.#finish(
        app,
        { ...state, phase: 'Error', message: `ComparisonError: ${(err as Error).message}` },
        terminating,
      );
    }
    const { targets, scopeOf, instance, tracking } = loaded;

    const live = await this.#liveState(dest, app, {
      cache,
      createNamespace: parseAppSyncOptions(op.syncOptions).createNamespace,
      managed: (cache.managedObjects(instance) as KubeObject[]).filter(
        (m) => appInstanceOf(m, tracking) === instance,
      ),
      targets,
    });
    const managed = new Set(
      live.filter((o) => appInstanceOf(o, tracking) === instance).map((o) => keyString(keyOf(o))),
    );
    const health = await this.#d.health().healthOf(live);
    const permit = permissionCheck(project, dest);
    const modified = new Map<string, boolean>(
      (app.status?.resources ?? []).map((r) => [
        keyString({
          group: r.group ?? '',
          kind: r.kind ?? '',
          namespace: r.namespace ?? '',
          name: r.name ?? '',
        }),
        r.status !== 'Synced',
      ]),
    );
    const stepState = {
      ...state,
      syncResult: {
        ...state.syncResult,
        revision: state.syncResult?.revision || loaded.revision,
        source,
        resources: state.syncResult?.resources ?? [],
      },
    };
    const step = syncStep({
      operation: state.operation,
      state: stepState,
      targets,
      live,
      managed,
      modified,
      health,
      scopeOf,
      permit,
      app,
      settings: { waveDelayMs: this.#d.waveDelayMs },
      now,
    });
    // Fence: nobody may have moved the operation on since it was read. A step that changes nothing in
    // the cluster (a poll while hooks or health are pending) needs no fence, and writes only if the state
    // it records changed: thousands of waiting operations must not keep the API server busy.
    const before = JSON.stringify(app.status?.operationState);
    if (step.actions.length > 0) app = await this.#write(app, { operationState: stepState });
    const writes = new Map<string, KubeObject | undefined>();
    const done = await executeSyncStep({
      step,
      previous: stepState.syncResult.resources,
      run: (action) =>
        runSyncAction(
          {
            client: dest.cluster.resources,
            patchMeta: this.#d.patchMeta(dest.cluster.record.server),
            sleep: this.#d.sleep,
            unknownToCache: (obj) => cache.getNode(keyOf(obj)) === undefined,
            onChanged: (verb, obj, written) => {
              writes.set(keyString(keyOf(obj)), written);
              this.#d.events.emit(
                app,
                'Normal',
                'ResourceUpdated',
                `Updated ${obj.kind ?? ''} ${obj.metadata?.name ?? ''}: ${verb}`,
              );
            },
          },
          action,
        ),
    });
    this.#lastWrites.set(name, writes);
    const next: OperationState = {
      ...stepState,
      phase: done.phase,
      message: done.message,
      syncResult: { ...stepState.syncResult, resources: done.results },
    };
    if (done.phase === 'Running' || done.phase === 'Terminating') {
      if (step.actions.length > 0 || JSON.stringify(next) !== before)
        app = await this.#write(app, { operationState: next });
      return { requeueMs: step.actions.length === 0 ? 1000 : 200 };
    }
    return this.#finish(app, next, terminating);
  }

  async #liveState(
    dest: Destination,
    app: Application,
    objects: {
      readonly cache: ClusterCache;
      /** CreateNamespace=true: the destination namespace's live state is part of the plan. */
      readonly createNamespace: boolean;
      readonly managed: readonly KubeObject[];
      readonly targets: readonly KubeObject[];
    },
  ): Promise<KubeObject[]> {
    const { cache } = objects;
    const name = app.metadata.name ?? '';
    const byKey = new Map<string, KubeObject>();
    for (const o of objects.managed) byKey.set(keyString(keyOf(o)), o);
    const fresh: KubeObject[] = [];
    const ns = app.spec.destination.namespace ?? '';
    const wanted = [...objects.targets];
    // Only CreateNamespace looks at the destination namespace (a read each step otherwise: it is not kept
    // in full by the cache unless managed).
    if (ns !== '' && objects.createNamespace)
      wanted.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const t of wanted) {
      const key = keyOf(t);
      const id = keyString(key);
      if (byKey.has(id) || key.name === '') continue;
      const cached = cache.getObject(key) as KubeObject | undefined;
      if (cached !== undefined) byKey.set(id, cached);
      // Known to the cluster but not kept in full (not ours yet): read it.
      else if (cache.getNode(key) !== undefined) fresh.push(t);
    }
    for (const [id, written] of this.#lastWrites.get(name) ?? []) {
      const cached = byKey.get(id);
      if (written === undefined) {
        // Deleted by the last step: whether it is gone or terminating, only a read can tell.
        const obj = cached ?? objects.targets.find((t) => keyString(keyOf(t)) === id);
        byKey.delete(id);
        if (obj !== undefined) fresh.push(obj);
      } else if (cached === undefined || newerThan(written, cached)) byKey.set(id, written);
    }
    const read = await Promise.all(
      fresh.map(async (o) => {
        try {
          return (await dest.cluster.resources.get(o as unknown as KubernetesObject)) as
            KubeObject | undefined;
        } catch {
          return undefined;
        }
      }),
    );
    for (const o of read) if (o !== undefined) byKey.set(keyString(keyOf(o)), o);
    return [...byKey.values()];
  }

  async #finish(app: Application, state: OperationState, terminating: boolean): Promise<StepOutcome> {
    const now = this.#d.now();
    const after = applyRetryPolicy({ state: { ...state, finishedAt: toK8sTime(now) }, now, terminating });
    const name = app.metadata.name ?? '';
    if (after.phase === 'Running') {
      // A retry is scheduled: the operation stays, waiting.
      await this.#write(app, { operationState: after });
      return { requeueMs: 1000 };
    }
    const op = after.operation.sync;
    const history = appendHistory({
      history: app.status?.history,
      revisionHistoryLimit: app.spec.revisionHistoryLimit,
      operation: op,
      phase: after.phase,
      multiSource: hasMultipleSources(app.spec),
      revision: after.syncResult?.revision,
      source: after.syncResult?.source,
      startedAt: after.startedAt,
      now,
      initiatedBy: after.operation.initiatedBy,
    });
    const updated = await this.#write(app, { operationState: after, history, clearOperation: true });
    this.#lastWrites.delete(name);
    this.#d.metrics.syncTotal.inc({
      namespace: app.metadata.namespace ?? '',
      name,
      project: projectName(app.spec.project),
      dest_server: app.spec.destination.server ?? '',
      phase: after.phase,
      dry_run: String(op?.dryRun === true),
    });
    this.#d.events.emit(
      updated,
      after.phase === 'Succeeded' ? 'Normal' : 'Warning',
      'OperationCompleted',
      `Sync operation to ${after.syncResult?.revision ?? ''} ${after.phase === 'Succeeded' ? 'succeeded' : `failed: ${after.message ?? ''}`}`,
    );
    const automated = isAutomatedSyncEnabled(app.spec.syncPolicy);
    this.#d.requestRefresh(name, { level: refreshLevelAfterOperation(automated), hard: false }, 0);
    return { done: true };
  }
}

/** Whether resourceVersion `a` is older than `b` (etcd revisions; unparsable counts as older). */
function olderVersion(a: string | undefined, b: string): boolean {
  try {
    return BigInt(a ?? '0') < BigInt(b);
  } catch {
    return true;
  }
}

/** Whether a written object is at least as new as the cached copy (etcd resourceVersions are increasing). */
function newerThan(written: KubeObject, cached: KubeObject): boolean {
  if (written.metadata?.uid !== cached.metadata?.uid) return true;
  try {
    return (
      BigInt(written.metadata?.resourceVersion ?? '0') >= BigInt(cached.metadata?.resourceVersion ?? '0')
    );
  } catch {
    return true;
  }
}

function describeOp(state: OperationState): string {
  const by = state.operation.initiatedBy?.automated === true ? 'automated sync' : 'sync';
  return `${by} to ${state.operation.sync?.revision ?? 'HEAD'}`;
}

/** The project's verdict on each task: Argo CD's messages for kinds and namespaces outside it. */
export function permissionCheck(project: AppProject, dest: Destination): PermissionCheck {
  const name = project.metadata.name ?? '';
  return (obj, namespaced) => {
    const group = groupOf(obj.apiVersion);
    const kind = obj.kind ?? '';
    if (!isGroupKindNamePermitted(project.spec, { group, kind, name: obj.metadata?.name ?? '', namespaced }))
      return `resource ${group}:${kind} is not permitted in project ${name}`;
    const ns = obj.metadata?.namespace ?? '';
    if (
      namespaced &&
      ns !== '' &&
      !isDestinationPermitted({ project: project.spec, cluster: dest.ref, namespace: ns })
    )
      return `namespace ${ns} is not permitted in project '${name}'`;
    return undefined;
  };
}
