import type { HealthStatus, KubeObject } from '../types.ts';
import { conditions, health, parseConditions, type Condition } from './object-fields.ts';

/** autoscaling/v1 keeps its conditions as JSON in this annotation. */
export const HPA_V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

const WAITING = 'Waiting for the autoscaler to scale';

/** Condition type → reasons that mean the autoscaler cannot do its job. */
const FAILING: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['AbleToScale', new Set(['FailedGetScale', 'FailedUpdateScale'])],
  ['ScalingActive', new Set(['FailedGetResourceMetric', 'InvalidSelector'])],
]);

const HEALTHY_WHEN_TRUE: ReadonlySet<string> = new Set(['AbleToScale', 'ScalingLimited']);

/** The first condition that decides wins: a failure reason is Degraded, AbleToScale/ScalingLimited True is Healthy. */
function fromConditions(list: readonly Condition[]): HealthStatus {
  for (const c of list) {
    if (FAILING.get(c.type)?.has(c.reason) === true) return health('Degraded', c.message);
    if (HEALTHY_WHEN_TRUE.has(c.type) && c.status === 'True') return health('Healthy', c.message);
  }
  return health('Progressing', WAITING);
}

/** A HorizontalPodAutoscaler: status.conditions (v2, v2beta*) or the v1 conditions annotation. */
export function hpaHealth(obj: KubeObject): HealthStatus {
  if (obj.apiVersion !== 'autoscaling/v1') return fromConditions(conditions(obj));
  const annotation = obj.metadata?.annotations?.[HPA_V1_CONDITIONS_ANNOTATION];
  if (annotation === undefined) return health('Progressing', WAITING);
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch (error) {
    return health(
      'Unknown',
      `cannot read the ${HPA_V1_CONDITIONS_ANNOTATION} annotation: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(parsed)) {
    return health('Unknown', `the ${HPA_V1_CONDITIONS_ANNOTATION} annotation is not a list of conditions`);
  }
  return fromConditions(parseConditions(parsed));
}
