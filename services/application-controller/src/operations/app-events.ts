import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeTransport } from '@capstan/kube';
import type { Application } from '@capstan/crds';
import { toK8sTime } from '@capstan/engine';
import type { Logger } from '@capstan/runtime';

export interface AppEvents {
  emit(app: Application, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/**
 * Kubernetes Events on the Application (what `kubectl describe application` shows), fire-and-forget: a
 * failed event is logged and never holds up an operation. They go through a KubeTransport of their own
 * (kept-alive connections, the default 50 qps limit): client-node's API client opened a TLS connection
 * per event, and an event burst must not eat the rate budget of the Applications' writes.
 */
export function kubeAppEvents(
  kc: KubeConfig,
  logger: Logger,
  now: () => Date,
  /** The replica recording the event: which one did what shows in `kubectl get events`. */
  replicaId: string,
): AppEvents {
  const transport = new KubeTransport(kc);
  return {
    emit(app, type, reason, message) {
      const ns = app.metadata.namespace ?? 'default';
      const at = now();
      const body = {
        metadata: {
          name: `${app.metadata.name ?? 'app'}.${randomBytes(8).toString('hex')}`,
          namespace: ns,
        },
        involvedObject: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          name: app.metadata.name ?? '',
          namespace: ns,
          ...(app.metadata.uid === undefined ? {} : { uid: app.metadata.uid }),
          ...(app.metadata.resourceVersion === undefined
            ? {}
            : { resourceVersion: app.metadata.resourceVersion }),
        },
        reason,
        message: message.slice(0, 1024),
        type,
        source: { component: 'argocd-application-controller', host: replicaId },
        firstTimestamp: toK8sTime(at),
        lastTimestamp: toK8sTime(at),
        count: 1,
        reportingComponent: 'argocd-application-controller',
        reportingInstance: replicaId,
      };
      transport
        .request('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/events`, {
          body,
          resourceKind: 'Event',
        })
        .then((res) => {
          if (res.status >= 300)
            logger.debug('could not record event', {
              reason,
              status: res.status,
              error: res.body.slice(0, 200),
            });
        })
        .catch((err: unknown) => logger.debug('could not record event', { reason, error: String(err) }));
    },
  };
}
