import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Application } from '@capstan/crds';
import type { Logger } from '@capstan/runtime';

export interface AppEvents {
  emit(app: Application, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/**
 * Kubernetes Events on the Application (what `kubectl describe application` shows), fire-and-forget: a
 * failed event is logged and never holds up an operation.
 */
export function kubeAppEvents(
  kc: KubeConfig,
  logger: Logger,
  now: () => Date,
  /** The replica recording the event: which one did what shows in `kubectl get events`. */
  replicaId: string,
): AppEvents {
  const core = kc.makeApiClient(CoreV1Api);
  return {
    emit(app, type, reason, message) {
      const ns = app.metadata.namespace ?? 'default';
      const at = now();
      core
        .createNamespacedEvent({
          namespace: ns,
          body: {
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
            firstTimestamp: at,
            lastTimestamp: at,
            count: 1,
            reportingComponent: 'argocd-application-controller',
            reportingInstance: replicaId,
          },
        })
        .catch((err: unknown) => logger.debug('could not record event', { reason, error: String(err) }));
    },
  };
}
