import type { Manifest } from '@capstan/crds';

export type TrackingMethod = 'annotation' | 'label' | 'annotation+label';

export const trackingIdAnnotation = 'argocd.argoproj.io/tracking-id';
export const installationIdAnnotation = 'argocd.argoproj.io/installation-id';
export const defaultInstanceLabel = 'app.kubernetes.io/instance';
const labelMax = 63;

export interface Tracking {
  readonly method: TrackingMethod;
  readonly labelKey: string;
  /** Instance name: the app name, or `<ns>_<name>` for apps outside the control-plane namespace. */
  readonly appInstance: string;
  /** Destination namespace, used for objects that name none. */
  readonly namespace: string;
  readonly installationId: string;
}

function isCrd(m: Manifest): boolean {
  const apiVersion = typeof m['apiVersion'] === 'string' ? m['apiVersion'] : '';
  return m['kind'] === 'CustomResourceDefinition' && apiVersion.startsWith('apiextensions.k8s.io/');
}

function metadataOf(m: Manifest): Record<string, unknown> {
  const meta = m['metadata'];
  if (meta !== null && typeof meta === 'object' && !Array.isArray(meta))
    return meta as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  m['metadata'] = fresh;
  return fresh;
}

function mapOf(meta: Record<string, unknown>, key: 'labels' | 'annotations'): Record<string, string> {
  const existing = meta[key];
  if (existing !== null && typeof existing === 'object' && !Array.isArray(existing))
    return existing as Record<string, string>;
  const fresh: Record<string, string> = {};
  meta[key] = fresh;
  return fresh;
}

/** `<app>:<group>/<kind>:<namespace>/<name>`, the value of the tracking-id annotation. */
export function trackingId(m: Manifest, appInstance: string, defaultNamespace: string): string {
  const apiVersion = typeof m['apiVersion'] === 'string' ? m['apiVersion'] : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const meta = (m['metadata'] ?? {}) as { name?: unknown; namespace?: unknown };
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : defaultNamespace;
  const kind = typeof m['kind'] === 'string' ? m['kind'] : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  return `${appInstance}:${group}/${kind}:${ns}/${name}`;
}

/**
 * Marks an object as the application's, the way the tracking method says. CRDs are left alone: they are
 * shared by every app that uses them, and marking one would make another app prune it.
 */
export function stampTracking(m: Manifest, t: Tracking): void {
  if (isCrd(m)) return;
  const meta = metadataOf(m);
  if (t.method === 'annotation' || t.method === 'annotation+label') {
    const annotations = mapOf(meta, 'annotations');
    annotations[trackingIdAnnotation] = trackingId(m, t.appInstance, t.namespace);
    if (t.installationId !== '') annotations[installationIdAnnotation] = t.installationId;
    else delete annotations[installationIdAnnotation];
  }
  if (t.method === 'label' || t.method === 'annotation+label') {
    let value = t.appInstance;
    if (t.method === 'annotation+label' && value.length > labelMax) {
      // A label value must end alphanumeric; trim what truncation leaves dangling.
      value = value.slice(0, labelMax).replace(/[^A-Za-z0-9]+$/, '');
    }
    mapOf(meta, 'labels')[t.labelKey] = value;
  }
}
