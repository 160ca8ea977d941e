import type { HealthStatus, KubeObject } from '../types.ts';
import { field, health, text } from './object-fields.ts';

const CODES: ReadonlySet<string> = new Set([
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
]);

/**
 * A child Application (app of apps) takes the health its own controller reported; Progressing until it has
 * one. Off unless enabled: Argo CD removed this check in 1.8 and documents it as an opt-in customization.
 */
export function applicationHealth(obj: KubeObject): HealthStatus {
  const reported = field(obj, 'status', 'health');
  if (reported === undefined) return health('Progressing');
  const status = text(field(reported, 'status')) ?? '';
  const message = text(field(reported, 'message')) ?? '';
  if (!CODES.has(status))
    return health('Unknown', `child application reports an invalid health status "${status}"`);
  return health(status as HealthStatus['status'], message);
}
