import type { HealthStatus, KubeObject } from '../types.ts';
import { count, field, health, isFields, text } from './object-fields.ts';

/**
 * A StatefulSet: its spec must be observed and every desired pod ready. With a RollingUpdate strategy the
 * pods at or above the partition must be updated; OnDelete leaves updating to the user, so readiness is
 * enough; otherwise the update revision must have become the current one.
 */
export function statefulSetHealth(obj: KubeObject): HealthStatus {
  const observed = count(field(obj, 'status', 'observedGeneration')) ?? 0;
  if (observed === 0 || (count(obj.metadata?.generation) ?? 0) > observed) {
    return health('Progressing', 'Waiting for the controller to observe the latest statefulset spec');
  }
  const desired = count(field(obj, 'spec', 'replicas'));
  const ready = count(field(obj, 'status', 'readyReplicas')) ?? 0;
  const updated = count(field(obj, 'status', 'updatedReplicas')) ?? 0;
  if (desired !== undefined && ready < desired) {
    return health('Progressing', `Waiting for ${desired - ready} pods to become ready`);
  }
  const strategy = text(field(obj, 'spec', 'updateStrategy', 'type'));
  const rollingUpdate = field(obj, 'spec', 'updateStrategy', 'rollingUpdate');
  if (strategy === 'RollingUpdate' && isFields(rollingUpdate)) {
    const partition = count(rollingUpdate['partition']);
    if (desired !== undefined && partition !== undefined && updated < desired - partition) {
      return health(
        'Progressing',
        `Partitioned rollout in progress: ${updated} of ${desired - partition} pods updated`,
      );
    }
    return health('Healthy', `Partitioned rollout complete: ${updated} pods updated`);
  }
  if (strategy === 'OnDelete') return health('Healthy', `${ready} pods ready`);
  const updateRevision = text(field(obj, 'status', 'updateRevision')) ?? '';
  const currentRevision = text(field(obj, 'status', 'currentRevision')) ?? '';
  if (updateRevision !== currentRevision) {
    return health('Progressing', `Rolling update in progress: ${updated} pods at revision ${updateRevision}`);
  }
  const current = count(field(obj, 'status', 'currentReplicas')) ?? 0;
  return health('Healthy', `Rolling update complete: ${current} pods at revision ${currentRevision}`);
}
