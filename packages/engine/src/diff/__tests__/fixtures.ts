// Realistic objects for the diff tests and for measuring: what the repo-server renders (targets) and what the
// API server returns after `kubectl apply` of them (live objects, with defaults, status and managedFields).
import type { KubeObject } from '../../types.ts';

export const TRACKING_ID = 'guestbook:apps/Deployment:default/guestbook-ui';

type Json = Record<string, unknown>;

function clone<T>(value: T): T {
  return structuredClone(value);
}

export function deploymentTarget(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'guestbook-ui',
      namespace: 'default',
      labels: { app: 'guestbook-ui', tier: 'frontend' },
      annotations: { 'argocd.argoproj.io/tracking-id': TRACKING_ID },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'guestbook-ui' } },
      template: {
        metadata: { labels: { app: 'guestbook-ui', tier: 'frontend' } },
        spec: {
          containers: [
            {
              name: 'guestbook-ui',
              image: 'quay.io/argoprojlabs/argocd-e2e-container:0.2',
              ports: [{ name: 'http', containerPort: 80 }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              resources: {
                limits: { cpu: '0.5', memory: '1024Mi' },
                requests: { cpu: 0.1, memory: '128Mi' },
              },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              volumeMounts: [{ name: 'config', mountPath: '/etc/guestbook' }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'guestbook-config' } }],
        },
      },
    },
  };
}

/** The live object after applying `target` with kubectl (client-side apply), as the API server returns it. */
export function deploymentLive(target: KubeObject, options: { lastApplied?: boolean } = {}): KubeObject {
  const t = clone(target) as Json;
  const metadata = clone(target.metadata ?? {});
  const annotations: Record<string, string> = {
    ...(metadata.annotations ?? {}),
    'deployment.kubernetes.io/revision': '3',
  };
  if (options.lastApplied !== false) {
    annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify(target) + '\n';
  }
  const spec = clone((t['spec'] ?? {}) as Json);
  const template = (spec['template'] ?? {}) as Json;
  const podSpec = (template['spec'] ?? {}) as Json;
  const containers = ((podSpec['containers'] ?? []) as Json[]).map((c) => ({
    ...c,
    ports: ((c['ports'] ?? []) as Json[]).map((p) => ({ ...p, protocol: 'TCP' })),
    env: ((c['env'] ?? []) as Json[]).map((e) =>
      e['valueFrom'] === undefined
        ? e
        : { ...e, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    ),
    resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    readinessProbe: {
      httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    },
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  }));
  const volumes = ((podSpec['volumes'] ?? []) as Json[]).map((v) => ({
    ...v,
    configMap: { ...(v['configMap'] as Json), defaultMode: 420 },
  }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      ...metadata,
      annotations,
      uid: '6f1c2a52-1d0b-4c3e-9d55-0f6a3c1f8a11',
      resourceVersion: '48213',
      generation: 3,
      creationTimestamp: '2026-01-12T09:14:03Z',
      managedFields: [
        {
          manager: 'argocd-controller',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: '2026-01-12T09:14:03Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} },
              'f:labels': { '.': {}, 'f:app': {}, 'f:tier': {} },
            },
            'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:template': {} },
          },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: '2026-01-12T09:15:40Z',
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:availableReplicas': {}, 'f:replicas': {} } },
        },
      ],
    },
    spec: {
      ...spec,
      replicas: spec['replicas'] ?? 1,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        ...template,
        metadata: { ...((template['metadata'] ?? {}) as Json), creationTimestamp: null },
        spec: {
          ...podSpec,
          containers,
          volumes,
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
}

/** A field manager entry as an HPA writes it when it scales a Deployment. */
export function hpaManagedFields(): Json {
  return {
    manager: 'kube-controller-manager',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2026-01-12T10:02:11Z',
    fieldsType: 'FieldsV1',
    subresource: 'scale',
    fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  };
}

export function serviceTarget(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'guestbook-ui', namespace: 'default', labels: { app: 'guestbook-ui' } },
    spec: { selector: { app: 'guestbook-ui' }, ports: [{ port: 80, targetPort: 80 }] },
  };
}

export function serviceLive(target: KubeObject): KubeObject {
  const t = clone(target) as Json;
  const spec = t['spec'] as Json;
  return {
    ...t,
    metadata: {
      ...clone(target.metadata ?? {}),
      uid: 'b0a1',
      resourceVersion: '99',
      creationTimestamp: '2026-01-12T09:14:03Z',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(target) },
    },
    spec: {
      ...spec,
      ports: ((spec['ports'] ?? []) as Json[]).map((p) => ({ ...p, protocol: 'TCP' })),
      clusterIP: '10.96.12.7',
      clusterIPs: ['10.96.12.7'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
}

/** Freezes a value deeply, so a test fails if the diff mutates its inputs. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Sets a value deep inside a test object, creating maps on the way. */
export function setPath(obj: KubeObject, path: readonly (string | number)[], value: unknown): KubeObject {
  let node = obj as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) {
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return obj;
}
