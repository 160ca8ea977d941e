import type { OperationPhase } from '@capstan/crds';
import type { KubeObject } from '../types.ts';
import type { HealthOf } from './sync-step-types.ts';

/**
 * A hook's phase from its live object's health: no health or Healthy → Succeeded, Progressing or
 * Suspended → Running, Degraded or Unknown → Failed. With no health the message says it was created.
 */
export function hookOutcome(live: KubeObject, health: HealthOf): { phase: OperationPhase; message: string } {
  const status = health(live);
  const fallback = `${live.metadata?.name ?? ''} created`;
  switch (status?.status) {
    case undefined:
      return { phase: 'Succeeded', message: fallback };
    case 'Healthy':
      return { phase: 'Succeeded', message: status.message ?? '' };
    case 'Progressing':
    case 'Suspended':
      return { phase: 'Running', message: status.message ?? '' };
    case 'Degraded':
    case 'Unknown':
      return { phase: 'Failed', message: status.message ?? '' };
    case 'Missing':
      // Upstream's switch has no case for Missing and keeps its defaults.
      return { phase: 'Succeeded', message: fallback };
  }
}
