import { crdManifests } from '@capstan/crds';
import { kubeHttp, type KubeEndpoint } from './kube-http.ts';

async function apply(ep: KubeEndpoint, path: string, body: unknown): Promise<void> {
  // Server-side apply: idempotent, and the ApplicationSet CRD is too large for client-side apply.
  const res = await kubeHttp(ep, {
    method: 'PATCH',
    path: `${path}?fieldManager=capstan-dev&force=true`,
    body,
    contentType: 'application/apply-patch+yaml',
  });
  if (res.status >= 300) throw new Error(`applying ${path} failed: ${res.status} ${res.body.slice(0, 300)}`);
}

/**
 * Makes a local cluster look like one Capstan is installed in: its namespace and its CRDs. (The
 * Helm chart does this on real clusters.)
 */
export async function prepareCluster(ep: KubeEndpoint, namespace: string): Promise<void> {
  await apply(ep, `/api/v1/namespaces/${namespace}`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  for (const crd of crdManifests()) {
    await apply(ep, `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`, crd);
  }
}
