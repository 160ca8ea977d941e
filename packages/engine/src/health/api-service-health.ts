import type { HealthStatus, KubeObject } from '../types.ts';
import { conditions, health } from './object-fields.ts';

/** An APIService is healthy when its Available condition is True; until then it is on its way. */
export function apiServiceHealth(obj: KubeObject): HealthStatus {
  const available = conditions(obj).find((c) => c.type === 'Available');
  if (available === undefined) return health('Progressing', 'Waiting for the API service to be checked');
  const message = `${available.reason}: ${available.message}`;
  return health(available.status === 'True' ? 'Healthy' : 'Progressing', message);
}
