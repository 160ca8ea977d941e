import { Annotations } from '@capstan/crds';
import { parseK8sTime } from './k8s-time.ts';

/**
 * Whether `argocd.argoproj.io/deletion-approved` approves deletions requested at `since`: the
 * approval must be an RFC 3339 time no earlier than the request (the operation's startedAt for
 * `Prune=confirm`, the app's deletionTimestamp for `Delete=confirm`), so an old approval does not
 * carry over to a later request.
 */
export function isDeletionApproved(
  annotations: Readonly<Record<string, string>> | undefined,
  since: Date,
): boolean {
  const approvedAt = parseK8sTime(annotations?.[Annotations.deletionApproved]);
  return approvedAt !== undefined && approvedAt >= since.getTime();
}
