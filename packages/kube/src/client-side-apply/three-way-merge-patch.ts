import type { JsonObject } from './json-value.ts';
import { jsonMergeThreeWayPatch } from './json-merge-patch.ts';
import type { PatchMeta } from './patch-meta.ts';
import { strategicThreeWayPatch } from './strategic-merge-patch.ts';

export interface ThreeWayMergeInput {
  /** The last-applied configuration (from live's annotation); undefined when the object never was applied. */
  readonly original: JsonObject | undefined;
  /** The target manifest, carrying its new last-applied annotation. */
  readonly modified: JsonObject;
  /** The live object. */
  readonly current: JsonObject;
  /** The kind's strategic-merge metadata; undefined for kinds the server only JSON-merge-patches (CRDs). */
  readonly meta: PatchMeta | undefined;
}

export interface ThreeWayMergePatch {
  readonly contentType: 'application/strategic-merge-patch+json' | 'application/merge-patch+json';
  /** `{}` when live already matches: nothing to send. */
  readonly patch: JsonObject;
}

/**
 * The patch `kubectl apply` (client-side) computes: set what the target changes relative to live, delete
 * what the last-applied configuration had and the target dropped, leave alone what only live has. A
 * strategic merge patch for built-in kinds, a JSON merge patch (lists replaced whole) otherwise.
 */
export function createThreeWayMergePatch(input: ThreeWayMergeInput): ThreeWayMergePatch {
  const { original, modified, current, meta } = input;
  if (meta === undefined)
    return {
      contentType: 'application/merge-patch+json',
      patch: jsonMergeThreeWayPatch(original, modified, current),
    };
  return {
    contentType: 'application/strategic-merge-patch+json',
    patch: strategicThreeWayPatch(original, modified, current, meta),
  };
}
