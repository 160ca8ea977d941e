import type { KubeObject } from '../types.ts';

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function at(value: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let current = record(value);
  for (const key of path) current = record(current?.[key]);
  return current;
}

function podSpecOf(obj: KubeObject): Record<string, unknown> | undefined {
  switch (obj.kind ?? '') {
    case 'Pod':
      return at(obj, 'spec');
    case 'CronJob':
      return at(obj, 'spec', 'jobTemplate', 'spec', 'template', 'spec');
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return at(obj, 'spec', 'template', 'spec');
    default:
      return undefined;
  }
}

/** Container images of a workload, best effort, as recorded in each sync result. */
export function resourceImages(obj: KubeObject): string[] {
  const containers = podSpecOf(obj)?.['containers'];
  if (!Array.isArray(containers)) return [];
  const images: string[] = [];
  for (const container of containers) {
    const image = record(container)?.['image'];
    if (typeof image === 'string' && image !== '') images.push(image);
  }
  return images;
}
