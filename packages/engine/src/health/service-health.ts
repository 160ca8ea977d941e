import type { HealthStatus, KubeObject } from '../types.ts';
import { field, health, list } from './object-fields.ts';

/** A Service is healthy, except a LoadBalancer that has no ingress point assigned yet. */
export function serviceHealth(obj: KubeObject): HealthStatus {
  if (field(obj, 'spec', 'type') !== 'LoadBalancer') return health('Healthy');
  return list(field(obj, 'status', 'loadBalancer', 'ingress')).length > 0
    ? health('Healthy')
    : health('Progressing');
}
