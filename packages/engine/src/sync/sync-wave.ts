import { Annotations } from '@capstan/crds';
import type { KubeObject } from '../types.ts';

export const HELM_HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';

// Go's strconv.Atoi: an optional sign and decimal digits, nothing else (no spaces, no "1.0").
const INTEGER = /^[+-]?[0-9]+$/;

function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined || !INTEGER.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * The sync wave of an object: `argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, else 0.
 * An unparsable sync-wave falls through to the Helm weight, as in gitops-engine, rather than
 * straight to 0.
 */
export function syncWave(obj: KubeObject | undefined): number {
  const annotations = obj?.metadata?.annotations;
  return (
    parseInteger(annotations?.[Annotations.syncWave]) ??
    parseInteger(annotations?.[HELM_HOOK_WEIGHT_ANNOTATION]) ??
    0
  );
}
