import type { KubernetesObject } from '@kubernetes/client-node';
import type { Application } from '@capstan/crds';
import {
  effectiveDelete,
  groupOf,
  hookDeletePolicies,
  hookTypes,
  isDeletionApproved,
  isResourcePermitted,
  keyOf,
  keyString,
  parseAppSyncOptions,
  primarySource,
  syncWave,
  toK8sTime,
  type HealthAssessor,
  type KubeObject,
  projectName,
} from '@capstan/engine';
import type { ResourceClient } from '@capstan/kube';
import type { Logger } from '@capstan/runtime';
import type { AppStore } from '../apps/app-store.ts';
import { appInstanceOf, instanceName } from '../destinations/app-instance-of.ts';
import type { Destination, Destinations } from '../destinations/destinations.ts';
import type { ManifestSource } from '../manifests/manifest-source.ts';
import { loadTargets, trackingOf } from '../manifests/load-targets.ts';
import type { AppEvents } from './app-events.ts';

export const RESOURCES_FINALIZERS = [
  'resources-finalizer.argocd.argoproj.io',
  'resources-finalizer.argocd.argoproj.io/foreground',
  'resources-finalizer.argocd.argoproj.io/background',
];
const PRE_DELETE = 'pre-delete-finalizer.argocd.argoproj.io';
const POST_DELETE = 'post-delete-finalizer.argocd.argoproj.io';
const CAPSTAN_FINALIZERS = [
  ...RESOURCES_FINALIZERS,
  PRE_DELETE,
  POST_DELETE,
  `${PRE_DELETE}/cleanup`,
  `${POST_DELETE}/cleanup`,
];

export interface DeletionDeps {
  readonly store: AppStore;
  readonly destinations: Destinations;
  readonly manifests: ManifestSource;
  readonly apps: ResourceClient;
  readonly events: AppEvents;
  readonly health: () => HealthAssessor;
  readonly now: () => Date;
  readonly logger: Logger;
}

const k8s = (o: unknown): KubernetesObject => o as KubernetesObject;

async function dropFinalizers(
  d: DeletionDeps,
  app: Application,
  finalizers: readonly string[],
): Promise<void> {
  for (const f of finalizers)
    if (app.metadata.finalizers?.includes(f) === true) await d.apps.removeFinalizer(k8s(app), f);
}

async function fresh(dest: Destination, objects: readonly KubeObject[]): Promise<KubeObject[]> {
  const out = await Promise.all(
    objects.map(
      async (o) =>
        (await dest.cluster.resources.get(k8s(o)).catch(() => undefined)) as KubeObject | undefined,
    ),
  );
  return out.filter((o): o is KubeObject => o !== undefined);
}

/**
 * Runs PreDelete or PostDelete hooks: creates the missing ones, and answers whether all are done (Healthy
 * or Succeeded). A Degraded hook is deleted and reported, then tried again on a later pass.
 */
async function runDeleteHooks(
  d: DeletionDeps,
  app: Application,
  dest: Destination,
  run: { readonly hooks: readonly KubeObject[]; readonly phase: 'PreDelete' | 'PostDelete' },
): Promise<boolean> {
  const { hooks, phase } = run;
  const live = await fresh(dest, hooks);
  const liveByKey = new Map(live.map((o) => [keyString(keyOf(o)), o]));
  const health = await d.health().healthOf(live);
  let done = true;
  for (const hook of hooks) {
    const current = liveByKey.get(keyString(keyOf(hook)));
    if (current === undefined) {
      await dest.cluster.resources.create(k8s(hook));
      d.events.emit(
        app,
        'Normal',
        'ResourceCreated',
        `Created ${phase} hook ${hook.kind ?? ''} ${hook.metadata?.name ?? ''}`,
      );
      done = false;
      continue;
    }
    const h = health(current)?.status ?? 'Healthy';
    if (h === 'Degraded') {
      await dest.cluster.resources.delete(k8s(current), 'Background');
      d.events.emit(app, 'Warning', 'DeletionError', `${phase} hook ${hook.metadata?.name ?? ''} failed`);
      done = false;
    } else if (h !== 'Healthy') done = false;
  }
  if (done) {
    for (const hook of live)
      if (hookDeletePolicies(hook).has('HookSucceeded'))
        await dest.cluster.resources.delete(k8s(hook), 'Background');
  }
  return done;
}

/**
 * One pass of an Application's deletion (§7.4): PreDelete hooks, then the cascade one wave at a time
 * (highest first, waiting for each to be gone), then PostDelete hooks, then the finalizers go.
 */
export async function runDeletionStep(
  app: Application,
  d: DeletionDeps,
): Promise<{ readonly requeueMs: number } | { readonly done: true }> {
  const finalizers = app.metadata.finalizers ?? [];
  if (!finalizers.some((f) => CAPSTAN_FINALIZERS.includes(f))) return { done: true };
  const dest = d.destinations.resolve(app.spec.destination);
  if ('error' in dest) {
    d.logger.warn('destination unresolvable; removing finalizers without deleting resources', {
      app: app.metadata.name,
      error: dest.error,
    });
    await dropFinalizers(d, app, CAPSTAN_FINALIZERS);
    return { done: true };
  }
  const projectRef = projectName(app.spec.project);
  const project = d.store.project(projectRef);
  const settings = d.store.settings();
  const cache = await d.destinations.cacheFor(dest.cluster);
  const instance = instanceName(app, d.store.namespace);
  const tracking = trackingOf(settings);

  let hooks: KubeObject[] = [];
  if (finalizers.includes(PRE_DELETE) || finalizers.includes(POST_DELETE)) {
    const loaded = await loadTargets({
      manifests: d.manifests,
      settings,
      controlNamespace: d.store.namespace,
      app,
      project,
      dest,
      cache,
      source: primarySource(app.spec),
      revision: app.status?.sync?.revision,
    });
    hooks = loaded.targets;
  }
  const hooksOf = (phase: 'PreDelete' | 'PostDelete'): KubeObject[] =>
    hooks.filter((h) => hookTypes(h).includes(phase));

  if (finalizers.includes(PRE_DELETE)) {
    if (!(await runDeleteHooks(d, app, dest, { hooks: hooksOf('PreDelete'), phase: 'PreDelete' })))
      return { requeueMs: 1000 };
    await d.apps.removeFinalizer(k8s(app), PRE_DELETE);
    return { requeueMs: 100 };
  }

  const resourcesFinalizer = finalizers.find((f) => RESOURCES_FINALIZERS.includes(f));
  if (resourcesFinalizer !== undefined) {
    const appOptions = parseAppSyncOptions(app.spec.syncPolicy?.syncOptions);
    const candidates = (cache.managedObjects(instance) as KubeObject[]).filter((o) => {
      if (appInstanceOf(o, tracking) !== instance) return false;
      const group = groupOf(o.apiVersion);
      if (o.kind === 'CustomResourceDefinition') return false;
      if (group === 'argoproj.io' && o.kind === 'Application' && o.metadata?.name === app.metadata.name)
        return false;
      const types = hookTypes(o);
      if (types.includes('PreDelete') || types.includes('PostDelete')) return false;
      if (effectiveDelete(appOptions, o) === 'false') return false;
      if (o.metadata?.annotations?.['helm.sh/resource-policy'] === 'keep') return false;
      const k = keyOf(o);
      return project === undefined || isResourcePermitted({ project: project.spec, ...k, cluster: dest.ref });
    });
    const live = await fresh(dest, candidates);
    if (live.length > 0) {
      if (live.some((o) => o.metadata?.deletionTimestamp !== undefined)) return { requeueMs: 1000 };
      const since = new Date(app.metadata.deletionTimestamp ?? toK8sTime(d.now()));
      const waiting = live.filter(
        (o) =>
          effectiveDelete(appOptions, o) === 'confirm' &&
          !isDeletionApproved(app.metadata.annotations, since),
      );
      const deletable = live.filter((o) => !waiting.includes(o));
      if (deletable.length === 0) return { requeueMs: 2000 };
      const top = Math.max(...deletable.map((o) => syncWave(o)));
      const policy = resourcesFinalizer.endsWith('/background') ? 'Background' : 'Foreground';
      for (const o of deletable.filter((x) => syncWave(x) === top))
        await dest.cluster.resources.delete(k8s(o), policy);
      return { requeueMs: 500 };
    }
    await d.apps.removeFinalizer(k8s(app), resourcesFinalizer);
    return { requeueMs: 100 };
  }

  if (finalizers.includes(POST_DELETE)) {
    if (!(await runDeleteHooks(d, app, dest, { hooks: hooksOf('PostDelete'), phase: 'PostDelete' })))
      return { requeueMs: 1000 };
    await d.apps.removeFinalizer(k8s(app), POST_DELETE);
    return { requeueMs: 100 };
  }
  await dropFinalizers(d, app, CAPSTAN_FINALIZERS);
  return { done: true };
}
