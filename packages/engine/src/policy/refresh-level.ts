import type { Application, Time } from '@capstan/crds';
import { Annotations } from '@capstan/crds';
import { goEqual } from './go-equal.ts';
import { parseK8sTime } from './k8s-time.ts';
import { hasMultipleSources, primarySource } from './primary-source.ts';

/**
 * How much a refresh compares. Nothing: rebuild the resource tree only. Recent: compare again at
 * the revision(s) of the last comparison, without asking Git. Latest: resolve the target revision
 * (resolution may be cached). LatestForceResolve: resolve it again, bypassing that cache.
 */
export const CompareWith = Object.freeze({
  Nothing: 0,
  Recent: 1,
  Latest: 2,
  LatestForceResolve: 3,
} as const);
export type CompareLevel = (typeof CompareWith)[keyof typeof CompareWith];

export interface RefreshInput {
  readonly app: Application;
  readonly now: Date;
  /** timeout.reconciliation (120 s by default); 0 or less turns time-based refresh off. */
  readonly reconciliationTimeoutMs: number;
  /** timeout.hard.reconciliation; 0 (the default) turns hard expiry off. */
  readonly hardReconciliationTimeoutMs?: number;
  /** A refresh asked for in memory (watch events, operation completion, self-heal requeue). */
  readonly requestedLevel?: CompareLevel | undefined;
}

export type RefreshDecision =
  | { readonly refresh: false }
  | { readonly refresh: true; readonly level: CompareLevel; readonly hard: boolean; readonly reason: string };

function expired(reconciledAt: number, timeoutMs: number, now: Date): boolean {
  return timeoutMs > 0 && reconciledAt + timeoutMs < now.getTime();
}

function sourceChanged(app: Application): boolean {
  const comparedTo = app.status?.sync?.comparedTo;
  if (hasMultipleSources(app.spec)) return !goEqual(app.spec.sources, comparedTo?.sources);
  return !goEqual(primarySource(app.spec), comparedTo?.source);
}

function managedNamespaceMetadataChanged(app: Application): boolean {
  const wanted = app.spec.syncPolicy?.managedNamespaceMetadata;
  const result = app.status?.operationState?.syncResult;
  return wanted !== undefined && result !== undefined && !goEqual(wanted, result.managedNamespaceMetadata);
}

/**
 * Whether an app needs a refresh and at which level; the first matching trigger wins: the refresh
 * annotation (hard or normal, forces resolution), a source that differs from the one last compared
 * (forces resolution), an expired reconciledAt (Latest; hard past the hard timeout), a changed
 * destination, managed namespace metadata or ignoreDifferences (Latest), then an in-memory request
 * at its own level.
 */
export function refreshLevel(input: RefreshInput): RefreshDecision {
  const { app, now } = input;
  const annotation = app.metadata.annotations?.[Annotations.refresh];
  if (annotation !== undefined) {
    const hard = annotation === 'hard';
    return {
      refresh: true,
      level: CompareWith.LatestForceResolve,
      hard,
      reason: `${hard ? 'hard' : 'normal'} refresh requested`,
    };
  }
  if (sourceChanged(app)) {
    return {
      refresh: true,
      level: CompareWith.LatestForceResolve,
      hard: false,
      reason: 'the source differs from the one compared',
    };
  }
  const hardTimeoutMs = input.hardReconciliationTimeoutMs ?? 0;
  const reconciledAt = parseK8sTime(app.status?.reconciledAt);
  const softExpired = reconciledAt === undefined || expired(reconciledAt, input.reconciliationTimeoutMs, now);
  const hardExpired =
    reconciledAt === undefined ? hardTimeoutMs > 0 : expired(reconciledAt, hardTimeoutMs, now);
  if (softExpired || hardExpired) {
    return {
      refresh: true,
      level: CompareWith.Latest,
      hard: hardExpired,
      reason: 'the last comparison expired',
    };
  }
  const comparedTo = app.status?.sync?.comparedTo;
  if (!goEqual(app.spec.destination, comparedTo?.destination)) {
    return { refresh: true, level: CompareWith.Latest, hard: false, reason: 'the destination differs' };
  }
  if (managedNamespaceMetadataChanged(app)) {
    return {
      refresh: true,
      level: CompareWith.Latest,
      hard: false,
      reason: 'managed namespace metadata differs',
    };
  }
  if (!goEqual(app.spec.ignoreDifferences, comparedTo?.ignoreDifferences)) {
    return { refresh: true, level: CompareWith.Latest, hard: false, reason: 'ignoreDifferences differs' };
  }
  if (input.requestedLevel !== undefined) {
    return {
      refresh: true,
      level: input.requestedLevel,
      hard: false,
      reason: 'refresh requested by the controller',
    };
  }
  return { refresh: false };
}

/**
 * reconciledAt records when the app was last compared with what Git says now, which is what its
 * expiry measures: Recent and tree-only refreshes must not move it, or an app whose resources keep
 * changing would never look at Git again. The very first comparison always sets it.
 */
export function shouldSetReconciledAt(level: CompareLevel, reconciledAt: Time | undefined): boolean {
  return reconciledAt === undefined || level >= CompareWith.Latest;
}

/**
 * The refresh asked for when an operation completes. Automated operations do not force resolution,
 * which would flood Git with ls-remote calls on busy monorepos; manual ones do, so a sync to a
 * commit made after the last refresh does not show the app OutOfSync.
 */
export function refreshLevelAfterOperation(automated: boolean): CompareLevel {
  return automated ? CompareWith.Latest : CompareWith.LatestForceResolve;
}
