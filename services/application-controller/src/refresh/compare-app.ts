import type {
  AppProject,
  Application,
  ApplicationCondition,
  HealthStatus as CrdHealthStatus,
  ResourceStatus,
} from '@capstan/crds';
import {
  computeSyncStatus,
  diffResourceAsync,
  isHook,
  isResourcePermitted,
  isSkipped,
  keyOf,
  keyString,
  syncWave,
  type ClusterRef,
  type CompiledDiffOptions,
  type HealthAssessor,
  type KubeObject,
  type ServerSideDiff,
  type SyncStatusCode,
} from '@capstan/engine';

export interface CompareInput {
  readonly app: Application;
  readonly project: AppProject;
  readonly cluster: ClusterRef;
  readonly targets: readonly KubeObject[];
  /** Managed live objects plus any live object found at a target's key. */
  readonly live: readonly KubeObject[];
  readonly diffOptions: CompiledDiffOptions;
  readonly health: HealthAssessor;
  /** Confirms a locally suspected difference with a server-side dry run; local only when absent. */
  readonly serverSide?: ServerSideDiff | undefined;
}

export interface ComparedResource {
  readonly key: string;
  readonly target: KubeObject | undefined;
  readonly live: KubeObject | undefined;
  readonly modified: boolean;
  readonly status: ResourceStatus;
}

export interface CompareResult {
  readonly syncStatus: SyncStatusCode;
  readonly health: CrdHealthStatus;
  readonly resources: ComparedResource[];
  readonly conditions: ApplicationCondition[];
  /** Diff verdicts by key, for ApplyOutOfSyncOnly. */
  readonly modified: Map<string, boolean>;
}

function versionOf(obj: KubeObject | undefined): string {
  const v = obj?.apiVersion ?? '';
  const slash = v.indexOf('/');
  return slash < 0 ? v : v.slice(slash + 1);
}

/**
 * One comparison of an app: pairs targets with live objects, diffs them (locally first; a suspected
 * difference is confirmed by the server when a server-side comparator is given), and assesses health.
 * Objects the project does not permit stay out of sight: never pruned, shown as Unknown.
 */
export async function compareApp(input: CompareInput): Promise<CompareResult> {
  const projectSpec = input.project.spec;
  const permitted = (obj: KubeObject): boolean => {
    const k = keyOf(obj);
    return isResourcePermitted({
      project: projectSpec,
      group: k.group,
      kind: k.kind,
      name: k.name,
      namespace: k.namespace,
      cluster: input.cluster,
    });
  };
  const liveByKey = new Map<string, KubeObject>();
  for (const obj of input.live) if (permitted(obj)) liveByKey.set(keyString(keyOf(obj)), obj);
  const pairs: { key: string; target: KubeObject | undefined; live: KubeObject | undefined }[] = [];
  const seen = new Set<string>();
  for (const target of input.targets) {
    const key = keyString(keyOf(target));
    seen.add(key);
    pairs.push({ key, target, live: liveByKey.get(key) });
  }
  for (const [key, live] of liveByKey) if (!seen.has(key)) pairs.push({ key, target: undefined, live });

  const conditions: ApplicationCondition[] = [];
  const diffs = await Promise.all(
    pairs.map(async (p) => {
      const hook = (p.target !== undefined && isHook(p.target)) || (p.live !== undefined && isHook(p.live));
      if (hook || p.target === undefined || p.live === undefined)
        return { modified: p.target !== undefined && p.live === undefined && !hook, hook };
      let diff = await diffResourceAsync(p.target, p.live, input.diffOptions);
      if (diff.modified && input.serverSide !== undefined) {
        try {
          diff = await input.serverSide.diff(p.target, p.live, input.diffOptions);
        } catch (err) {
          // The local verdict stands; the server's refusal is worth showing.
          conditions.push({
            type: 'ComparisonError',
            message: `server-side diff of ${p.key} failed: ${(err as Error).message}`,
          });
        }
      }
      for (const w of diff.warnings ?? []) conditions.push({ type: 'ComparisonError', message: w });
      return { modified: diff.modified, hook };
    }),
  );
  const sync = computeSyncStatus(
    pairs.map((p, i) => ({
      target: p.target ?? null,
      live: p.live ?? null,
      modified: diffs[i]?.modified ?? false,
      isHook: diffs[i]?.hook ?? false,
      isSkip: p.target !== undefined && isSkipped(p.target),
      permitted: p.target === undefined || permitted(p.target),
    })),
  );
  const assessment = await input.health.appHealth(
    pairs.map((p) => {
      const obj = (p.live ?? p.target) as KubeObject;
      return { ...keyOf(obj), target: p.target, live: p.live };
    }),
    {
      name: input.app.metadata.name ?? '',
      namespace: input.app.metadata.namespace ?? '',
      uid: input.app.metadata.uid,
    },
  );
  const modified = new Map<string, boolean>();
  const resources = pairs.map((p, i): ComparedResource => {
    const obj = (p.live ?? p.target) as KubeObject;
    const k = keyOf(obj);
    const s = sync.resources[i];
    const health = assessment.resources[i];
    const hook = diffs[i]?.hook ?? false;
    modified.set(p.key, diffs[i]?.modified ?? false);
    const status: ResourceStatus = {
      group: k.group,
      version: versionOf(p.target ?? p.live),
      kind: k.kind,
      namespace: k.namespace,
      name: k.name,
      ...(s?.status === undefined ? {} : { status: s.status }),
      ...(health === undefined
        ? {}
        : { health: { status: health.status, ...(health.message ? { message: health.message } : {}) } }),
      ...(hook ? { hook: true } : {}),
      ...(s?.requiresPruning === true ? { requiresPruning: true } : {}),
      syncWave: syncWave(p.target ?? obj),
    };
    return { key: p.key, target: p.target, live: p.live, modified: diffs[i]?.modified ?? false, status };
  });
  resources.sort((a, b) => a.key.localeCompare(b.key));
  return {
    syncStatus: sync.status,
    health: {
      status: assessment.app.status,
      ...(assessment.app.message ? { message: assessment.app.message } : {}),
    },
    resources,
    conditions,
    modified,
  };
}
