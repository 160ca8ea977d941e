import { Annotations } from '@capstan/crds';
import type { KubeObject } from '../types.ts';
import { annotationCsv } from './annotation-csv.ts';

export const HELM_HOOK_DELETE_POLICY_ANNOTATION = 'helm.sh/hook-delete-policy';

export type HookDeletePolicy = 'BeforeHookCreation' | 'HookSucceeded' | 'HookFailed';

const ARGO_POLICIES: ReadonlySet<string> = new Set<HookDeletePolicy>([
  'BeforeHookCreation',
  'HookSucceeded',
  'HookFailed',
]);

const HELM_POLICIES: ReadonlyMap<string, HookDeletePolicy> = new Map<string, HookDeletePolicy>([
  ['before-hook-creation', 'BeforeHookCreation'],
  ['hook-succeeded', 'HookSucceeded'],
  ['hook-failed', 'HookFailed'],
]);

/**
 * A hook's delete policies: Argo CD's and Helm's annotations together (unknown values dropped), and
 * BeforeHookCreation when neither names a known policy.
 */
export function hookDeletePolicies(obj: KubeObject | undefined): Set<HookDeletePolicy> {
  const policies = new Set<HookDeletePolicy>();
  for (const value of annotationCsv(obj, Annotations.hookDeletePolicy)) {
    if (ARGO_POLICIES.has(value)) policies.add(value as HookDeletePolicy);
  }
  for (const value of annotationCsv(obj, HELM_HOOK_DELETE_POLICY_ANNOTATION)) {
    const policy = HELM_POLICIES.get(value);
    if (policy !== undefined) policies.add(policy);
  }
  if (policies.size === 0) policies.add('BeforeHookCreation');
  return policies;
}
