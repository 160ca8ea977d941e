import { isCapstanError } from '@capstan/errors';
import { describe, expect, it } from 'vitest';
import type { Application } from './application.ts';
import { InvalidResourceError } from './invalid-resource-error.ts';
import { validateResource, validateResourceOrThrow, type ValidationResult } from './validate-resource.ts';

function application(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'my-app', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://github.com/myorg/k8s-manifests.git',
        path: 'apps/my-app',
        targetRevision: 'main',
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'production' },
      ...spec,
    },
  };
}

function applicationSet(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'guestbook', namespace: 'argocd' },
    spec: {
      goTemplate: true,
      generators: [{ list: { elements: [{ env: 'dev', replicas: 1, prune: true }] } }],
      template: {
        metadata: { name: 'guestbook-{{.env}}' },
        spec: {
          project: 'default',
          source: { repoURL: 'https://github.com/myorg/guestbook.git', path: 'envs/{{.env}}' },
          destination: { server: '{{.server}}', namespace: 'guestbook-{{.env}}' },
        },
      },
      ...spec,
    },
  };
}

function errorsOf(result: ValidationResult): { path: string; message: string }[] {
  if (result.ok) return [];
  return result.errors.map(({ path, message }) => ({ path, message }));
}

describe('validateResource', () => {
  it('accepts a minimal Application and returns an equal copy', () => {
    const input = application();
    const result = validateResource(input);
    expect(result).toEqual({ ok: true, value: input, unknownFields: [] });
    if (result.ok) expect(result.value).not.toBe(input);
  });

  it('rejects syncPolicy.automated.prune given as a string', () => {
    const result = validateResource(application({ syncPolicy: { automated: { prune: 'yes' } } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { path: 'spec.syncPolicy.automated.prune', message: 'must be boolean', value: 'yes' },
    ]);
    expect(result.kind).toBe('Application');
    expect(result.name).toBe('my-app');
  });

  it('rejects an Application without spec.destination', () => {
    const app = application();
    delete (app['spec'] as Record<string, unknown>)['destination'];
    expect(errorsOf(validateResource(app))).toEqual([{ path: 'spec.destination', message: 'is required' }]);
  });

  it('rejects a missing spec and a missing project', () => {
    const noSpec = application();
    delete noSpec['spec'];
    expect(errorsOf(validateResource(noSpec))).toEqual([{ path: 'spec', message: 'is required' }]);
    const noProject = application();
    delete (noProject['spec'] as Record<string, unknown>)['project'];
    expect(errorsOf(validateResource(noProject))).toEqual([{ path: 'spec.project', message: 'is required' }]);
  });

  it('prunes unknown fields like the API server instead of failing, and reports them', () => {
    const app = application({
      syncPolicy: { automatd: { prune: true }, syncOptions: ['CreateNamespace=true'] },
    });
    app['extra'] = 1;
    const result = validateResource(app);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.unknownFields).toEqual(['extra', 'spec.syncPolicy.automatd']);
    const value = result.value as Application;
    expect(value.spec.syncPolicy).toEqual({ syncOptions: ['CreateNamespace=true'] });
    expect('extra' in value).toBe(false);
    // The caller's object is left alone.
    expect(app['extra']).toBe(1);
  });

  it('still reports a wrong type next to an unknown field', () => {
    const result = validateResource(application({ revisionHistoryLimit: 'ten', typo: true }));
    expect(errorsOf(result)).toEqual([{ path: 'spec.revisionHistoryLimit', message: 'must be integer' }]);
    expect(result.unknownFields).toEqual(['spec.typo']);
  });

  it('drops explicit nulls in typed fields but keeps them inside free-form values', () => {
    const result = validateResource(
      application({
        syncPolicy: null,
        source: {
          repoURL: 'https://charts.example.com',
          chart: 'app',
          helm: { valuesObject: { resources: null, replicas: 2 } },
        },
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value as Application;
    expect('syncPolicy' in value.spec).toBe(false);
    expect(value.spec.source?.helm?.valuesObject).toEqual({ resources: null, replicas: 2 });
  });

  it('uses Kubernetes paths: [i] for list items, [key] for map keys', () => {
    const result = validateResource(
      application({
        sources: [{ repoURL: 'a' }, { repoURL: 'b', helm: { valueFiles: ['ok', 3] } }],
        syncPolicy: { managedNamespaceMetadata: { labels: { 'team.example.com/owner': false } } },
      }),
    );
    expect(errorsOf(result)).toEqual([
      { path: 'spec.sources[1].helm.valueFiles[1]', message: 'must be string' },
      {
        path: 'spec.syncPolicy.managedNamespaceMetadata.labels[team.example.com/owner]',
        message: 'must be string',
      },
    ]);
  });

  it('accepts an int or a string where Kubernetes does, and nothing else', () => {
    const replicas = (count: unknown): Record<string, unknown> =>
      application({ source: { repoURL: 'r', kustomize: { replicas: [{ name: 'web', count }] } } });
    expect(validateResource(replicas(3)).ok).toBe(true);
    expect(validateResource(replicas('3')).ok).toBe(true);
    expect(errorsOf(validateResource(replicas(1.5)))).toEqual([
      { path: 'spec.source.kustomize.replicas[0].count', message: 'must be an integer or a string' },
    ]);
  });

  it('checks formats of int64 and date-time fields', () => {
    const app = application();
    app['status'] = {
      reconciledAt: '2026-01-02T03:04:05Z',
      history: [{ id: 1, deployedAt: 'yesterday' }],
    };
    expect(errorsOf(validateResource(app))).toEqual([
      { path: 'status.history[0].deployedAt', message: 'must be an RFC 3339 date-time' },
    ]);
  });

  it('checks enums', () => {
    const result = validateResource(applicationSet({ syncPolicy: { applicationsSync: 'delete-all' } }));
    expect(errorsOf(result)).toEqual([
      {
        path: 'spec.syncPolicy.applicationsSync',
        message: 'must be one of "create-only", "create-update", "create-delete", "sync"',
      },
    ]);
  });

  it('checks metadata: name required, RFC 1123 names, string labels', () => {
    const unnamed = application();
    unnamed['metadata'] = { namespace: 'argocd' };
    expect(errorsOf(validateResource(unnamed))).toEqual([
      { path: 'metadata.name', message: 'is required (or metadata.generateName)' },
    ]);
    const badName = application();
    badName['metadata'] = { name: '{{ nope }}-x', labels: { tier: 1 }, uid: 'kept' };
    const result = validateResource(badName);
    expect(errorsOf(result).map((e) => e.path)).toEqual(['metadata.labels[tier]', 'metadata.name']);
    const good = application();
    good['metadata'] = { name: 'a.b-c', uid: '123', resourceVersion: '9', managedFields: [{ manager: 'x' }] };
    const ok = validateResource(good);
    expect(ok.ok && ok.value.metadata).toEqual(good['metadata']);
  });

  it('rejects non-objects and foreign kinds', () => {
    expect(errorsOf(validateResource('Application'))).toEqual([{ path: '', message: 'must be an object' }]);
    expect(errorsOf(validateResource([]))).toEqual([{ path: '', message: 'must be an object' }]);
    expect(
      errorsOf(validateResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })),
    ).toEqual([
      { path: 'apiVersion', message: 'must be argoproj.io/v1alpha1 (a kind Capstan does not serve)' },
    ]);
    expect(errorsOf(validateResource({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' }))).toEqual([
      { path: 'kind', message: 'must be one of Application, AppProject, ApplicationSet' },
    ]);
    expect(errorsOf(validateResource({ kind: 'Application' }))).toEqual([
      { path: 'apiVersion', message: 'is required' },
    ]);
  });

  it('validates AppProject fields', () => {
    const project = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'team', namespace: 'argocd' },
      spec: {
        sourceRepos: ['*'],
        roles: [{ name: 'ci', jwtTokens: [{ iat: 1700000000, id: 'abc' }] }],
        syncWindows: [{ kind: 'deny', schedule: '0 22 * * *', duration: '1h', manualSync: 'yes' }],
        clusterResourceWhitelist: [{ kind: 'Namespace' }],
      },
      status: { jwtTokensByRole: { ci: { items: [{ iat: 1700000000, id: 'abc' }] } } },
    };
    expect(errorsOf(validateResource(project))).toEqual([
      { path: 'spec.clusterResourceWhitelist[0].group', message: 'is required' },
      { path: 'spec.syncWindows[0].manualSync', message: 'must be boolean' },
    ]);
  });
});

describe('validateResource on ApplicationSets', () => {
  it('accepts Go-template strings in string fields of the template', () => {
    const result = validateResource(applicationSet({}));
    expect(result).toMatchObject({ ok: true, unknownFields: [] });
  });

  it('rejects a template in a boolean field, as Argo CD does: templatePatch is the way', () => {
    const set = applicationSet({});
    const template = (set['spec'] as { template: { spec: Record<string, unknown> } }).template;
    template.spec['syncPolicy'] = { automated: { prune: '{{.prune}}' } };
    expect(errorsOf(validateResource(set))).toEqual([
      { path: 'spec.template.spec.syncPolicy.automated.prune', message: 'must be boolean' },
    ]);
    const patched = applicationSet({
      templatePatch:
        '{{- if .prune }}\nspec:\n  syncPolicy:\n    automated:\n      prune: true\n{{- end }}\n',
    });
    expect(validateResource(patched).ok).toBe(true);
  });

  it('keeps list elements free-form', () => {
    const set = applicationSet({
      generators: [{ list: { elements: [{ nested: { deep: [1, null, 'x'] } }, 'scalar'] } }],
    });
    const result = validateResource(set);
    expect(result.ok && result.value).toEqual(set);
  });

  it('types the first level of matrix/merge and keeps deeper levels free-form', () => {
    const inner = { generators: [{ list: { elements: [{ a: 1 }] } }, { whatever: { x: 1 } }] };
    const set = applicationSet({
      generators: [
        {
          matrix: {
            generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }, { matrix: inner }],
          },
        },
        { merge: { mergeKeys: ['server'], generators: [{ merge: { anything: true } }, { clusters: {} }] } },
      ],
    });
    const result = validateResource(set);
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toEqual(set);

    const badChild = applicationSet({
      generators: [{ matrix: { generators: [{ git: { repoURL: 'r' } }, { clusters: { flatList: 'no' } }] } }],
    });
    expect(errorsOf(validateResource(badChild))).toEqual([
      { path: 'spec.generators[0].matrix.generators[0].git.revision', message: 'is required' },
      { path: 'spec.generators[0].matrix.generators[1].clusters.flatList', message: 'must be boolean' },
    ]);
    const noMergeKeys = applicationSet({ generators: [{ merge: { generators: [] } }] });
    expect(errorsOf(validateResource(noMergeKeys))).toEqual([
      { path: 'spec.generators[0].merge.mergeKeys', message: 'is required' },
    ]);
  });

  it('validates every generator kind and RollingSync', () => {
    const tokenRef = { secretName: 'scm', key: 'token' };
    const set = applicationSet({
      generators: [
        {
          clusters: {
            selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
            values: { rev: 'HEAD' },
          },
        },
        {
          git: {
            repoURL: 'r',
            revision: 'HEAD',
            files: [{ path: 'c/**/config.json' }],
            requeueAfterSeconds: 60,
          },
        },
        {
          scmProvider: {
            github: { organization: 'o', tokenRef },
            filters: [{ repositoryMatch: '^app-', pathsExist: ['k8s'] }],
          },
        },
        {
          pullRequest: {
            gitlab: { project: '1', tokenRef, pullRequestState: 'opened' },
            requeueAfterSeconds: 120,
          },
        },
        { clusterDecisionResource: { configMapRef: 'ocm', labelSelector: { matchLabels: { a: 'b' } } } },
        {
          plugin: {
            configMapRef: { name: 'plug' },
            input: { parameters: { team: 'a', list: [1, 2], map: { k: true } } },
          },
        },
      ],
      strategy: {
        type: 'RollingSync',
        rollingSync: {
          steps: [
            { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }], maxUpdate: '25%' },
            { maxUpdate: 2 },
          ],
        },
        deletionOrder: 'Reverse',
      },
      preservedFields: { annotations: ['keep'] },
      ignoreApplicationDifferences: [{ jsonPointers: ['/spec/source/targetRevision'] }],
      goTemplateOptions: ['missingkey=error'],
    });
    const result = validateResource(set);
    expect(result).toMatchObject({ ok: true, unknownFields: [] });

    const bad = applicationSet({
      generators: [{ pullRequest: { github: { owner: 'o' } } }, { plugin: { configMapRef: 'plug' } }],
      strategy: { rollingSync: { steps: [{ maxUpdate: true }] } },
    });
    expect(errorsOf(validateResource(bad))).toEqual([
      { path: 'spec.generators[0].pullRequest.github.repo', message: 'is required' },
      { path: 'spec.generators[1].plugin.configMapRef', message: 'must be object' },
      { path: 'spec.strategy.rollingSync.steps[0].maxUpdate', message: 'must be an integer or a string' },
    ]);
  });
});

describe('validateResourceOrThrow', () => {
  it('returns the pruned value or throws InvalidResourceError', () => {
    expect(validateResourceOrThrow(application()).kind).toBe('Application');
    const attempt = (): unknown =>
      validateResourceOrThrow(application({ syncPolicy: { automated: { prune: 'yes' } } }));
    expect(attempt).toThrow(InvalidResourceError);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidResourceError);
      const invalid = error as InvalidResourceError;
      expect(isCapstanError(invalid)).toBe(true);
      expect(invalid.code).toBe('InvalidArgument');
      expect(invalid.details).toEqual({ errorCount: 1, kind: 'Application', name: 'my-app' });
      expect(invalid.kind).toBe('Application');
      expect(invalid.resourceName).toBe('my-app');
      expect(invalid.errors.map((e) => e.path)).toEqual(['spec.syncPolicy.automated.prune']);
      expect(invalid.message).toBe(
        'Application "my-app": spec.syncPolicy.automated.prune: must be boolean (got string "yes")',
      );
    }
  });
});
