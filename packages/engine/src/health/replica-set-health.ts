import type { HealthStatus, KubeObject } from '../types.ts';
import { conditions, count, field, health } from './object-fields.ts';

/** A ReplicaSet: observed spec, no ReplicaFailure, and every desired replica available. */
export function replicaSetHealth(obj: KubeObject): HealthStatus {
  const observed = count(field(obj, 'status', 'observedGeneration')) ?? 0;
  if ((count(obj.metadata?.generation) ?? 0) > observed) {
    return health('Progressing', 'Waiting for the controller to observe the latest replica set spec');
  }
  const failure = conditions(obj).find((c) => c.type === 'ReplicaFailure');
  if (failure?.status === 'True') return health('Degraded', failure.message);
  const desired = count(field(obj, 'spec', 'replicas'));
  const available = count(field(obj, 'status', 'availableReplicas')) ?? 0;
  if (desired !== undefined && available < desired) {
    return health('Progressing', `Waiting for replicas: ${available} of ${desired} available`);
  }
  return health('Healthy');
}
