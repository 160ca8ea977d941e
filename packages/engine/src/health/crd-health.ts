import type { HealthStatus, KubeObject } from '../types.ts';
import { conditions, health } from './object-fields.ts';

/**
 * A CustomResourceDefinition: terminating or being installed is Progressing; names not accepted or a
 * non-structural schema is Degraded; otherwise it must be Established.
 */
export function crdHealth(obj: KubeObject): HealthStatus {
  if (obj.metadata?.deletionTimestamp !== undefined) return health('Progressing', 'CRD is being deleted');
  const list = conditions(obj);
  if (list.length === 0) return health('Progressing', 'CRD has no status conditions yet');
  let established = false;
  for (const c of list) {
    if (c.type === 'Terminating' && c.status === 'True')
      return health('Progressing', `CRD is being deleted: ${c.message}`);
    if (c.type === 'NamesAccepted' && c.status === 'False') {
      return health('Degraded', `CRD names were not accepted: ${c.message}`);
    }
    if (c.type === 'NonStructuralSchema' && c.status === 'True') {
      return health('Degraded', `CRD schema is not structural: ${c.message}`);
    }
    if (c.type === 'Established') {
      if (c.status === 'True') established = true;
      else if (c.reason === 'Installing') return health('Progressing', 'CRD is being installed');
    }
  }
  return established ? health('Healthy', 'CRD is established') : health('Degraded', 'CRD is not established');
}
