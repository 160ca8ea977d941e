import type { HealthStatus, KubeObject } from '../types.ts';
import { conditions, count, field, health } from './object-fields.ts';

/**
 * A Deployment, the way `kubectl rollout status` reads it: paused is Suspended; a spec the controller has
 * not yet observed, replicas still to update, old replicas still running or updated ones not yet available
 * are Progressing; a rollout past its progress deadline is Degraded.
 */
export function deploymentHealth(obj: KubeObject): HealthStatus {
  if (field(obj, 'spec', 'paused') === true) return health('Suspended', 'Deployment is paused');
  const generation = count(obj.metadata?.generation) ?? 0;
  const observed = count(field(obj, 'status', 'observedGeneration')) ?? 0;
  if (generation > observed) {
    return health('Progressing', 'Waiting for the controller to observe the latest deployment spec');
  }
  const progressing = conditions(obj).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return health('Degraded', `Deployment "${obj.metadata?.name ?? ''}" has exceeded its progress deadline`);
  }
  const desired = count(field(obj, 'spec', 'replicas'));
  const replicas = count(field(obj, 'status', 'replicas')) ?? 0;
  const updated = count(field(obj, 'status', 'updatedReplicas')) ?? 0;
  const available = count(field(obj, 'status', 'availableReplicas')) ?? 0;
  if (desired !== undefined && updated < desired) {
    return health('Progressing', `Rollout in progress: ${updated} of ${desired} replicas updated`);
  }
  if (replicas > updated) {
    return health('Progressing', `Rollout in progress: ${replicas - updated} old replicas still terminating`);
  }
  if (available < updated) {
    return health(
      'Progressing',
      `Rollout in progress: ${available} of ${updated} updated replicas available`,
    );
  }
  return health('Healthy');
}
