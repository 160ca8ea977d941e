import type { HealthStatus, KubeObject } from '../types.ts';
import { count, field, health, text } from './object-fields.ts';

/**
 * A DaemonSet: its spec must be observed; with OnDelete updates are the user's business, otherwise every
 * scheduled pod must be updated and available.
 */
export function daemonSetHealth(obj: KubeObject): HealthStatus {
  const observed = count(field(obj, 'status', 'observedGeneration')) ?? 0;
  if ((count(obj.metadata?.generation) ?? 0) > observed) {
    return health('Progressing', 'Waiting for the controller to observe the latest daemon set spec');
  }
  const desired = count(field(obj, 'status', 'desiredNumberScheduled')) ?? 0;
  const updated = count(field(obj, 'status', 'updatedNumberScheduled')) ?? 0;
  const available = count(field(obj, 'status', 'numberAvailable')) ?? 0;
  if (text(field(obj, 'spec', 'updateStrategy', 'type')) === 'OnDelete') {
    return health('Healthy', `${updated} of ${desired} pods updated`);
  }
  if (updated < desired)
    return health('Progressing', `Rollout in progress: ${updated} of ${desired} pods updated`);
  if (available < desired) {
    return health('Progressing', `Rollout in progress: ${available} of ${desired} updated pods available`);
  }
  return health('Healthy');
}
