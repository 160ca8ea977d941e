import type { HealthStatus, KubeObject } from '../types.ts';
import { conditions, health } from './object-fields.ts';

/**
 * A Job by its terminal conditions: none yet is Progressing; Failed is Degraded; Suspended (True) is
 * Suspended; Complete is Healthy. The condition types decide, as the Job controller only adds them when true,
 * except Suspended, which it flips to False on resume.
 */
export function jobHealth(obj: KubeObject): HealthStatus {
  let finished = false;
  let failed: string | undefined;
  let suspended: string | undefined;
  let message = '';
  for (const c of conditions(obj)) {
    switch (c.type) {
      case 'Failed':
        finished = true;
        failed = c.message;
        break;
      case 'Complete':
        finished = true;
        message = c.message;
        break;
      case 'Suspended':
        finished = true;
        message = c.message;
        if (c.status === 'True') suspended = c.message;
        break;
      default:
        break;
    }
  }
  if (!finished) return health('Progressing', message);
  if (failed !== undefined) return health('Degraded', failed);
  if (suspended !== undefined) return health('Suspended', suspended);
  return health('Healthy', message);
}
