import type { HealthStatus, KubeObject } from '../types.ts';
import { conditionHealth } from './condition-health.ts';
import { conditions, health } from './object-fields.ts';

// external-secrets.io kinds report a Ready condition.

export const externalSecretHealth = conditionHealth('Ready', 'Waiting for the external secret to sync');

export const secretStoreHealth = conditionHealth('Ready', 'Waiting for the secret store to be validated');

export const clusterSecretStoreHealth = conditionHealth(
  'Ready',
  'Waiting for the cluster secret store to be validated',
);

/**
 * A ClusterExternalSecret appends conditions as it goes, so its latest one decides: Ready is Healthy,
 * PartiallyReady or NotReady (True) is Degraded.
 */
export function clusterExternalSecretHealth(obj: KubeObject): HealthStatus {
  const latest = conditions(obj).at(-1);
  if (latest?.status === 'True') {
    if (latest.type === 'Ready') return health('Healthy', latest.message);
    if (latest.type === 'PartiallyReady' || latest.type === 'NotReady')
      return health('Degraded', latest.message);
  }
  return health('Progressing', 'Waiting for the cluster external secret to sync');
}
