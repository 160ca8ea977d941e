import { describe, expect, it } from 'vitest';
import type { HealthStatus, KubeObject } from '../types.ts';
import { HealthAssessor } from './health-assessor.ts';

// One case per rule of the health table (reference §6), on objects shaped like what the API server returns.

interface Case {
  readonly name: string;
  readonly obj: KubeObject;
  readonly status: HealthStatus['status'] | undefined;
  /** Exact message, or a fragment it must contain. */
  readonly message?: string | RegExp;
}

const assessor = new HealthAssessor();

function run(cases: readonly Case[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const health = assessor.resourceHealthSync(c.obj);
    expect(health?.status).toBe(c.status);
    if (typeof c.message === 'string') expect(health?.message ?? '').toBe(c.message);
    else if (c.message !== undefined) expect(health?.message ?? '').toMatch(c.message);
  });
}

function obj(
  apiVersion: string,
  kind: string,
  body: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'web', namespace: 'prod', generation: 2, ...metadata },
    ...body,
  };
}

const deployment = (
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  generation = 2,
): KubeObject =>
  obj(
    'apps/v1',
    'Deployment',
    { spec: { replicas: 3, ...spec }, status: { observedGeneration: 2, ...status } },
    { generation },
  );

const progressingCondition = (reason: string) => ({
  type: 'Progressing',
  status: reason === 'ProgressDeadlineExceeded' ? 'False' : 'True',
  reason,
  message: 'ReplicaSet "web-7d4b9" has timed out progressing.',
});

describe('Deployment', () => {
  const done = { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 };
  run([
    {
      name: 'paused → Suspended',
      obj: deployment({ paused: true }, done),
      status: 'Suspended',
      message: 'Deployment is paused',
    },
    { name: 'generation not observed → Progressing', obj: deployment({}, done, 3), status: 'Progressing' },
    {
      name: 'ProgressDeadlineExceeded → Degraded',
      obj: deployment(
        {},
        { ...done, updatedReplicas: 1, conditions: [progressingCondition('ProgressDeadlineExceeded')] },
      ),
      status: 'Degraded',
      message: 'Deployment "web" has exceeded its progress deadline',
    },
    {
      name: 'fewer updated than desired → Progressing',
      obj: deployment(
        {},
        { ...done, updatedReplicas: 1, conditions: [progressingCondition('ReplicaSetUpdated')] },
      ),
      status: 'Progressing',
      message: 'Rollout in progress: 1 of 3 replicas updated',
    },
    {
      name: 'old replicas still running → Progressing',
      obj: deployment({}, { ...done, replicas: 4 }),
      status: 'Progressing',
      message: 'Rollout in progress: 1 old replicas still terminating',
    },
    {
      name: 'updated replicas not yet available → Progressing',
      obj: deployment({}, { ...done, availableReplicas: 2 }),
      status: 'Progressing',
      message: 'Rollout in progress: 2 of 3 updated replicas available',
    },
    {
      name: 'rolled out → Healthy',
      obj: deployment({}, { ...done, conditions: [progressingCondition('NewReplicaSetAvailable')] }),
      status: 'Healthy',
    },
  ]);
});

const statefulSet = (spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject =>
  obj('apps/v1', 'StatefulSet', {
    spec: { replicas: 3, ...spec },
    status: {
      observedGeneration: 2,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: 'web-5d8f',
      updateRevision: 'web-5d8f',
      ...status,
    },
  });

describe('StatefulSet', () => {
  const rolling = (partition: number) => ({
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } },
  });
  run([
    {
      name: 'never observed → Progressing',
      obj: statefulSet({}, { observedGeneration: 0 }),
      status: 'Progressing',
    },
    {
      name: 'generation not observed → Progressing',
      obj: { ...statefulSet({}, {}), metadata: { name: 'web', generation: 3 } },
      status: 'Progressing',
    },
    {
      name: 'pods not ready → Progressing',
      obj: statefulSet({}, { readyReplicas: 1 }),
      status: 'Progressing',
      message: 'Waiting for 2 pods to become ready',
    },
    {
      name: 'RollingUpdate with partition, pods above it not updated → Progressing',
      obj: statefulSet(rolling(2), { updatedReplicas: 0 }),
      status: 'Progressing',
      message: 'Partitioned rollout in progress: 0 of 1 pods updated',
    },
    {
      name: 'RollingUpdate with partition, pods above it updated → Healthy',
      obj: statefulSet(rolling(2), { updatedReplicas: 1, updateRevision: 'web-9c1a' }),
      status: 'Healthy',
    },
    {
      name: 'OnDelete → Healthy whatever the revisions',
      obj: statefulSet({ updateStrategy: { type: 'OnDelete' } }, { updateRevision: 'web-9c1a' }),
      status: 'Healthy',
      message: '3 pods ready',
    },
    {
      name: 'update revision not yet current → Progressing',
      obj: statefulSet(
        { updateStrategy: { type: 'RollingUpdate' } },
        { updateRevision: 'web-9c1a', updatedReplicas: 1 },
      ),
      status: 'Progressing',
    },
    {
      name: 'rolled out → Healthy',
      obj: statefulSet({ updateStrategy: { type: 'RollingUpdate' } }, {}),
      status: 'Healthy',
      message: 'Rolling update complete: 3 pods at revision web-5d8f',
    },
  ]);
});

const daemonSet = (spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject =>
  obj('apps/v1', 'DaemonSet', {
    spec,
    status: {
      observedGeneration: 2,
      desiredNumberScheduled: 4,
      currentNumberScheduled: 4,
      updatedNumberScheduled: 4,
      numberAvailable: 4,
      numberReady: 4,
      ...status,
    },
  });

describe('DaemonSet', () => {
  run([
    {
      name: 'generation not observed → Progressing',
      obj: daemonSet({}, { observedGeneration: 1 }),
      status: 'Progressing',
    },
    {
      name: 'OnDelete → Healthy',
      obj: daemonSet({ updateStrategy: { type: 'OnDelete' } }, { updatedNumberScheduled: 1 }),
      status: 'Healthy',
    },
    {
      name: 'pods not updated → Progressing',
      obj: daemonSet({ updateStrategy: { type: 'RollingUpdate' } }, { updatedNumberScheduled: 2 }),
      status: 'Progressing',
      message: 'Rollout in progress: 2 of 4 pods updated',
    },
    {
      name: 'pods not available → Progressing',
      obj: daemonSet({}, { numberAvailable: 3 }),
      status: 'Progressing',
      message: 'Rollout in progress: 3 of 4 updated pods available',
    },
    { name: 'rolled out → Healthy', obj: daemonSet({}, {}), status: 'Healthy' },
  ]);
});

const replicaSet = (status: Record<string, unknown>): KubeObject =>
  obj('apps/v1', 'ReplicaSet', {
    spec: { replicas: 2 },
    status: { observedGeneration: 2, replicas: 2, readyReplicas: 2, availableReplicas: 2, ...status },
  });

describe('ReplicaSet', () => {
  run([
    {
      name: 'generation not observed → Progressing',
      obj: replicaSet({ observedGeneration: 1 }),
      status: 'Progressing',
    },
    {
      name: 'ReplicaFailure True → Degraded',
      obj: replicaSet({
        availableReplicas: 0,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message: 'pods "web-" is forbidden: exceeded quota',
          },
        ],
      }),
      status: 'Degraded',
      message: 'pods "web-" is forbidden: exceeded quota',
    },
    {
      name: 'replicas not available → Progressing',
      obj: replicaSet({ availableReplicas: 1 }),
      status: 'Progressing',
    },
    { name: 'all available → Healthy', obj: replicaSet({}), status: 'Healthy' },
  ]);
});

const RESTART_IGNORED = { annotations: { 'argocd.argoproj.io/ignore-restart-policy': 'true' } };
const HOOK = { annotations: { 'argocd.argoproj.io/hook': 'PreSync' } };

function pod(
  restartPolicy: string,
  status: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): KubeObject {
  return obj(
    'v1',
    'Pod',
    { spec: { restartPolicy, containers: [{ name: 'main', image: 'nginx:1.27' }] }, status },
    metadata,
  );
}

const waiting = (reason: string, message: string) => ({
  phase: 'Pending',
  containerStatuses: [
    { name: 'main', ready: false, restartCount: 0, state: { waiting: { reason, message } } },
  ],
});

const running = (ready: boolean, lastState: Record<string, unknown> = {}) => ({
  phase: 'Running',
  conditions: [
    { type: 'Initialized', status: 'True' },
    { type: 'Ready', status: ready ? 'True' : 'False' },
  ],
  containerStatuses: [
    {
      name: 'main',
      ready,
      restartCount: 0,
      lastState,
      state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
    },
  ],
});

describe('Pod', () => {
  run([
    {
      name: 'restartPolicy Always, CrashLoopBackOff → Degraded',
      obj: pod('Always', {
        ...running(false, { terminated: { exitCode: 1, reason: 'Error' } }),
        containerStatuses: [
          {
            name: 'main',
            ready: false,
            restartCount: 5,
            state: {
              waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' },
            },
          },
        ],
      }),
      status: 'Degraded',
      message: 'back-off 5m0s restarting failed container',
    },
    {
      name: 'restartPolicy Always, ImagePullBackOff → Degraded',
      obj: pod('Always', waiting('ImagePullBackOff', 'Back-off pulling image "nginx:nope"')),
      status: 'Degraded',
      message: 'Back-off pulling image "nginx:nope"',
    },
    {
      name: 'restartPolicy Always, CreateContainerConfigError → Degraded',
      obj: pod('Always', waiting('CreateContainerConfigError', 'secret "db" not found')),
      status: 'Degraded',
    },
    {
      name: 'restartPolicy Never, ErrImagePull (a hook may still recover) → Progressing',
      obj: pod('Never', waiting('ErrImagePull', 'pull failed')),
      status: 'Progressing',
    },
    {
      name: 'restartPolicy Never with ignore-restart-policy, ErrImagePull → Degraded',
      obj: pod('Never', waiting('ErrImagePull', 'pull failed'), RESTART_IGNORED),
      status: 'Degraded',
      message: 'pull failed',
    },
    {
      name: 'ignore-restart-policy on a hook pod is not honoured → Progressing',
      obj: pod('Never', waiting('ErrImagePull', 'pull failed'), {
        annotations: { ...RESTART_IGNORED.annotations, ...HOOK.annotations },
      }),
      status: 'Progressing',
    },
    {
      name: 'Pending → Progressing',
      obj: pod('Always', { phase: 'Pending', message: '0/3 nodes are available' }),
      status: 'Progressing',
      message: '0/3 nodes are available',
    },
    { name: 'Succeeded → Healthy', obj: pod('Never', { phase: 'Succeeded' }), status: 'Healthy' },
    {
      name: 'Failed with a pod message → Degraded',
      obj: pod('Never', {
        phase: 'Failed',
        message: 'Pod was evicted: node low on memory',
        reason: 'Evicted',
      }),
      status: 'Degraded',
      message: 'Pod was evicted: node low on memory',
    },
    {
      name: 'Failed, container exited non-zero → Degraded naming it',
      obj: pod('Never', {
        phase: 'Failed',
        containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 2, reason: 'Error' } } }],
      }),
      status: 'Degraded',
      message: 'container "main" exited with code 2',
    },
    {
      name: 'Failed, init container OOMKilled → Degraded',
      obj: pod('OnFailure', {
        phase: 'Failed',
        initContainerStatuses: [
          { name: 'init', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } },
        ],
        containerStatuses: [{ name: 'main', state: { waiting: { reason: 'PodInitializing' } } }],
      }),
      status: 'Degraded',
      message: 'OOMKilled',
    },
    { name: 'Running, Always, ready → Healthy', obj: pod('Always', running(true)), status: 'Healthy' },
    {
      name: 'Running, Always, not ready after a restart → Degraded',
      obj: pod('Always', running(false, { terminated: { exitCode: 1, reason: 'Error' } })),
      status: 'Degraded',
    },
    {
      name: 'Running, Always, not ready yet → Progressing',
      obj: pod('Always', running(false)),
      status: 'Progressing',
    },
    {
      name: 'Running, Never → Progressing (runs to completion)',
      obj: pod('Never', running(true)),
      status: 'Progressing',
    },
    { name: 'Running, OnFailure → Progressing', obj: pod('OnFailure', running(true)), status: 'Progressing' },
    {
      name: 'Running, Never, ignore-restart-policy "true" → assessed as long-running (Healthy)',
      obj: pod('Never', running(true), RESTART_IGNORED),
      status: 'Healthy',
    },
    {
      name: 'Running, Never, ignore-restart-policy "false" → Progressing',
      obj: pod('Never', running(true), {
        annotations: { 'argocd.argoproj.io/ignore-restart-policy': 'false' },
      }),
      status: 'Progressing',
    },
    {
      name: 'Running hook, Never, ignore-restart-policy → Progressing',
      obj: pod('Never', running(true), {
        annotations: { ...RESTART_IGNORED.annotations, ...HOOK.annotations },
      }),
      status: 'Progressing',
    },
    { name: 'phase Unknown → Unknown', obj: pod('Always', { phase: 'Unknown' }), status: 'Unknown' },
  ]);
});

describe('Service', () => {
  const service = (type: string, ingress?: unknown[]) =>
    obj('v1', 'Service', {
      spec: { type, ports: [{ port: 80 }] },
      status: { loadBalancer: ingress === undefined ? {} : { ingress } },
    });
  run([
    { name: 'ClusterIP → Healthy', obj: service('ClusterIP'), status: 'Healthy' },
    {
      name: 'LoadBalancer without ingress → Progressing',
      obj: service('LoadBalancer'),
      status: 'Progressing',
    },
    {
      name: 'LoadBalancer with ingress → Healthy',
      obj: service('LoadBalancer', [{ ip: '203.0.113.7' }]),
      status: 'Healthy',
    },
  ]);
});

describe('Ingress', () => {
  const ingress = (apiVersion: string, lb: unknown[] | undefined) =>
    obj(apiVersion, 'Ingress', {
      spec: { rules: [] },
      status: { loadBalancer: lb === undefined ? {} : { ingress: lb } },
    });
  run([
    {
      name: 'networking.k8s.io without address → Progressing',
      obj: ingress('networking.k8s.io/v1', undefined),
      status: 'Progressing',
    },
    {
      name: 'networking.k8s.io with address → Healthy',
      obj: ingress('networking.k8s.io/v1', [{ hostname: 'lb.example.com' }]),
      status: 'Healthy',
    },
    {
      name: 'extensions with address → Healthy',
      obj: ingress('extensions/v1beta1', [{ ip: '10.0.0.1' }]),
      status: 'Healthy',
    },
  ]);
});

describe('PersistentVolumeClaim', () => {
  const pvc = (phase?: string) =>
    obj('v1', 'PersistentVolumeClaim', { spec: {}, status: phase === undefined ? {} : { phase } });
  run([
    { name: 'Bound → Healthy', obj: pvc('Bound'), status: 'Healthy' },
    { name: 'Pending → Progressing', obj: pvc('Pending'), status: 'Progressing' },
    { name: 'Lost → Degraded', obj: pvc('Lost'), status: 'Degraded' },
    { name: 'no phase → Unknown', obj: pvc(), status: 'Unknown' },
  ]);
});

describe('Job', () => {
  const job = (conditions?: unknown[]) =>
    obj('batch/v1', 'Job', {
      spec: { completions: 1 },
      status: conditions === undefined ? { active: 1 } : { conditions },
    });
  run([
    { name: 'no terminal condition → Progressing', obj: job(), status: 'Progressing' },
    {
      name: 'Complete → Healthy',
      obj: job([{ type: 'Complete', status: 'True', message: 'Reached expected number of succeeded pods' }]),
      status: 'Healthy',
      message: 'Reached expected number of succeeded pods',
    },
    {
      name: 'Failed → Degraded',
      obj: job([
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ]),
      status: 'Degraded',
      message: 'Job has reached the specified backoff limit',
    },
    {
      name: 'Suspended True → Suspended',
      obj: job([{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }]),
      status: 'Suspended',
    },
  ]);
});

describe('HorizontalPodAutoscaler', () => {
  const v2 = (conditions: unknown[]) =>
    obj('autoscaling/v2', 'HorizontalPodAutoscaler', {
      spec: { minReplicas: 1, maxReplicas: 5 },
      status: { conditions },
    });
  const v1 = (conditions?: unknown[] | string) =>
    obj(
      'autoscaling/v1',
      'HorizontalPodAutoscaler',
      { spec: {}, status: { currentReplicas: 1 } },
      conditions === undefined
        ? {}
        : {
            annotations: {
              'autoscaling.alpha.kubernetes.io/conditions':
                typeof conditions === 'string' ? conditions : JSON.stringify(conditions),
            },
          },
    );
  const able = {
    type: 'AbleToScale',
    status: 'True',
    reason: 'ReadyForNewScale',
    message: 'recommended size matches current size',
  };
  run([
    {
      name: 'v2 AbleToScale failure reason → Degraded',
      obj: v2([
        {
          type: 'AbleToScale',
          status: 'False',
          reason: 'FailedGetScale',
          message: 'deployments/scale.apps "web" not found',
        },
        { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'ok' },
      ]),
      status: 'Degraded',
      message: 'deployments/scale.apps "web" not found',
    },
    {
      name: 'v2 ScalingActive InvalidSelector → Degraded',
      obj: v2([
        {
          type: 'ScalingActive',
          status: 'False',
          reason: 'InvalidSelector',
          message: 'selector is required',
        },
      ]),
      status: 'Degraded',
    },
    {
      name: 'v2 AbleToScale True → Healthy',
      obj: v2([able]),
      status: 'Healthy',
      message: 'recommended size matches current size',
    },
    {
      name: 'v2 ScalingLimited True → Healthy',
      obj: v2([{ type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas', message: 'at minimum' }]),
      status: 'Healthy',
    },
    {
      name: 'v2 nothing decisive → Progressing',
      obj: v2([{ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'ok' }]),
      status: 'Progressing',
    },
    { name: 'v1 without conditions annotation → Progressing', obj: v1(), status: 'Progressing' },
    {
      name: 'v1 annotation with a failure → Degraded',
      obj: v1([
        { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'no metrics' },
      ]),
      status: 'Degraded',
      message: 'no metrics',
    },
    { name: 'v1 annotation AbleToScale True → Healthy', obj: v1([able]), status: 'Healthy' },
    {
      name: 'v1 unreadable annotation → Unknown',
      obj: v1('[{not json'),
      status: 'Unknown',
      message: /cannot read/,
    },
  ]);
});

describe('APIService', () => {
  const apiService = (conditions: unknown[]) =>
    obj('apiregistration.k8s.io/v1', 'APIService', {
      spec: { group: 'metrics.k8s.io' },
      status: { conditions },
    });
  run([
    {
      name: 'Available True → Healthy',
      obj: apiService([
        { type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' },
      ]),
      status: 'Healthy',
      message: 'Passed: all checks passed',
    },
    {
      name: 'Available False → Progressing',
      obj: apiService([
        { type: 'Available', status: 'False', reason: 'MissingEndpoints', message: 'no endpoints' },
      ]),
      status: 'Progressing',
      message: 'MissingEndpoints: no endpoints',
    },
    { name: 'no condition yet → Progressing', obj: apiService([]), status: 'Progressing' },
  ]);
});

describe('Argo Workflow', () => {
  const workflow = (phase?: string, message?: string) =>
    obj('argoproj.io/v1alpha1', 'Workflow', {
      spec: {},
      status: { ...(phase ? { phase } : {}), ...(message ? { message } : {}) },
    });
  run([
    { name: 'not started → Progressing', obj: workflow(), status: 'Progressing' },
    { name: 'Pending → Progressing', obj: workflow('Pending'), status: 'Progressing' },
    { name: 'Running → Progressing', obj: workflow('Running'), status: 'Progressing' },
    { name: 'Succeeded → Healthy', obj: workflow('Succeeded'), status: 'Healthy' },
    {
      name: 'Failed → Degraded',
      obj: workflow('Failed', 'child "step-1" failed'),
      status: 'Degraded',
      message: 'child "step-1" failed',
    },
    { name: 'Error → Degraded', obj: workflow('Error'), status: 'Degraded' },
  ]);
});

describe('CronJob', () => {
  const cronJob = (spec: Record<string, unknown>, status?: Record<string, unknown>) =>
    obj('batch/v1', 'CronJob', {
      spec: { schedule: '*/5 * * * *', ...spec },
      ...(status === undefined ? {} : { status }),
    });
  run([
    {
      name: 'suspended → Healthy (as Argo CD does)',
      obj: cronJob({ suspend: true }, {}),
      status: 'Healthy',
      message: 'CronJob is suspended',
    },
    { name: 'no status yet → Progressing', obj: cronJob({}), status: 'Progressing' },
    { name: 'never scheduled → Healthy', obj: cronJob({}, {}), status: 'Healthy' },
    {
      name: 'last run failed, nothing running → Degraded',
      obj: cronJob(
        {},
        { lastScheduleTime: '2025-03-01T10:05:00Z', lastSuccessfulTime: '2025-03-01T10:00:07Z' },
      ),
      status: 'Degraded',
    },
    {
      name: 'a job is running → Healthy',
      obj: cronJob(
        {},
        {
          active: [{ name: 'web-29012345' }],
          lastScheduleTime: '2025-03-01T10:05:00Z',
          lastSuccessfulTime: '2025-03-01T10:00:07Z',
        },
      ),
      status: 'Healthy',
    },
    {
      name: 'last run succeeded → Healthy',
      obj: cronJob(
        {},
        { lastScheduleTime: '2025-03-01T10:05:00Z', lastSuccessfulTime: '2025-03-01T10:05:09Z' },
      ),
      status: 'Healthy',
    },
  ]);
});

describe('CustomResourceDefinition', () => {
  const crd = (conditions: unknown[], metadata: Record<string, unknown> = {}) =>
    obj(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      { spec: { group: 'example.com' }, status: { conditions } },
      metadata,
    );
  const established = {
    type: 'Established',
    status: 'True',
    reason: 'InitialNamesAccepted',
    message: 'the initial names have been accepted',
  };
  const names = {
    type: 'NamesAccepted',
    status: 'True',
    reason: 'NoConflicts',
    message: 'no conflicts found',
  };
  run([
    { name: 'Established → Healthy', obj: crd([names, established]), status: 'Healthy' },
    {
      name: 'NamesAccepted False → Degraded',
      obj: crd([
        {
          type: 'NamesAccepted',
          status: 'False',
          reason: 'ListKindConflict',
          message: '"WebList" is already in use',
        },
      ]),
      status: 'Degraded',
      message: /"WebList" is already in use/,
    },
    {
      name: 'NonStructuralSchema → Degraded',
      obj: crd([
        names,
        established,
        { type: 'NonStructuralSchema', status: 'True', message: 'spec.versions[0].schema: Required value' },
      ]),
      status: 'Degraded',
    },
    {
      name: 'installing → Progressing',
      obj: crd([names, { type: 'Established', status: 'False', reason: 'Installing' }]),
      status: 'Progressing',
    },
    { name: 'not established → Degraded', obj: crd([names]), status: 'Degraded' },
    { name: 'no conditions yet → Progressing', obj: crd([]), status: 'Progressing' },
  ]);
});

describe('PodDisruptionBudget', () => {
  const pdb = (conditions: unknown[] | undefined, status: Record<string, unknown> = {}) =>
    obj('policy/v1', 'PodDisruptionBudget', {
      spec: { minAvailable: 2 },
      status: { observedGeneration: 2, ...status, ...(conditions === undefined ? {} : { conditions }) },
    });
  run([
    {
      name: 'disruptions allowed → Healthy',
      obj: pdb([{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' }], {
        currentHealthy: 3,
        desiredHealthy: 2,
        disruptionsAllowed: 1,
      }),
      status: 'Healthy',
      message: 'PodDisruptionBudget reports SufficientPods',
    },
    {
      name: 'no disruption allowed for lack of pods → Healthy (normal while scaling)',
      obj: pdb([{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }], {
        currentHealthy: 1,
        desiredHealthy: 2,
        disruptionsAllowed: 0,
      }),
      status: 'Healthy',
    },
    {
      name: 'no disruption allowed for another reason → Degraded',
      obj: pdb([{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed' }]),
      status: 'Degraded',
      message: 'PodDisruptionBudget reports SyncFailed',
    },
    { name: 'no condition yet → Progressing', obj: pdb(undefined), status: 'Progressing' },
  ]);
});

describe('kinds without a check', () => {
  run([
    { name: 'ConfigMap has no health', obj: obj('v1', 'ConfigMap', { data: { a: 'b' } }), status: undefined },
    {
      name: 'an unknown custom resource has no health',
      obj: obj('example.com/v1', 'Widget', { status: {} }),
      status: undefined,
    },
  ]);
});
