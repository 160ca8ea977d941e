import type { KubeObject } from '../types.ts';

/**
 * The values of a comma-separated annotation, trimmed, without empties and without repeats, in the
 * order they first appear. Argo CD reads every list-valued annotation (hooks, delete policies, sync
 * options) this way, so `" Prune=false , Prune=false"` is one option.
 */
export function annotationCsv(obj: KubeObject | undefined, key: string): string[] {
  const raw = obj?.metadata?.annotations?.[key];
  if (raw === undefined || raw === '') return [];
  const seen = new Set<string>();
  for (const item of raw.split(',')) {
    const value = item.trim();
    if (value !== '') seen.add(value);
  }
  return [...seen];
}

export function hasAnnotationOption(obj: KubeObject | undefined, key: string, option: string): boolean {
  return annotationCsv(obj, key).includes(option);
}
