import type { HealthStatus, KubeObject } from '../types.ts';
import { conditions, health } from './object-fields.ts';

/**
 * A PodDisruptionBudget by its conditions (DisruptionAllowed): a False condition is Degraded, except for
 * InsufficientPods, which is normal while a workload scales or rolls; with no condition yet it waits.
 */
export function pdbHealth(obj: KubeObject): HealthStatus {
  let result = health('Progressing', 'Waiting for the disruption controller');
  for (const c of conditions(obj)) {
    if (c.status === 'False' && c.reason !== 'InsufficientPods') {
      return health('Degraded', `PodDisruptionBudget reports ${c.reason}`);
    }
    result = health('Healthy', `PodDisruptionBudget reports ${c.reason}`);
  }
  return result;
}
