import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/**
 * Label a test puts on a pod (or a pod template) to choose how the fake kubelet treats it:
 * `fail` → phase Failed (exit code 1), `crashloop` → Running with a container in CrashLoopBackOff,
 * `not-ready` → Running but never Ready. Unlabelled pods become Running/Ready, Job pods Succeed.
 */
export const podBehaviourLabel = 'capstan.test/pod-behaviour';
export type PodBehaviour = 'fail' | 'crashloop' | 'not-ready';

const unlabelled = { key: `.metadata.labels["${podBehaviourLabel}"]`, operator: 'DoesNotExist' };
const labelled = (value: PodBehaviour): Record<string, unknown> => ({
  key: `.metadata.labels["${podBehaviourLabel}"]`,
  operator: 'In',
  values: [value],
});
const pending = [
  { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
  { key: '.status.phase', operator: 'In', values: ['Pending'] },
];

function podStage(name: string, match: Record<string, unknown>, status: string): Record<string, unknown> {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: { matchExpressions: [...pending, match] },
      next: { statusTemplate: status },
    },
  };
}

const containers = (state: string, ready: boolean, restarts: number): string => `
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: ${ready}
        restartCount: ${restarts}
        state:
${state}
      {{ end }}`;

const conditions = (ready: boolean): string => `
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Initialized
      - lastTransitionTime: {{ $now | Quote }}
        status: "${ready ? 'True' : 'False'}"
        type: Ready
      - lastTransitionTime: {{ $now | Quote }}
        status: "${ready ? 'True' : 'False'}"
        type: ContainersReady`;

const customStages = [
  podStage(
    'capstan-pod-fail',
    labelled('fail'),
    `{{ $now := Now }}
      phase: Failed
      startTime: {{ $now | Quote }}${conditions(false)}${containers(
        `          terminated:
            exitCode: 1
            reason: Error
            startedAt: {{ $now | Quote }}
            finishedAt: {{ $now | Quote }}`,
        false,
        0,
      )}`,
  ),
  podStage(
    'capstan-pod-crashloop',
    labelled('crashloop'),
    `{{ $now := Now }}
      phase: Running
      startTime: {{ $now | Quote }}${conditions(false)}${containers(
        `          waiting:
            reason: CrashLoopBackOff
            message: back-off 5m0s restarting failed container`,
        false,
        5,
      )}`,
  ),
  podStage(
    'capstan-pod-not-ready',
    labelled('not-ready'),
    `{{ $now := Now }}
      phase: Running
      startTime: {{ $now | Quote }}${conditions(false)}${containers(
        `          running:
            startedAt: {{ $now | Quote }}`,
        false,
        0,
      )}`,
  ),
];

async function upstreamStage(stagesDir: string, file: string, excludeLabelled: boolean): Promise<unknown> {
  const docs = parseAllDocuments(await readFile(join(stagesDir, file), 'utf8'));
  const stage = docs[0]?.toJS() as { spec: { selector: { matchExpressions: unknown[] } } };
  if (excludeLabelled) stage.spec.selector.matchExpressions.push(unlabelled);
  return stage;
}

/**
 * kwok's configuration: upstream node stages (initialise, lease heartbeat), upstream fast pod stages
 * restricted to unlabelled pods, pod deletion for all, and Capstan's failure stages.
 */
export async function kwokConfigYaml(stagesDir: string): Promise<string> {
  const stages = [
    await upstreamStage(stagesDir, 'node/fast/node-initialize.yaml', false),
    await upstreamStage(stagesDir, 'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml', false),
    await upstreamStage(stagesDir, 'pod/fast/pod-ready.yaml', true),
    await upstreamStage(stagesDir, 'pod/fast/pod-complete.yaml', true),
    await upstreamStage(stagesDir, 'pod/fast/pod-delete.yaml', false),
    ...customStages,
  ];
  // kwok applies its option defaults only to fields it reads from flags; a config file must spell them out.
  const header = {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokConfiguration',
    options: {
      podPlayStageParallelism: 4,
      nodePlayStageParallelism: 4,
      nodeLeaseParallelism: 4,
      podsOnNodeSyncParallelism: 1,
      enablePodsOnNodeSyncListPager: true,
      nodeStatusUpdateFrequencyMilliseconds: 10000,
    },
  };
  return [header, ...stages].map((d) => stringify(d)).join('---\n');
}
