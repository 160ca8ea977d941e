import type { KubernetesObject } from '@kubernetes/client-node';
import { crdManifests } from '@capstan/crds';
import type { ResourceClient } from '@capstan/kube';

type Obj = KubernetesObject & Record<string, unknown>;

const fieldManager = 'capstan-dev';

/** What `npm start` applies on top of the CRDs; all optional so callers that only need the CRDs can skip it. */
export interface PrepareClusterOptions {
  /** argocd-cm `timeout.reconciliation` (how often every app is refreshed without a change); default 60s. */
  readonly reconciliationTimeout?: string;
  /** How long to wait for the CRDs to be Established; default 30 s. */
  readonly establishTimeoutMs?: number;
}

const established = (live: KubernetesObject | undefined): boolean =>
  (
    live as { status?: { conditions?: { type: string; status: string }[] } } | undefined
  )?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;

async function waitEstablished(kube: ResourceClient, crds: readonly Obj[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending: string[] = [];
    for (const crd of crds) if (!established(await kube.get(crd))) pending.push(crd.metadata?.name ?? '?');
    if (pending.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`CRDs not Established after ${timeoutMs} ms: ${pending.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The minimal CRD of the Prometheus operator's ServiceMonitor: the demo (the seed's sync-wave example)
 * ships one, and a cluster without the kind would fail that wave.
 */
const serviceMonitorCrd: Obj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'servicemonitors.monitoring.coreos.com' },
  spec: {
    group: 'monitoring.coreos.com',
    scope: 'Namespaced',
    names: { plural: 'servicemonitors', singular: 'servicemonitor', kind: 'ServiceMonitor' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

/**
 * Makes a local cluster look like one Capstan is installed in, as the Helm chart does on real clusters:
 * the argoproj.io CRDs (Established), the control-plane namespace, argocd-cm and the `default` AppProject.
 * Server-side apply throughout, so running it again on a reused cluster changes nothing (and leaves
 * argocd-cm keys someone else set alone).
 */
export async function prepareCluster(
  kube: ResourceClient,
  namespace: string,
  options: PrepareClusterOptions = {},
): Promise<void> {
  const apply = (obj: Obj): Promise<KubernetesObject> => kube.apply(obj, { fieldManager });
  const crds = crdManifests() as unknown as Obj[];
  for (const crd of crds) await apply(crd);
  // Only install our stand-in when the real operator's CRD is not there already.
  const ownCrds = [...crds];
  if ((await kube.get(serviceMonitorCrd)) === undefined) {
    await apply(serviceMonitorCrd);
    ownCrds.push(serviceMonitorCrd);
  }
  await waitEstablished(kube, ownCrds, options.establishTimeoutMs ?? 30_000);
  // Discovery may have been cached before the new kinds were served.
  kube.invalidateDiscovery();

  await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cm',
      namespace,
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data: { 'timeout.reconciliation': options.reconciliationTimeout ?? '60s' },
  });
  await apply({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'default', namespace },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
}
