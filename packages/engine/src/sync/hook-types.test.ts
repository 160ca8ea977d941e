import { describe, expect, it } from 'vitest';
import { hookDeletePolicies } from './hook-delete-policies.ts';
import { hookTypes, isHook, isIgnoredHook, isSkipped, syncPhasesOf } from './hook-types.ts';
import { kindRank } from './kind-order.ts';
import { syncWave } from './sync-wave.ts';
import { job } from './__tests__/sync-fixtures.ts';

const HOOK = 'argocd.argoproj.io/hook';
const HELM = 'helm.sh/hook';
const withAnnotations = (annotations: Record<string, string>) => job('j', { annotations });

describe('hook annotations', () => {
  // ignored = dropped from the manifests entirely: neither a hook nor a resource.
  it.each<{
    annotations: Record<string, string>;
    hook: boolean;
    ignored: boolean;
    skipped: boolean;
    phases: string[];
  }>([
    { annotations: {}, hook: false, ignored: false, skipped: false, phases: ['Sync'] },
    { annotations: { [HOOK]: 'PreSync' }, hook: true, ignored: false, skipped: false, phases: ['PreSync'] },
    {
      annotations: { [HOOK]: 'PostSync, PreSync ,PreSync' },
      hook: true,
      ignored: false,
      skipped: false,
      phases: ['PreSync', 'PostSync'],
    },
    {
      annotations: { [HOOK]: 'Sync,SyncFail' },
      hook: true,
      ignored: false,
      skipped: false,
      phases: ['Sync', 'SyncFail'],
    },
    { annotations: { [HOOK]: 'Skip' }, hook: false, ignored: false, skipped: true, phases: [] },
    { annotations: { [HOOK]: 'Skip,Garbage' }, hook: false, ignored: false, skipped: true, phases: [] },
    {
      annotations: { [HOOK]: 'Skip,PreSync' },
      hook: true,
      ignored: false,
      skipped: false,
      phases: ['PreSync'],
    },
    { annotations: { [HOOK]: 'Garbage' }, hook: true, ignored: true, skipped: false, phases: [] },
    { annotations: { [HOOK]: '' }, hook: true, ignored: true, skipped: false, phases: [] },
    { annotations: { [HOOK]: 'presync' }, hook: true, ignored: true, skipped: false, phases: [] },
    { annotations: { [HOOK]: 'PostDelete' }, hook: true, ignored: false, skipped: false, phases: [] },
    {
      annotations: { [HELM]: 'pre-install' },
      hook: true,
      ignored: false,
      skipped: false,
      phases: ['PreSync'],
    },
    {
      annotations: { [HELM]: 'pre-upgrade,post-install' },
      hook: true,
      ignored: false,
      skipped: false,
      phases: ['PreSync', 'PostSync'],
    },
    {
      annotations: { [HELM]: 'post-upgrade' },
      hook: true,
      ignored: false,
      skipped: false,
      phases: ['PostSync'],
    },
    { annotations: { [HELM]: 'pre-delete' }, hook: true, ignored: false, skipped: false, phases: [] },
    { annotations: { [HELM]: 'test' }, hook: true, ignored: true, skipped: false, phases: [] },
    { annotations: { [HELM]: 'test-success' }, hook: true, ignored: true, skipped: false, phases: [] },
    { annotations: { [HELM]: 'crd-install' }, hook: false, ignored: false, skipped: false, phases: ['Sync'] },
    // Argo CD's annotation wins over Helm's…
    {
      annotations: { [HOOK]: 'PostSync', [HELM]: 'pre-install' },
      hook: true,
      ignored: false,
      skipped: false,
      phases: ['PostSync'],
    },
    // …unless it names nothing Argo CD knows, in which case Helm's still counts.
    {
      annotations: { [HOOK]: 'Garbage', [HELM]: 'pre-install' },
      hook: true,
      ignored: false,
      skipped: false,
      phases: ['PreSync'],
    },
  ])('$annotations → hook $hook, ignored $ignored, skipped $skipped, phases $phases', (row) => {
    const o = withAnnotations(row.annotations);
    expect(isHook(o)).toBe(row.hook);
    expect(isIgnoredHook(o)).toBe(row.ignored);
    expect(isSkipped(o)).toBe(row.skipped);
    expect(syncPhasesOf(o)).toEqual(row.phases);
  });

  it('maps Helm hook types and drops unknown values', () => {
    expect(
      hookTypes(withAnnotations({ 'helm.sh/hook': 'pre-install,test,post-delete,pre-upgrade' })),
    ).toEqual(['PreSync', 'PostDelete']);
  });

  it.each([
    [{}, ['BeforeHookCreation']],
    [{ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }, ['HookSucceeded']],
    [
      { 'argocd.argoproj.io/hook-delete-policy': 'HookFailed, HookSucceeded' },
      ['HookFailed', 'HookSucceeded'],
    ],
    [{ 'argocd.argoproj.io/hook-delete-policy': 'Garbage' }, ['BeforeHookCreation']],
    [
      { 'helm.sh/hook-delete-policy': 'hook-succeeded,before-hook-creation' },
      ['HookSucceeded', 'BeforeHookCreation'],
    ],
    [
      {
        'argocd.argoproj.io/hook-delete-policy': 'HookFailed',
        'helm.sh/hook-delete-policy': 'hook-succeeded',
      },
      ['HookFailed', 'HookSucceeded'],
    ],
  ] as const)('delete policies of %j are %j (default BeforeHookCreation)', (annotations, policies) => {
    expect([...hookDeletePolicies(withAnnotations(annotations))]).toEqual(policies);
  });

  it.each([
    [{}, 0],
    [{ 'argocd.argoproj.io/sync-wave': '5' }, 5],
    [{ 'argocd.argoproj.io/sync-wave': '-3' }, -3],
    [{ 'argocd.argoproj.io/sync-wave': '+2' }, 2],
    [{ 'argocd.argoproj.io/sync-wave': 'x' }, 0],
    [{ 'argocd.argoproj.io/sync-wave': ' 1' }, 0],
    [{ 'argocd.argoproj.io/sync-wave': '1.5' }, 0],
    [{ 'helm.sh/hook-weight': '-7' }, -7],
    [{ 'argocd.argoproj.io/sync-wave': '3', 'helm.sh/hook-weight': '-7' }, 3],
    [{ 'argocd.argoproj.io/sync-wave': 'bad', 'helm.sh/hook-weight': '4' }, 4],
    [{ 'helm.sh/hook-weight': 'bad' }, 0],
  ] as const)('sync wave of %j is %i', (annotations, wave) => {
    expect(syncWave(withAnnotations(annotations))).toBe(wave);
  });

  it('§10.4 ranks known kinds in Helm order, by kind alone, and every other kind last', () => {
    const ranked = [
      'APIService',
      'Deployment',
      'Namespace',
      'Widget',
      'CustomResourceDefinition',
      'Service',
    ].sort((a, b) => kindRank(a) - kindRank(b));
    expect(ranked).toEqual([
      'Namespace',
      'CustomResourceDefinition',
      'Service',
      'Deployment',
      'APIService',
      'Widget',
    ]);
    expect(kindRank('Widget')).toBe(0);
    expect(kindRank('APIService')).toBeLessThan(0);
  });
});
