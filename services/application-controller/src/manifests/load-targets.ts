import type { ClusterCache } from '@capstan/cluster-cache';
import type { Application, ApplicationCondition, ApplicationSource, AppProject } from '@capstan/crds';
import type { KubeObject, ScopeOf } from '@capstan/engine';
import { instanceName, type TrackingConfig } from '../destinations/app-instance-of.ts';
import type { Destination } from '../destinations/destinations.ts';
import { normalizeTargets } from '../refresh/normalize-targets.ts';
import type { ControllerSettings } from '../settings/controller-settings.ts';
import type { ManifestSource } from './manifest-source.ts';

export interface AppTargets {
  /** The rendered objects, normalized the way live objects look (see normalizeTargets). */
  readonly targets: KubeObject[];
  readonly conditions: ApplicationCondition[];
  readonly revision: string;
  readonly sourceType: string;
  readonly scopeOf: ScopeOf;
  /** The app's instance name, as tracking ids carry it. */
  readonly instance: string;
  readonly tracking: TrackingConfig;
}

export function trackingOf(settings: ControllerSettings): TrackingConfig {
  return {
    method: settings.trackingMethod,
    labelKey: settings.instanceLabelKey,
    installationId: settings.installationId,
  };
}

export function scopeFrom(
  resources: readonly { group: string; kind: string; namespaced: boolean }[],
): ScopeOf {
  const map = new Map(resources.map((r) => [`${r.group}/${r.kind}`, r.namespaced]));
  return (group, kind) => map.get(`${group}/${kind}`);
}

/**
 * An app's desired objects for one destination: rendered by the repo-server for that cluster's version and
 * APIs, then normalized. Refreshes, operation steps and deletions all start here.
 */
export async function loadTargets(input: {
  readonly manifests: ManifestSource;
  readonly settings: ControllerSettings;
  readonly controlNamespace: string;
  readonly app: Application;
  readonly project: AppProject | undefined;
  readonly dest: Destination;
  readonly cache: ClusterCache;
  readonly source: ApplicationSource;
  readonly revision?: string | undefined;
  readonly noCache?: boolean;
  readonly noRevisionCache?: boolean;
}): Promise<AppTargets> {
  const { app, settings, cache } = input;
  const apis = cache.apis();
  const scopeOf = scopeFrom(apis?.resources ?? []);
  const instance = instanceName(app, input.controlNamespace);
  const tracking = trackingOf(settings);
  const namespace = app.spec.destination.namespace ?? '';
  const rendered = await input.manifests.render({
    appName: app.metadata.name ?? '',
    appInstance: instance,
    project: input.project?.metadata.name ?? 'default',
    namespace,
    source: input.source,
    revision: input.revision === '' ? undefined : input.revision,
    noCache: input.noCache === true,
    noRevisionCache: input.noRevisionCache === true,
    kubeVersion: apis?.version.gitVersion.replace(/^v/, '') ?? '',
    apiVersions: apis?.apiVersions ?? [],
    tracking,
    projectSourceRepos: input.project?.spec.sourceRepos ?? [],
    manifestGeneratePaths: app.metadata.annotations?.['argocd.argoproj.io/manifest-generate-paths'],
  });
  const { targets, conditions } = normalizeTargets({
    objects: rendered.objects,
    namespace,
    scopeOf,
    exclusions: settings.exclusions,
    server: input.dest.cluster.record.server,
  });
  return {
    targets,
    conditions,
    revision: rendered.revision,
    sourceType: rendered.sourceType,
    scopeOf,
    instance,
    tracking,
  };
}
