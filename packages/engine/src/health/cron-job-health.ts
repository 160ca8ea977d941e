import type { HealthStatus, KubeObject } from '../types.ts';
import { field, health, isFields, list, text } from './object-fields.ts';

/**
 * A CronJob. Its status only says when jobs were scheduled and when one last succeeded, so it is Degraded
 * only when the last run is known to have failed: a success older than the last schedule with no job
 * running. A suspended CronJob counts as Healthy, as in Argo CD (Suspended would hold sync waves).
 */
export function cronJobHealth(obj: KubeObject): HealthStatus {
  if (field(obj, 'spec', 'suspend') === true) return health('Healthy', 'CronJob is suspended');
  const status = obj['status'];
  if (!isFields(status)) return health('Progressing', 'Waiting for the CronJob status');
  const lastSchedule = text(status['lastScheduleTime']);
  if (lastSchedule === undefined) return health('Healthy', 'CronJob has not been scheduled yet');
  const lastSuccess = text(status['lastSuccessfulTime']);
  // Either its first run is under way or it never succeeded: there is no telling which.
  if (lastSuccess === undefined) return health('Healthy', 'CronJob has no successful run yet');
  if (list(status['active']).length > 0) return health('Healthy', 'A job of this CronJob is running');
  // RFC 3339 times in UTC order the same as strings.
  if (lastSuccess < lastSchedule) return health('Degraded', 'The last run of this CronJob did not succeed');
  return health('Healthy', 'The last run of this CronJob succeeded');
}
