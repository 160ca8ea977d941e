import type { CopyOnWrite } from './copy-on-write.ts';
import type { TrackingMethod } from './diff-options.ts';
import { isPlainObject, type JsonObject } from './json-value.ts';

export const TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';

function stringMap(obj: JsonObject, field: 'labels' | 'annotations'): Record<string, unknown> | undefined {
  const metadata = obj['metadata'];
  if (!isPlainObject(metadata)) return undefined;
  const map = metadata[field];
  return isPlainObject(map) ? map : undefined;
}

/**
 * Smooths a migration off label tracking: a live object still carrying the instance label gets the target's
 * tracking annotation, and loses the label when the target no longer has it. Otherwise the label left in the
 * last-applied configuration would read as drift until the next sync rewrote it.
 */
export function normalizeTracking(
  target: JsonObject,
  live: JsonObject,
  options: { readonly appInstanceLabelKey: string; readonly trackingMethod: TrackingMethod },
  cow: CopyOnWrite,
): JsonObject {
  if (options.trackingMethod === 'label') return live;
  const labelKey = options.appInstanceLabelKey;
  const liveLabel = stringMap(live, 'labels')?.[labelKey];
  if (typeof liveLabel !== 'string' || liveLabel === '') return live;
  if (live['kind'] === 'CustomResourceDefinition') return live; // CRDs never get a tracking annotation
  let out = live;
  const annotation = stringMap(target, 'annotations')?.[TRACKING_ID_ANNOTATION];
  if (
    typeof annotation === 'string' &&
    stringMap(live, 'annotations')?.[TRACKING_ID_ANNOTATION] !== annotation
  ) {
    out = cow.own(out);
    const metadata = cow.ownChild(out, 'metadata') as JsonObject;
    const annotations = isPlainObject(metadata['annotations']) ? cow.own(metadata['annotations']) : {};
    annotations[TRACKING_ID_ANNOTATION] = annotation;
    metadata['annotations'] = annotations;
  }
  const targetLabel = stringMap(target, 'labels')?.[labelKey];
  if (typeof targetLabel !== 'string' || targetLabel === '') {
    out = cow.own(out);
    const metadata = cow.ownChild(out, 'metadata') as JsonObject;
    metadata['labels'] = cow.omit(metadata['labels'] as JsonObject, labelKey);
  }
  return out;
}
