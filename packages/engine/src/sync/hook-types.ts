import { Annotations } from '@capstan/crds';
import type { KubeObject } from '../types.ts';
import { annotationCsv } from './annotation-csv.ts';

export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';

/** Put on every hook the engine creates, so that a running hook cannot vanish before it is assessed. */
export const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

/**
 * Which operation and phase created a hook (`<operation start, Unix seconds>/<phase>`). A step that dies
 * after creating a hook but before recording it leaves no result behind; the next step, perhaps on
 * another replica, recognises the hook by this stamp and adopts it instead of deleting and re-creating it.
 */
export const HOOK_OPERATION_ANNOTATION = 'capstan.io/hook-operation';

export const hookOperationStamp = (startedAtUnix: number, phase: string): string =>
  `${startedAtUnix}/${phase}`;

export type HookType = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'PreDelete' | 'PostDelete' | 'Skip';

/** The phases a sync runs through, in order; PreDelete/PostDelete hooks belong to app deletion. */
export type SyncTaskPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';

export const SYNC_TASK_PHASES: readonly SyncTaskPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

const ARGO_HOOK_TYPES: ReadonlySet<string> = new Set<HookType>([
  'PreSync',
  'Sync',
  'PostSync',
  'SyncFail',
  'PreDelete',
  'PostDelete',
  'Skip',
]);

const HELM_HOOK_TYPES: ReadonlyMap<string, HookType> = new Map<string, HookType>([
  ['pre-install', 'PreSync'],
  ['pre-upgrade', 'PreSync'],
  ['post-install', 'PostSync'],
  ['post-upgrade', 'PostSync'],
  ['pre-delete', 'PreDelete'],
  ['post-delete', 'PostDelete'],
]);

/**
 * The recognised hook types of an object. Unknown values are dropped; Helm's annotation is read only
 * when the Argo CD one yields nothing recognisable, so a valid Argo value always wins.
 */
export function hookTypes(obj: KubeObject | undefined): HookType[] {
  const types = annotationCsv(obj, Annotations.hook).filter((t): t is HookType => ARGO_HOOK_TYPES.has(t));
  if (types.length > 0) return types;
  const helm: HookType[] = [];
  for (const value of annotationCsv(obj, HELM_HOOK_ANNOTATION)) {
    const type = HELM_HOOK_TYPES.get(value);
    if (type !== undefined && !helm.includes(type)) helm.push(type);
  }
  return helm;
}

/** `hook: Skip` on its own: the object is neither applied nor pruned. */
export function isSkipped(obj: KubeObject | undefined): boolean {
  const types = hookTypes(obj);
  return types.length === 1 && types[0] === 'Skip';
}

/**
 * Whether the object is a hook: any Argo CD hook annotation other than a lone `Skip`, or a Helm hook
 * other than `crd-install` (which Helm uses for CRDs that are not hooks at all).
 */
export function isHook(obj: KubeObject | undefined): boolean {
  const annotations = obj?.metadata?.annotations;
  if (annotations?.[Annotations.hook] !== undefined) return !isSkipped(obj);
  const helm = annotations?.[HELM_HOOK_ANNOTATION];
  return helm !== undefined && helm !== 'crd-install';
}

/**
 * A hook whose every value is unrecognised (`Garbage`, Helm `test`): dropped from the manifests
 * entirely, so it is neither a hook nor a resource, and its live copy is left alone.
 */
export function isIgnoredHook(obj: KubeObject | undefined): boolean {
  return isHook(obj) && hookTypes(obj).length === 0;
}

/** The sync phases an object takes part in: one per listed sync hook type, or `Sync` for a resource. */
export function syncPhasesOf(obj: KubeObject | undefined): SyncTaskPhase[] {
  if (isSkipped(obj)) return [];
  if (!isHook(obj)) return ['Sync'];
  const types = new Set<HookType>(hookTypes(obj));
  return SYNC_TASK_PHASES.filter((phase) => types.has(phase));
}
