import { isHook } from '../sync/hook-types.ts';
import type { HealthStatus, KubeObject } from '../types.ts';
import { conditions, count, field, health, isFields, list, text, type Fields } from './object-fields.ts';

/** Makes a running pod with restartPolicy Never/OnFailure count as long-running (never on hooks). */
export const IGNORE_RESTART_POLICY_ANNOTATION = 'argocd.argoproj.io/ignore-restart-policy';

/** Waiting reasons that mean the container cannot start: ErrImagePull, CreateContainerConfigError, CrashLoopBackOff… */
function isFailingWait(reason: string): boolean {
  return reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');
}

function statuses(obj: KubeObject, key: 'containerStatuses' | 'initContainerStatuses'): Fields[] {
  return list(field(obj, 'status', key)).filter(isFields);
}

/** Why a terminated container failed, or '' when it did not (or has not terminated). */
function failure(container: Fields): string {
  const terminated = field(container, 'state', 'terminated');
  if (!isFields(terminated)) return '';
  const message = text(terminated['message']) ?? '';
  if (message !== '') return message;
  if (terminated['reason'] === 'OOMKilled') return 'OOMKilled';
  const exitCode = count(terminated['exitCode']) ?? 0;
  if (exitCode !== 0) return `container "${text(container['name']) ?? ''}" exited with code ${exitCode}`;
  return '';
}

/**
 * A Pod. Pods that run forever (restartPolicy Always, or the ignore-restart-policy annotation on a pod that
 * is not a hook) are Degraded as soon as a container cannot start, Healthy once ready, Degraded when not
 * ready after a container terminated. Pods that run to completion stay Progressing while they run, so a
 * hook pod is not taken as finished, and a failing image pull on a hook does not fail the sync early.
 */
export function podHealth(obj: KubeObject): HealthStatus {
  const restartPolicy = text(field(obj, 'spec', 'restartPolicy')) ?? '';
  const longRunning =
    restartPolicy === 'Always' ||
    (obj.metadata?.annotations?.[IGNORE_RESTART_POLICY_ANNOTATION] === 'true' && !isHook(obj));
  const podMessage = text(field(obj, 'status', 'message')) ?? '';
  const containers = statuses(obj, 'containerStatuses');

  if (longRunning) {
    const waiting: string[] = [];
    let failing = false;
    for (const container of containers) {
      const wait = field(container, 'state', 'waiting');
      if (isFields(wait) && isFailingWait(text(wait['reason']) ?? '')) {
        failing = true;
        waiting.push(text(wait['message']) ?? '');
      }
    }
    if (failing) return health('Degraded', waiting.join(', '));
  }

  switch (text(field(obj, 'status', 'phase')) ?? '') {
    case 'Pending':
      return health('Progressing', podMessage);
    case 'Succeeded':
      return health('Healthy', podMessage);
    case 'Failed': {
      if (podMessage !== '') return health('Degraded', podMessage);
      for (const container of [...statuses(obj, 'initContainerStatuses'), ...containers]) {
        const why = failure(container);
        if (why !== '') return health('Degraded', why);
      }
      return health('Degraded');
    }
    case 'Running': {
      if (longRunning) {
        if (conditions(obj).some((c) => c.type === 'Ready' && c.status === 'True'))
          return health('Healthy', podMessage);
        const restarted = containers.some((container) =>
          isFields(field(container, 'lastState', 'terminated')),
        );
        return health(restarted ? 'Degraded' : 'Progressing', podMessage);
      }
      // Finite pods (Never / OnFailure) are usually hooks: running is not done.
      if (restartPolicy === 'Never' || restartPolicy === 'OnFailure')
        return health('Progressing', podMessage);
      return health('Unknown', podMessage);
    }
    default:
      return health('Unknown', podMessage);
  }
}
