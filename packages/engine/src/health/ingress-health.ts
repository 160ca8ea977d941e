import type { HealthStatus, KubeObject } from '../types.ts';
import { field, health, list } from './object-fields.ts';

/** An Ingress is healthy once its controller has published at least one load-balancer address. */
export function ingressHealth(obj: KubeObject): HealthStatus {
  return list(field(obj, 'status', 'loadBalancer', 'ingress')).length > 0
    ? health('Healthy')
    : health('Progressing');
}
