import type { HealthStatus, KubeObject } from '../types.ts';
import { field, health } from './object-fields.ts';

/** A PersistentVolumeClaim by phase: Bound, Pending, Lost; anything else is not known. */
export function pvcHealth(obj: KubeObject): HealthStatus {
  switch (field(obj, 'status', 'phase')) {
    case 'Bound':
      return health('Healthy');
    case 'Pending':
      return health('Progressing');
    case 'Lost':
      return health('Degraded');
    default:
      return health('Unknown');
  }
}
