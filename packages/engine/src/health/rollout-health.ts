import type { HealthStatus, HealthStatusCode, KubeObject } from '../types.ts';
import { conditions, count, field, health, isFields, list, text } from './object-fields.ts';

/** Argo Rollouts stamps the generation of a referenced workload here (workloadRef rollouts). */
export const WORKLOAD_GENERATION_ANNOTATION = 'rollout.argoproj.io/workload-generation';

const PHASES: ReadonlyMap<string, HealthStatusCode> = new Map([
  ['Healthy', 'Healthy'],
  ['Progressing', 'Progressing'],
  ['Degraded', 'Degraded'],
  ['Paused', 'Suspended'],
]);

/** A whole number from a number or a numeric string (older controllers wrote strings), else undefined. */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Controllers before v0.10 wrote a hash, not a number, as observedGeneration: those count as observed. */
function specObserved(obj: KubeObject): boolean {
  const observed = wholeNumber(field(obj, 'status', 'observedGeneration'));
  const generation = count(obj.metadata?.generation);
  if (observed === undefined || generation === undefined || observed > generation) return true;
  return observed === generation;
}

function workloadObserved(obj: KubeObject): boolean {
  const annotations = obj.metadata?.annotations;
  if (field(obj, 'spec', 'workloadRef') === undefined || annotations === undefined) return true;
  const workload = wholeNumber(annotations[WORKLOAD_GENERATION_ANNOTATION]);
  const observed = wholeNumber(field(obj, 'status', 'workloadObservedGeneration'));
  return workload === observed;
}

/**
 * An Argo Rollout. Controllers from v1.0 publish a phase, which is taken as is (Paused → Suspended); older
 * ones are read from conditions, pause state, replica counts and the strategy's cut-over.
 */
export function rolloutHealth(obj: KubeObject): HealthStatus {
  const status = obj['status'];
  if (!isFields(status) || !specObserved(obj) || !workloadObserved(obj)) {
    return health('Progressing', 'Waiting for the rollout controller to observe the latest spec');
  }
  const phase = text(status['phase']);
  const message = text(status['message']) ?? '';
  if (phase !== undefined) {
    const code = PHASES.get(phase);
    return code === undefined
      ? health('Unknown', `rollout reports an unknown phase "${phase}"`)
      : health(code, message);
  }

  for (const c of conditions(obj)) {
    if (c.type === 'InvalidSpec') return health('Degraded', c.message);
    if (
      c.type === 'Progressing' &&
      (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded')
    ) {
      return health('Degraded', c.message);
    }
  }
  if (list(status['pauseConditions']).length > 0 || field(obj, 'spec', 'paused') === true) {
    return health('Suspended', 'Rollout is paused');
  }
  const podHash = text(status['currentPodHash']);
  if (podHash === undefined)
    return health('Progressing', 'Waiting for the rollout controller to report status');

  const desired = count(field(obj, 'spec', 'replicas')) ?? 1;
  const replicas = count(status['replicas']) ?? 0;
  const updated = count(status['updatedReplicas']) ?? 0;
  const available = count(status['availableReplicas']) ?? 0;
  if (updated < desired)
    return health('Progressing', `Rollout in progress: ${updated} of ${desired} replicas updated`);
  if (available < updated) {
    return health(
      'Progressing',
      `Rollout in progress: ${available} of ${updated} updated replicas available`,
    );
  }

  // Before v0.8 the stable ReplicaSet was recorded under status.canary.
  const stable = text(status['stableRS']) ?? text(field(status, 'canary', 'stableRS')) ?? '';
  const strategy = field(obj, 'spec', 'strategy');
  if (isFields(field(strategy, 'blueGreen'))) {
    if (text(field(status, 'blueGreen', 'activeSelector')) !== podHash) {
      return health('Progressing', 'Waiting for the active service to switch to the new pods');
    }
    if (stable !== '' && stable !== podHash) return health('Progressing', 'Waiting for analysis to complete');
  } else if (isFields(field(strategy, 'canary'))) {
    if (replicas > updated)
      return health(
        'Progressing',
        `Rollout in progress: ${replicas - updated} old replicas still terminating`,
      );
    if (stable !== podHash) return health('Progressing', 'Waiting for the rollout to finish its steps');
  }
  return health('Healthy');
}
