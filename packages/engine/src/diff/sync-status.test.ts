import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { computeSyncStatus, type SyncStatusInput } from './sync-status.ts';

function obj(name: string, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', ...(annotations === undefined ? {} : { annotations }) },
  };
}

const synced: SyncStatusInput = { target: obj('a'), live: obj('a'), modified: false };

describe('computeSyncStatus', () => {
  it.each<[string, SyncStatusInput, string | undefined, string]>([
    ['an unmodified pair', synced, 'Synced', 'Synced'],
    ['a modified pair', { ...synced, modified: true }, 'OutOfSync', 'OutOfSync'],
    ['a missing live object', { target: obj('a'), live: null, modified: true }, 'OutOfSync', 'OutOfSync'],
    [
      'a live object without target',
      { target: null, live: obj('a'), modified: false },
      'OutOfSync',
      'OutOfSync',
    ],
    [
      'a live object without target marked IgnoreExtraneous',
      { live: obj('a', { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' }), modified: false },
      'OutOfSync',
      'Synced',
    ],
    [
      'IgnoreExtraneous among other compare options',
      {
        live: obj('a', { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true, IgnoreExtraneous' }),
        modified: false,
      },
      'OutOfSync',
      'Synced',
    ],
    [
      'IgnoreExtraneous passed explicitly',
      { live: obj('a'), modified: false, ignoreExtraneous: true },
      'OutOfSync',
      'Synced',
    ],
    [
      'IgnoreExtraneous on a modified pair (it only excuses extraneous objects)',
      { ...synced, modified: true, ignoreExtraneous: true },
      'OutOfSync',
      'OutOfSync',
    ],
    ['a modified hook', { ...synced, modified: true, isHook: true }, undefined, 'Synced'],
    [
      'a Skip resource without live object',
      { target: obj('a'), modified: true, isSkip: true },
      undefined,
      'Synced',
    ],
    ['an ignored object', { live: obj('a'), modified: false, ignored: true }, undefined, 'Synced'],
    ['a kind the project does not permit', { ...synced, permitted: false }, 'Unknown', 'Synced'],
    [
      'a modified kind the project does not permit',
      { ...synced, modified: true, permitted: false },
      'Unknown',
      'OutOfSync',
    ],
  ])('%s → resource %s, app %s', (_name, input, resource, app) => {
    const result = computeSyncStatus([input]);
    expect(result.resources[0]?.status).toBe(resource);
    expect(result.status).toBe(app);
  });

  it('is OutOfSync when any counted resource is, and Synced with no resources', () => {
    expect(computeSyncStatus([synced, { ...synced, modified: true }, synced]).status).toBe('OutOfSync');
    expect(computeSyncStatus([]).status).toBe('Synced');
  });

  it('marks resources that need pruning', () => {
    const result = computeSyncStatus([synced, { live: obj('x'), modified: false }]);
    expect(result.resources.map((r) => r.requiresPruning)).toEqual([false, true]);
  });

  it('makes everything Unknown when the comparison failed', () => {
    const result = computeSyncStatus([synced, { ...synced, modified: true }], { comparisonFailed: true });
    expect(result.status).toBe('Unknown');
    expect(result.resources.map((r) => r.status)).toEqual(['Unknown', 'Unknown']);
  });
});
