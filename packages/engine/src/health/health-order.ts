import type { HealthStatusCode } from '../types.ts';

/** Best to worst: the order in which an application takes the worst health of its resources. */
export const HEALTH_ORDER: readonly HealthStatusCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

const rank: ReadonlyMap<HealthStatusCode, number> = new Map(HEALTH_ORDER.map((code, index) => [code, index]));

/** Whether `next` is worse than `current`. */
export function isWorseHealth(current: HealthStatusCode, next: HealthStatusCode): boolean {
  return (rank.get(next) ?? 0) > (rank.get(current) ?? 0);
}
