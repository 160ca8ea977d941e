import type { HealthStatus, KubeObject } from '../types.ts';
import { conditions, health } from './object-fields.ts';

/**
 * A check for the many controllers that report one readiness condition: the first condition of that type
 * decides (True → Healthy, False → Degraded, with its message); until then Progressing with `waiting`.
 */
export function conditionHealth(type: string, waiting: string): (obj: KubeObject) => HealthStatus {
  return (obj) => {
    for (const c of conditions(obj)) {
      if (c.type !== type) continue;
      if (c.status === 'False') return health('Degraded', c.message);
      if (c.status === 'True') return health('Healthy', c.message);
    }
    return health('Progressing', waiting);
  };
}
