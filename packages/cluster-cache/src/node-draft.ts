import type { KubeObject } from './kube-object.ts';
import type { NodeDraft } from './resource-index.ts';
import type { NodeHealth, ResourceKey } from './resource-node.ts';
import { nodeInfo, podImages } from './node-summary.ts';

/**
 * A parent the API does not record as an owner reference but the tree should show: an Endpoints object
 * belongs to the Service of its name, an EndpointSlice to the Service its label names.
 */
export function inferredParentOf(group: string, kind: string, obj: KubeObject): ResourceKey | undefined {
  const namespace = obj.metadata?.namespace ?? '';
  if (group === '' && kind === 'Endpoints') {
    const name = obj.metadata?.name;
    return name === undefined ? undefined : { group: '', kind: 'Service', namespace, name };
  }
  if (group === 'discovery.k8s.io' && kind === 'EndpointSlice') {
    const name = obj.metadata?.labels?.['kubernetes.io/service-name'];
    return name === undefined ? undefined : { group: '', kind: 'Service', namespace, name };
  }
  return undefined;
}

/** The lightweight node of an object served as group/version/kind; health is computed here, once. */
export function nodeDraftOf(
  type: { readonly group: string; readonly version: string; readonly kind: string },
  obj: KubeObject,
  healthOf?: (obj: KubeObject) => NodeHealth | undefined,
): NodeDraft {
  const { group, version, kind } = type;
  const md = obj.metadata ?? {};
  const inferredParent = inferredParentOf(group, kind, obj);
  const health = healthOf?.(obj);
  const images = group === '' && kind === 'Pod' ? podImages(obj) : undefined;
  const info = nodeInfo(group, kind, obj);
  return {
    group,
    version,
    kind,
    namespace: md.namespace ?? '',
    name: md.name ?? '',
    uid: md.uid ?? '',
    resourceVersion: md.resourceVersion ?? '',
    ...(md.creationTimestamp === undefined ? {} : { createdAt: md.creationTimestamp }),
    ownerUids: (md.ownerReferences ?? []).map((r) => r.uid).filter((u) => u !== ''),
    ...(inferredParent === undefined ? {} : { inferredParent }),
    ...(health === undefined ? {} : { health }),
    ...(images === undefined || images.length === 0 ? {} : { images }),
    ...(info === undefined ? {} : { info }),
  };
}
