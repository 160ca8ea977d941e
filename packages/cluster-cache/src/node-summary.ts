import type { KubeObject } from './kube-object.ts';
import type { NodeInfo } from './resource-node.ts';

interface ContainerStatus {
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: {
    readonly waiting?: { readonly reason?: string };
    readonly terminated?: { readonly reason?: string; readonly exitCode?: number; readonly signal?: number };
  };
}

interface PodShape {
  readonly spec?: {
    readonly nodeName?: string;
    readonly containers?: readonly { readonly image?: string }[];
    readonly initContainers?: readonly { readonly image?: string }[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly containerStatuses?: readonly ContainerStatus[];
  };
}

/** The images a Pod runs, init containers included, without duplicates. */
export function podImages(pod: KubeObject): string[] {
  const spec = (pod as PodShape).spec;
  const images = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]
    .map((c) => c.image)
    .filter((i): i is string => typeof i === 'string' && i !== '');
  return [...new Set(images)];
}

/** kubectl's STATUS column: the phase, overridden by a container's waiting/terminated reason. */
function podStatusReason(pod: KubeObject): string {
  const status = (pod as PodShape).status;
  let reason = status?.reason ?? status?.phase ?? 'Unknown';
  for (const cs of [...(status?.containerStatuses ?? [])].reverse()) {
    const waiting = cs.state?.waiting?.reason;
    const term = cs.state?.terminated;
    if (waiting !== undefined && waiting !== '') reason = waiting;
    else if (term?.reason !== undefined && term.reason !== '') reason = term.reason;
    else if (term?.signal !== undefined && term.signal !== 0) reason = `Signal:${term.signal}`;
    else if (term?.exitCode !== undefined && term.exitCode !== 0) reason = `ExitCode:${term.exitCode}`;
  }
  if (pod.metadata?.deletionTimestamp !== undefined)
    reason = status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

/** The short facts the resource tree shows next to a node (Argo CD's `info` items). */
export function nodeInfo(group: string, kind: string, obj: KubeObject): NodeInfo[] | undefined {
  if (group === '' && kind === 'Pod') {
    const pod = obj as PodShape;
    const statuses = pod.status?.containerStatuses ?? [];
    const total = pod.spec?.containers?.length ?? statuses.length;
    const ready = statuses.filter((s) => s.ready === true).length;
    const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
    const info: NodeInfo[] = [{ name: 'Status Reason', value: podStatusReason(obj) }];
    if (pod.spec?.nodeName !== undefined) info.push({ name: 'Node', value: pod.spec.nodeName });
    info.push({ name: 'Containers', value: `${ready}/${total}` });
    if (restarts > 0) info.push({ name: 'Restart Count', value: String(restarts) });
    return info;
  }
  if (group === 'apps' && (kind === 'ReplicaSet' || kind === 'Deployment')) {
    const rev = obj.metadata?.annotations?.['deployment.kubernetes.io/revision'];
    if (rev !== undefined) return [{ name: 'Revision', value: `Rev:${rev}` }];
  }
  return undefined;
}
