import type { KubeObject, SyncStatusCode } from '../types.ts';
import { hasAnnotationOption } from '../sync/annotation-csv.ts';

export const COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';

/** One managed resource of an application: its pair, its diff verdict and what the controller knows of it. */
export interface SyncStatusInput {
  readonly target?: KubeObject | null;
  readonly live?: KubeObject | null;
  /** `ResourceDiff.modified` of the pair. */
  readonly modified: boolean;
  /** A hook (live or target): no status, never counted. */
  readonly isHook?: boolean;
  /** The target carries `argocd.argoproj.io/hook: Skip`: no status, never counted. */
  readonly isSkip?: boolean;
  /** Otherwise not counted: an unrecognised hook, or a live object with a copied tracking id. */
  readonly ignored?: boolean;
  /** The project permits this group/kind (and name). @default true */
  readonly permitted?: boolean;
  /** `compare-options: IgnoreExtraneous`; read from the object's annotation when not given. */
  readonly ignoreExtraneous?: boolean;
}

export interface ResourceSyncStatus {
  /** Absent for hooks, skipped and ignored resources. */
  readonly status?: SyncStatusCode;
  /** A live object without target: the sync would prune it. */
  readonly requiresPruning: boolean;
}

export interface AppSyncStatus {
  readonly status: SyncStatusCode;
  /** In the order of the inputs. */
  readonly resources: readonly ResourceSyncStatus[];
}

/**
 * Per-resource and application sync status. A resource is OutOfSync when modified, missing its target or
 * missing its live object; the app is OutOfSync when any counted resource is, except a live object without
 * target that opts out with IgnoreExtraneous. Kinds the project does not permit are Unknown (the app status
 * still counts them). A failed comparison makes everything Unknown.
 */
export function computeSyncStatus(
  inputs: readonly SyncStatusInput[],
  options: { readonly comparisonFailed?: boolean } = {},
): AppSyncStatus {
  let app: SyncStatusCode = 'Synced';
  const resources = inputs.map((input): ResourceSyncStatus => {
    const target = input.target ?? null;
    const live = input.live ?? null;
    const requiresPruning = target === null && live !== null;
    let status: SyncStatusCode | undefined;
    if (input.isHook === true || input.isSkip === true || input.ignored === true) {
      status = undefined;
    } else if (input.modified || target === null || live === null) {
      status = 'OutOfSync';
      const extraneousOk =
        input.ignoreExtraneous ??
        hasAnnotationOption(live ?? target ?? undefined, COMPARE_OPTIONS_ANNOTATION, 'IgnoreExtraneous');
      if (!(requiresPruning && extraneousOk)) app = 'OutOfSync';
    } else {
      status = 'Synced';
    }
    if (input.permitted === false || options.comparisonFailed === true) status = 'Unknown';
    return status === undefined ? { requiresPruning } : { status, requiresPruning };
  });
  return { status: options.comparisonFailed === true ? 'Unknown' : app, resources };
}
