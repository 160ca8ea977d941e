import type { HealthStatus, KubeObject } from '../types.ts';
import { conditionHealth } from './condition-health.ts';
import { conditions, health } from './object-fields.ts';

const certificateReady = conditionHealth('Ready', 'Waiting for the certificate to be issued');

/**
 * A cert-manager Certificate: while a new certificate is being issued it is Progressing, whatever Ready
 * says about the old one; otherwise its Ready condition decides.
 */
export function certificateHealth(obj: KubeObject): HealthStatus {
  const issuing = conditions(obj).find((c) => c.type === 'Issuing' && c.status === 'True');
  if (issuing !== undefined) return health('Progressing', issuing.message);
  return certificateReady(obj);
}

export const issuerHealth = conditionHealth('Ready', 'Waiting for the issuer to be registered');

export const clusterIssuerHealth = conditionHealth(
  'Ready',
  'Waiting for the cluster issuer to be registered',
);
