import type { HealthStatus, KubeObject } from '../types.ts';
import { field, health, text } from './object-fields.ts';

/** An Argo Workflow by phase: not started, pending or running is Progressing; Succeeded; Failed or Error. */
export function workflowHealth(obj: KubeObject): HealthStatus {
  const message = text(field(obj, 'status', 'message')) ?? '';
  switch (text(field(obj, 'status', 'phase')) ?? '') {
    case '':
    case 'Pending':
    case 'Running':
      return health('Progressing', message);
    case 'Succeeded':
      return health('Healthy', message);
    case 'Failed':
    case 'Error':
      return health('Degraded', message);
    default:
      return health('Unknown', message);
  }
}
