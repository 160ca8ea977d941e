// npm run bench:engine — the engine's hot paths on one core: diffing Deployment-sized live/desired pairs
// with ignoreDifferences rules, and planning the first sync step of a 5,000-resource app with waves and
// hooks. Last line: JSON figures.
import { compileDiffOptions, diffResource, syncStep, type KubeObject, type ScopeOf } from '@capstan/engine';
import { median } from './rss.ts';

const rounds = Number(process.env['BENCH_ROUNDS'] ?? '5');

function target(i: number): KubeObject {
  const name = `web-${i}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'production',
      labels: { app: name, tier: 'frontend' },
      annotations: { 'argocd.argoproj.io/tracking-id': `bench:apps/Deployment:production/${name}` },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier: 'frontend' } },
        spec: {
          serviceAccountName: 'app',
          containers: [
            {
              name: 'app',
              image: `registry.example/app:${i % 7}.0.0`,
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              resources: {
                limits: { cpu: '500m', memory: '512Mi' },
                requests: { cpu: '100m', memory: '128Mi' },
              },
              readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
            },
          ],
        },
      },
    },
  };
}

/** What the API server returns after an apply of `t`: defaults, status, managedFields, last-applied. */
function live(t: KubeObject, i: number): KubeObject {
  const l = structuredClone(t) as KubeObject & { spec: Record<string, unknown>; status?: unknown };
  l.metadata = {
    ...l.metadata,
    uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    resourceVersion: String(1000 + i),
    generation: 2,
    creationTimestamp: '2026-01-01T00:00:00Z',
    annotations: {
      ...l.metadata?.annotations,
      'deployment.kubernetes.io/revision': '2',
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(t),
    },
    managedFields: [
      {
        manager: 'argocd-controller',
        operation: 'Update',
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:template': {} } },
      },
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'apps/v1',
        subresource: 'status',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:status': {} },
      },
    ],
  };
  const spec = l.spec as { template: { spec: Record<string, unknown> }; replicas: number };
  Object.assign(l.spec, {
    progressDeadlineSeconds: 600,
    revisionHistoryLimit: 10,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  });
  Object.assign(spec.template.spec, {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
    securityContext: {},
  });
  const c = (spec.template.spec['containers'] as Record<string, unknown>[])[0];
  if (c !== undefined)
    Object.assign(c, {
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
  // An HPA scaled some of them: ignored by the rule below, so not drift.
  if (i % 3 === 0) spec.replicas = 5;
  // One in ten really drifted: someone changed the image by hand.
  if (i % 10 === 0 && c !== undefined) c['image'] = 'registry.example/app:hotfix';
  l.status = {
    observedGeneration: 2,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    conditions: [{ type: 'Available', status: 'True' }],
  };
  return l;
}

const N = 10_000;
const pairs = Array.from({ length: N }, (_, i) => {
  const t = target(i);
  return { t, l: live(t, i) };
});
const options = compileDiffOptions({
  ignoreDifferences: [
    { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    { group: '*', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] },
  ],
});
let modified = 0;
for (const { t, l } of pairs.slice(0, 500)) diffResource(t, l, options); // warm-up
const diffRates: number[] = [];
for (let r = 0; r < rounds; r++) {
  modified = 0;
  const t0 = performance.now();
  for (const { t, l } of pairs) if (diffResource(t, l, options).modified) modified++;
  diffRates.push(N / ((performance.now() - t0) / 1000));
}
if (modified !== N / 10)
  throw new Error(
    `expected ${N / 10} drifted resources, found ${modified}: the benchmark would measure the wrong thing`,
  );

// Planning: 5,000 targets over 20 namespaces, waves -3…3, Deployments/Services/ConfigMaps plus 50 hooks.
const kinds = [
  ['v1', 'ConfigMap'],
  ['v1', 'Service'],
  ['apps/v1', 'Deployment'],
  ['v1', 'ServiceAccount'],
  ['batch/v1', 'Job'],
] as const;
const targets: KubeObject[] = [];
for (let i = 0; i < 5000; i++) {
  const [apiVersion, kind] = kinds[i % kinds.length] ?? kinds[0];
  const hook = i < 50 ? (['PreSync', 'PostSync', 'SyncFail'] as const)[i % 3] : undefined;
  targets.push({
    apiVersion,
    kind: hook === undefined ? kind : 'Job',
    metadata: {
      name: `r-${i}`,
      namespace: `ns-${i % 20}`,
      annotations: {
        'argocd.argoproj.io/sync-wave': String((i % 7) - 3),
        ...(hook === undefined ? {} : { 'argocd.argoproj.io/hook': hook }),
      },
    },
  });
}
const scopeOf: ScopeOf = (_g, kind) => kind !== 'Namespace';
const planTimes: number[] = [];
let actions = 0;
for (let r = 0; r < rounds + 2; r++) {
  const t0 = performance.now();
  const step = syncStep({
    operation: { sync: { revision: '0123456789abcdef0123456789abcdef01234567' } },
    state: {
      phase: 'Running',
      startedAt: '2026-01-01T00:00:00Z',
      syncResult: { revision: '0123456789abcdef0123456789abcdef01234567', resources: [] },
    },
    targets,
    live: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production' } }],
    managed: new Set(),
    health: () => undefined,
    scopeOf,
    app: { spec: { destination: { namespace: 'production' } } },
    now: new Date('2026-01-01T00:00:10Z'),
  });
  if (r >= 2) planTimes.push(performance.now() - t0);
  actions = step.actions.length;
}

const figures = {
  bench: 'engine',
  node: process.version,
  diff_resources_per_s: Math.round(median(diffRates)),
  diff_drifted: modified,
  plan_5000_ms: Math.round(median(planTimes) * 10) / 10,
  plan_first_step_actions: actions,
};
console.error(
  `diff ${figures.diff_resources_per_s} pairs/s (${modified} of ${N} drifted); plan of 5,000 resources ${figures.plan_5000_ms} ms`,
);
console.log(JSON.stringify(figures));
