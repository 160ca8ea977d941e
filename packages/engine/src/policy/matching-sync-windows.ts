import type { ApplicationDestination, SyncWindow } from '@capstan/crds';
import { globMatch } from './glob-match.ts';

/** What a window is matched against: the app's name and destination. */
export interface SyncWindowSubject {
  readonly metadata: { readonly name?: string };
  readonly spec: { readonly destination: ApplicationDestination };
}

function windowMatches(window: SyncWindow, subject: SyncWindowSubject): boolean {
  const and = window.andOperator === true;
  const name = subject.metadata.name ?? '';
  const { destination } = subject.spec;
  let matched = false;
  let isSet = false;

  // Lists are checked in order applications → clusters → namespaces. With OR the first list that
  // matches decides; with AND every list that is set must match. A window with no list matches nothing.
  if ((window.applications?.length ?? 0) > 0) {
    isSet = true;
    matched = (window.applications ?? []).some((p) => globMatch(p, name));
  }
  if (and && isSet && !matched) return false;
  if (!and && matched) return true;

  if ((window.clusters?.length ?? 0) > 0) {
    isSet = true;
    const server = destination.server ?? '';
    const clusterName = destination.name ?? '';
    matched = (window.clusters ?? []).some(
      (p) => (clusterName !== '' && globMatch(p, clusterName)) || (server !== '' && globMatch(p, server)),
    );
  }
  if (and && isSet && !matched) return false;
  if (!and && matched) return true;

  if ((window.namespaces?.length ?? 0) > 0) {
    matched = (window.namespaces ?? []).some((p) => globMatch(p, destination.namespace ?? ''));
  }
  return matched;
}

/** The project's sync windows that apply to this application, in project order. */
export function matchingSyncWindows(
  windows: readonly SyncWindow[] | undefined,
  subject: SyncWindowSubject,
): SyncWindow[] {
  return (windows ?? []).filter((w) => windowMatches(w, subject));
}
