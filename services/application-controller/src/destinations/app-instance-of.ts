import { groupOf, TRACKING_ID_ANNOTATION, type KubeObject, type TrackingMethod } from '@capstan/engine';

export interface TrackingConfig {
  readonly method: TrackingMethod;
  readonly labelKey: string;
  readonly installationId: string;
}

const INSTALLATION_ID_ANNOTATION = 'argocd.argoproj.io/installation-id';

/**
 * The app instance an object is tracked by, or undefined. With annotation tracking the id must describe
 * the object itself: a copy of a managed object (same annotation, other name) is not managed, which is
 * what keeps `kubectl get -o yaml | kubectl apply` copies from being pruned or adopted.
 */
export function appInstanceOf(obj: KubeObject, tracking: TrackingConfig): string | undefined {
  const md = obj.metadata;
  if (md === undefined) return undefined;
  if (tracking.method === 'label') {
    const label = md.labels?.[tracking.labelKey];
    return label === undefined || label === '' ? undefined : label;
  }
  const id = md.annotations?.[TRACKING_ID_ANNOTATION];
  if (id === undefined || id === '') return undefined;
  if (
    tracking.installationId !== '' &&
    md.annotations?.[INSTALLATION_ID_ANNOTATION] !== tracking.installationId
  )
    return undefined;
  // <app>:<group>/<kind>:<namespace>/<name>
  const first = id.indexOf(':');
  const second = id.indexOf(':', first + 1);
  if (first <= 0 || second < 0) return undefined;
  const app = id.slice(0, first);
  const gk = id.slice(first + 1, second);
  const nsName = id.slice(second + 1);
  const slash = gk.indexOf('/');
  const group = gk.slice(0, slash);
  const kind = gk.slice(slash + 1);
  const sep = nsName.indexOf('/');
  const namespace = nsName.slice(0, sep);
  const name = nsName.slice(sep + 1);
  if (slash < 0 || sep < 0) return undefined;
  if (group !== groupOf(obj.apiVersion) || kind !== obj.kind || name !== md.name) return undefined;
  // A cluster-scoped object's id may carry the app's destination namespace (it was rendered without
  // one); a namespaced object's must name its own.
  const ownNamespace = md.namespace ?? '';
  if (ownNamespace !== '' && namespace !== ownNamespace) return undefined;
  return app;
}

/** The instance name of an Application: its name, or `<namespace>_<name>` outside the control plane. */
export function instanceName(
  app: { metadata: { name?: string; namespace?: string } },
  controlNamespace: string,
): string {
  const ns = app.metadata.namespace ?? controlNamespace;
  const name = app.metadata.name ?? '';
  return ns === controlNamespace ? name : `${ns}_${name}`;
}
