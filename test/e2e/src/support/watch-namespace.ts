// Records, for the tests of sync order, when each object of a namespace appeared and when it became ready.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export interface Seen {
  added: Map<string, number>;
  healthyAt: Map<string, number>;
  stop: () => void;
}

/** Watches the namespace's kinds (and namespaces), noting when each object was added and became ready. */
export async function watchNamespace(kubeConfig: KubeConfig, ns: string): Promise<Seen> {
  const added = new Map<string, number>();
  const healthyAt = new Map<string, number>();
  const watch = new Watch(kubeConfig);
  const paths = [
    '/api/v1/namespaces',
    `/api/v1/namespaces/${ns}/serviceaccounts`,
    `/api/v1/namespaces/${ns}/configmaps`,
    `/api/v1/namespaces/${ns}/services`,
    `/apis/apps/v1/namespaces/${ns}/deployments`,
    `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
    `/apis/batch/v1/namespaces/${ns}/jobs`,
    `/apis/monitoring.coreos.com/v1/namespaces/${ns}/servicemonitors`,
  ];
  const onEvent = (
    phase: string,
    obj: KubernetesObject & { status?: Record<string, unknown>; spec?: Record<string, unknown> },
  ): void => {
    const id = `${obj.kind}/${obj.metadata?.name}`;
    if (obj.kind === 'Namespace' && obj.metadata?.name !== ns) return;
    if (phase === 'ADDED' && !added.has(id)) added.set(id, Date.now());
    const status = obj.status ?? {};
    const conditions = (status['conditions'] as { type: string; status: string }[] | undefined) ?? [];
    const ready =
      obj.kind === 'Job'
        ? conditions.some((c) => c.type === 'Complete' && c.status === 'True')
        : obj.kind === 'Deployment'
          ? status['availableReplicas'] === obj.spec?.['replicas'] &&
            status['updatedReplicas'] === obj.spec?.['replicas']
          : true;
    if (ready && !healthyAt.has(id)) healthyAt.set(id, Date.now());
  };
  const controllers = new Map<string, AbortController>();
  let stopped = false;
  // A watch the API server ends (or refuses while a CRD's endpoint settles) is started again.
  const start = async (path: string): Promise<void> => {
    if (stopped) return;
    controllers.set(
      path,
      await watch.watch(
        path,
        {},
        onEvent,
        () => void (stopped ? undefined : setTimeout(() => void start(path), 200)),
      ),
    );
  };
  await Promise.all(paths.map((p) => start(p)));
  return {
    added,
    healthyAt,
    stop: () => {
      stopped = true;
      controllers.forEach((c) => c.abort());
    },
  };
}
