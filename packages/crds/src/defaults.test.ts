import { describe, expect, it } from 'vitest';
import { defaultAppProject, DEFAULT_RETRY_BACKOFF, retryBackoff, revisionHistoryLimit } from './defaults.ts';
import { validateResource } from './validate-resource.ts';

describe('defaults', () => {
  it('keeps 10 revisions unless the spec says otherwise', () => {
    expect(revisionHistoryLimit({})).toBe(10);
    expect(revisionHistoryLimit({ revisionHistoryLimit: 3 })).toBe(3);
    expect(revisionHistoryLimit({ revisionHistoryLimit: 0 })).toBe(0);
  });

  it('fills a partial retry backoff from 5s x2 up to 3m', () => {
    expect(retryBackoff(undefined)).toEqual({ duration: '5s', factor: 2, maxDuration: '3m' });
    expect(retryBackoff({ limit: 5, backoff: { duration: '10s' } })).toEqual({
      duration: '10s',
      factor: 2,
      maxDuration: '3m',
    });
    expect(Object.isFrozen(DEFAULT_RETRY_BACKOFF)).toBe(true);
  });

  it('builds the permissive default project, which validates', () => {
    const project = defaultAppProject('argocd');
    expect(project).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: 'argocd' },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ server: '*', namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    });
    expect(validateResource(project)).toMatchObject({ ok: true, unknownFields: [] });
    expect(defaultAppProject('argocd')).not.toBe(project);
  });
});
