import { gzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Application, ApplicationCondition, ApplicationStatus } from '@capstan/crds';
import type { HealthAssessor } from '@capstan/engine';
import {
  compileDiffOptions,
  decideAutoSync,
  hookTypes,
  keyOf,
  keyString,
  primarySource,
  projectSpecConditions,
  refreshLevel,
  ServerSideDiff,
  toK8sTime,
  CompareWith,
  type CompareLevel,
  type KubeObject,
  projectName,
} from '@capstan/engine';
import type { ResourceClient } from '@capstan/kube';
import type { Logger } from '@capstan/runtime';
import type { AppStore } from '../apps/app-store.ts';
import { appInstanceOf } from '../destinations/app-instance-of.ts';
import type { Destinations } from '../destinations/destinations.ts';
import { loadTargets } from '../manifests/load-targets.ts';
import type { ManifestSource } from '../manifests/manifest-source.ts';
import type { ControllerMetrics } from '../metrics/controller-metrics.ts';
import { compareApp } from './compare-app.ts';
import { mergePatch } from './merge-patch.ts';
import type { RefreshRequest } from './refresh-queue.ts';

export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';
export const PRE_DELETE_FINALIZER = 'pre-delete-finalizer.argocd.argoproj.io';
export const POST_DELETE_FINALIZER = 'post-delete-finalizer.argocd.argoproj.io';

/** Condition types a refresh owns: recomputed every time. Others (SyncError from an operation) persist. */
const REFRESH_CONDITIONS = new Set([
  'InvalidSpecError',
  'ComparisonError',
  'UnknownError',
  'RepeatedResourceWarning',
  'SharedResourceWarning',
  'SyncError',
]);

export interface ReconcilerDeps {
  readonly store: AppStore;
  readonly destinations: Destinations;
  readonly manifests: ManifestSource;
  /** Writes Applications on the controller's own cluster. */
  readonly apps: ResourceClient;
  readonly redis: Redis;
  readonly metrics: ControllerMetrics;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Starts (or continues) the operation of an app. */
  readonly enqueueOperation: (name: string) => Promise<void>;
  /** Asks for another refresh later (self-heal backoff). */
  readonly requestRefresh: (name: string, req: RefreshRequest, delayMs: number) => void;
  readonly health: () => HealthAssessor;
}

/** Where the resource tree of an app is kept for the API server. */
export const treeKey = (namespace: string, name: string): string => `capstan|app-tree|${namespace}|${name}`;

/** Runs a refresh: compare, health, status patch, auto-sync. */
export class AppReconciler {
  readonly #d: ReconcilerDeps;
  readonly #serverSide = new Map<string, ServerSideDiff>();

  constructor(deps: ReconcilerDeps) {
    this.#d = deps;
  }

  /** Whether an app is due a refresh by time or annotations; used by the periodic sweep and watch events. */
  due(app: Application, requested?: CompareLevel): RefreshRequest | undefined {
    const s = this.#d.store.settings();
    const decision = refreshLevel({
      app,
      now: this.#d.now(),
      reconciliationTimeoutMs:
        s.reconciliationMs + reconciliationJitterMs(app.metadata.name ?? '', s.reconciliationMs),
      hardReconciliationTimeoutMs: s.hardReconciliationMs,
      requestedLevel: requested,
    });
    return decision.refresh ? { level: decision.level, hard: decision.hard } : undefined;
  }

  async refresh(name: string, req: RefreshRequest): Promise<void> {
    const started = performance.now();
    const app = this.#d.store.app(name);
    if (app === undefined) return;
    this.#d.logger.debug('refresh', { app: name, level: req.level, hard: req.hard });
    if (app.metadata.deletionTimestamp !== undefined) {
      await this.#d.enqueueOperation(name);
      return;
    }
    const settings = this.#d.store.settings();
    const now = this.#d.now();
    const conditions: ApplicationCondition[] = [];
    const projectRef = projectName(app.spec.project);
    const project = this.#d.store.project(projectRef);
    const dest = this.#d.destinations.resolve(app.spec.destination);
    const status: ApplicationStatus = { ...app.status };
    const annotations = app.metadata.annotations ?? {};
    const clearRefreshAnnotation = annotations[REFRESH_ANNOTATION] !== undefined;
    const fail = async (type: string, message: string): Promise<void> => {
      status.conditions = [...keepConditions(app), { type, message, lastTransitionTime: toK8sTime(now) }];
      status.sync = { ...status.sync, status: 'Unknown' };
      status.health = { status: 'Unknown' };
      if (req.level >= CompareWith.Latest) status.reconciledAt = toK8sTime(now);
      await this.#persist(app, status, { clearRefreshAnnotation });
    };
    if (project === undefined) {
      await fail('InvalidSpecError', `Application referencing project ${projectRef} which does not exist`);
      return;
    }
    const specProblems = projectSpecConditions({
      spec: app.spec,
      project,
      cluster: 'error' in dest ? { error: dest.error } : dest.ref,
    });
    if (specProblems.length > 0 || 'error' in dest) {
      const message = specProblems[0]?.message ?? ('error' in dest ? dest.error : 'invalid spec');
      await fail(specProblems[0]?.type ?? 'InvalidSpecError', message);
      return;
    }
    const source = primarySource(app.spec);
    let cache;
    try {
      cache = await this.#d.destinations.cacheFor(dest.cluster);
    } catch (err) {
      await fail(
        'ComparisonError',
        `failed to sync cluster ${dest.cluster.record.server}: ${(err as Error).message}`,
      );
      return;
    }
    let loaded;
    try {
      // A refresh caused by a watch event keeps to the revision last compared: no Git traffic.
      const pinned = req.level <= CompareWith.Recent ? app.status?.sync?.revision : undefined;
      loaded = await loadTargets({
        manifests: this.#d.manifests,
        settings,
        controlNamespace: this.#d.store.namespace,
        app,
        project,
        dest,
        cache,
        source,
        revision: pinned,
        noCache: req.hard,
        // Force-resolve (a refresh annotation, a changed source): what does the branch say now?
        noRevisionCache: req.level >= CompareWith.LatestForceResolve,
      });
    } catch (err) {
      await fail('ComparisonError', `Failed to load target state: ${(err as Error).message}`);
      return;
    }
    const { targets, instance, tracking } = loaded;
    conditions.push(...loaded.conditions);

    // Live state: the app's managed objects from the cache, plus whatever sits at a target's key.
    const live = new Map<string, KubeObject>();
    for (const obj of cache.managedObjects(instance) as KubeObject[]) {
      if (appInstanceOf(obj, tracking) === instance) live.set(keyString(keyOf(obj)), obj);
    }
    for (const t of targets) {
      const key = keyOf(t);
      const id = keyString(key);
      if (live.has(id)) continue;
      const fromCache = cache.getObject(key) as KubeObject | undefined;
      if (fromCache !== undefined) live.set(id, fromCache);
      else if (cache.getNode(key) !== undefined) {
        // Known to the cluster but not kept in full (not ours yet): read it once.
        const obj = (await dest.cluster.resources.get(t as unknown as KubernetesObject)) as
          KubeObject | undefined;
        if (obj !== undefined) live.set(id, obj);
      }
    }
    const diffOptions = compileDiffOptions({
      ignoreDifferences: app.spec.ignoreDifferences ?? [],
      systemIgnoreDifferences: settings.systemIgnoreDifferences,
      ignoreResourceStatusField: settings.ignoreResourceStatusField,
      appInstanceLabelKey: settings.instanceLabelKey,
      trackingMethod: settings.trackingMethod,
    });
    const compared = await compareApp({
      app,
      project,
      cluster: dest.ref,
      targets,
      live: [...live.values()],
      diffOptions,
      health: this.#d.health(),
      serverSide: this.#serverSideFor(dest.cluster.record.server, dest.cluster.resources),
    });
    conditions.push(...compared.conditions);
    status.sync = {
      status: compared.syncStatus,
      revision: loaded.revision,
      comparedTo: {
        source,
        destination: app.spec.destination,
        ...(app.spec.ignoreDifferences === undefined
          ? {}
          : { ignoreDifferences: app.spec.ignoreDifferences }),
      },
    };
    status.health = compared.health;
    status.resources = compared.resources.map((r) => r.status);
    status.sourceType = loaded.sourceType;
    status.summary = summaryOf(compared.resources.map((r) => r.live).filter((o) => o !== undefined));
    if (req.level >= CompareWith.Latest) status.reconciledAt = toK8sTime(now);
    // observedAt is not written (Argo CD deprecated it and stopped updating it): a refresh that finds nothing
    // new then costs no write at all.
    status.controllerNamespace = this.#d.store.namespace;

    // Auto-sync, against the status just computed.
    let operation: Application['operation'] | undefined;
    const decision = decideAutoSync({
      app: { ...app, status },
      syncStatus: status.sync,
      resources: status.resources,
      now,
      syncWindows: project.spec.syncWindows,
    });
    if (decision.action === 'sync' && decision.operation !== undefined) {
      operation = decision.operation;
    } else if (decision.action === 'requeue' && decision.requeueAfterMs !== undefined) {
      this.#d.requestRefresh(name, { level: CompareWith.Recent, hard: false }, decision.requeueAfterMs);
    }
    if (decision.condition !== undefined)
      conditions.push({ ...decision.condition, lastTransitionTime: toK8sTime(now) });
    else if (decision.keepConditions === true)
      conditions.push(...(app.status?.conditions ?? []).filter((c) => c.type === 'SyncError'));
    status.conditions = [
      ...keepConditions(app),
      ...dedupeConditions(conditions, app.status?.conditions, now),
    ];
    if (status.conditions.length === 0) delete status.conditions;

    const finalizers = this.#hookFinalizers(app, targets);
    await this.#persist(app, status, { clearRefreshAnnotation, operation, finalizers });
    if (operation !== undefined) await this.#d.enqueueOperation(name);
    await this.#storeTree(app, cache.tree(instance), targets);
    this.#d.logger.debug('refreshed', {
      app: name,
      sync: status.sync.status,
      health: status.health.status,
      autoSync: decision.action,
      reason: decision.reason,
      ms: Math.round(performance.now() - started),
    });
    this.#d.metrics.reconcile.observe(
      { namespace: app.metadata.namespace ?? '', dest_server: dest.cluster.record.server },
      (performance.now() - started) / 1000,
    );
  }

  /** Adds the pre/post-delete finalizers an app with such hooks needs, so deletion waits for them. */
  #hookFinalizers(app: Application, targets: readonly KubeObject[]): string[] | undefined {
    const current = app.metadata.finalizers ?? [];
    const want = new Set(current);
    if (targets.some((t) => hookTypes(t).includes('PreDelete'))) want.add(PRE_DELETE_FINALIZER);
    if (targets.some((t) => hookTypes(t).includes('PostDelete'))) want.add(POST_DELETE_FINALIZER);
    return want.size === current.length ? undefined : [...want];
  }

  #serverSideFor(server: string, client: ResourceClient): ServerSideDiff {
    let ssd = this.#serverSide.get(server);
    if (ssd === undefined) {
      ssd = new ServerSideDiff({
        dryRun: async (target) =>
          (await client.apply(target as unknown as KubernetesObject, {
            dryRun: true,
            force: true,
          })) as unknown as KubeObject,
      });
      this.#serverSide.set(server, ssd);
    }
    return ssd;
  }

  async #persist(
    app: Application,
    status: ApplicationStatus,
    extra: {
      clearRefreshAnnotation: boolean;
      operation?: Application['operation'] | undefined;
      finalizers?: string[] | undefined;
    },
  ): Promise<void> {
    // Only the fields a refresh owns: operationState and history belong to the operation worker.
    const owned = (s: ApplicationStatus | undefined): ApplicationStatus => {
      const { operationState: _o, history: _h, ...rest } = s ?? {};
      return rest;
    };
    const statusPatch = mergePatch(owned(app.status), owned(status));
    const body: Record<string, unknown> = {};
    if (statusPatch !== undefined) body['status'] = statusPatch;
    if (extra.operation !== undefined) body['operation'] = extra.operation;
    const metadata: Record<string, unknown> = {};
    if (extra.clearRefreshAnnotation) metadata['annotations'] = { [REFRESH_ANNOTATION]: null };
    if (extra.finalizers !== undefined) {
      metadata['finalizers'] = extra.finalizers;
      metadata['resourceVersion'] = app.metadata.resourceVersion;
    }
    if (Object.keys(metadata).length > 0) body['metadata'] = metadata;
    if (Object.keys(body).length === 0) {
      this.#d.metrics.setApp(app);
      return;
    }
    const updated = (await this.#d.apps.patch(
      app as unknown as KubernetesObject,
      body,
      'application/merge-patch+json',
    )) as unknown as Application;
    this.#d.metrics.setApp(updated);
  }

  async #storeTree(
    app: Application,
    nodes: readonly unknown[],
    targets: readonly KubeObject[],
  ): Promise<void> {
    const tree = { nodes, targets: targets.map((t) => ({ ...keyOf(t), version: t.apiVersion ?? '' })) };
    const key = treeKey(app.metadata.namespace ?? '', app.metadata.name ?? '');
    await this.#d.redis.set(key, gzipSync(JSON.stringify(tree)), 'EX', 24 * 3600);
  }
}

/**
 * Spreads time-based refreshes of many apps over up to a minute (Argo CD's reconciliation jitter), so
 * apps created together do not all hit Git and the repo-server in the same instant forever after. A
 * hash of the name keeps each app's offset stable across restarts.
 */
export function reconciliationJitterMs(name: string, reconciliationMs: number): number {
  if (reconciliationMs <= 0) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h % Math.max(1, Math.min(60_000, Math.floor(reconciliationMs / 2)));
}

function keepConditions(app: Application): ApplicationCondition[] {
  return (app.status?.conditions ?? []).filter((c) => !REFRESH_CONDITIONS.has(c.type));
}

/** Conditions keep their first transition time while they hold, so the status does not churn. */
function dedupeConditions(
  fresh: readonly ApplicationCondition[],
  previous: readonly ApplicationCondition[] | undefined,
  now: Date,
): ApplicationCondition[] {
  const seen = new Set<string>();
  const out: ApplicationCondition[] = [];
  for (const c of fresh) {
    const id = `${c.type}|${c.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const before = previous?.find((p) => p.type === c.type && p.message === c.message);
    out.push({
      ...c,
      lastTransitionTime: before?.lastTransitionTime ?? c.lastTransitionTime ?? toK8sTime(now),
    });
  }
  return out;
}

function summaryOf(live: readonly KubeObject[]): { images?: string[] } {
  const images = new Set<string>();
  for (const obj of live) {
    const spec = obj['spec'] as Record<string, unknown> | undefined;
    const podSpec = ((spec?.['template'] as Record<string, unknown> | undefined)?.['spec'] ??
      (obj.kind === 'Pod' ? spec : undefined)) as
      { containers?: { image?: string }[]; initContainers?: { image?: string }[] } | undefined;
    for (const c of [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])])
      if (c.image !== undefined) images.add(c.image);
  }
  return images.size === 0 ? {} : { images: [...images].sort() };
}
