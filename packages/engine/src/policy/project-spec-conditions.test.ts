import type { AppProject, ApplicationSpec } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import { isAppNamespacePermitted } from './app-namespace-permitted.ts';
import { projectName, projectOrDefault } from './project-or-default.ts';
import { isSourcePermitted } from './source-permitted.ts';
import { projectSpecConditions } from './project-spec-conditions.ts';

/** Test overrides may set a field to undefined to remove it from the base object. */
type Loose<T> = { [K in keyof T]?: T[K] | undefined };
function compact<T>(value: Loose<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const project: AppProject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'team', namespace: 'argocd' },
  spec: {
    sourceRepos: ['https://git.example/team/*'],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-*' }],
  },
};
const cluster = { server: 'https://kubernetes.default.svc', name: 'in-cluster' };

function spec(o: Loose<ApplicationSpec> = {}): ApplicationSpec {
  return compact<ApplicationSpec>({
    project: 'team',
    source: { repoURL: 'https://git.example/team/web', path: 'deploy', targetRevision: 'HEAD' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'team-web' },
    ...o,
  });
}

const messages = (
  s: ApplicationSpec,
  c: Parameters<typeof projectSpecConditions>[0]['cluster'] = cluster,
): string[] =>
  projectSpecConditions({ spec: s, project, cluster: c }).map((x) => {
    expect(x.type).toBe('InvalidSpecError');
    return x.message;
  });

describe('projectSpecConditions', () => {
  it('passes a spec within the project', () => {
    expect(messages(spec())).toEqual([]);
  });

  it.each<[string, ApplicationSpec, string[]]>([
    [
      'a repository outside the project',
      spec({ source: { repoURL: 'https://git.example/other/web', path: '.' } }),
      ["application repo https://git.example/other/web is not permitted in project 'team'"],
    ],
    [
      'a namespace outside the project',
      spec({ destination: { server: 'https://kubernetes.default.svc', namespace: 'kube-system' } }),
      [
        "application destination server 'https://kubernetes.default.svc' and namespace 'kube-system' do not match any of the allowed destinations in project 'team'",
      ],
    ],
    [
      'a destination given by name is reported by name',
      spec({ destination: { name: 'in-cluster', namespace: 'default' } }),
      [
        "application destination server 'in-cluster' and namespace 'default' do not match any of the allowed destinations in project 'team'",
      ],
    ],
    [
      'a source without path or chart',
      spec({ source: { repoURL: 'https://git.example/team/web' } }),
      ['spec.source.repoURL and either spec.source.path or spec.source.chart are required'],
    ],
    [
      'a chart without targetRevision',
      spec({ source: { repoURL: 'https://git.example/team/charts', chart: 'web' } }),
      ['spec.source.targetRevision is required if the manifest source is a helm chart'],
    ],
    [
      'one bad source among several',
      spec({
        source: undefined,
        sources: [
          { repoURL: 'https://git.example/team/web', path: 'deploy' },
          { repoURL: 'https://git.example/other/values', ref: 'values' },
        ],
      }),
      ["application repo https://git.example/other/values is not permitted in project 'team'"],
    ],
    [
      'a multi-source entry with only a ref is fine, one with nothing is not',
      spec({
        source: undefined,
        sources: [
          { repoURL: 'https://git.example/team/values', ref: 'v' },
          { repoURL: 'https://git.example/team/x' },
        ],
      }),
      ['source https://git.example/team/x needs repoURL and one of path, chart or ref'],
    ],
  ])('reports %s', (_name, s, expected) => {
    expect(messages(s)).toEqual(expected);
  });

  it('passes on why the destination cluster could not be resolved', () => {
    expect(messages(spec(), { error: 'there are no clusters with this name: prod' })).toEqual([
      'there are no clusters with this name: prod',
    ]);
  });

  it('checks both repositories of a source hydrator', () => {
    const hydrated = spec({
      source: undefined,
      sourceHydrator: {
        drySource: { repoURL: 'https://git.example/team/dry', targetRevision: 'main', path: 'web' },
        syncSource: { repoURL: 'https://git.example/other/hydrated', targetBranch: 'env/prod', path: 'web' },
      },
    });
    expect(messages(hydrated)).toEqual([
      "sync source repo https://git.example/other/hydrated is not permitted in project 'team'",
    ]);
  });
});

describe('isAppNamespacePermitted', () => {
  it.each<[string, string[] | undefined, string | undefined, boolean]>([
    ['the control-plane namespace', undefined, 'argocd', true],
    ['an app not yet placed', undefined, undefined, true],
    ['another namespace without sourceNamespaces', undefined, 'team-a', false],
    ['a glob', ['team-*'], 'team-a', true],
    ['a glob miss', ['team-*'], 'ops', false],
    ['a regular expression', ['/^team-[0-9]+$/'], 'team-42', true],
    ['a regular expression miss', ['/^team-[0-9]+$/'], 'team-x', false],
    ['an unanchored regular expression', ['/ops/'], 'dev-ops-1', true],
  ])('%s → %s', (_name, sourceNamespaces, appNamespace, expected) => {
    const p = sourceNamespaces === undefined ? {} : { sourceNamespaces };
    expect(isAppNamespacePermitted({ project: p, appNamespace, controllerNamespace: 'argocd' })).toBe(
      expected,
    );
  });
});

describe('projectOrDefault', () => {
  it('provides the built-in default project when it is not stored, which permits everything', () => {
    const p = projectOrDefault({ name: '', stored: undefined, namespace: 'argocd' });
    expect(p?.metadata).toEqual({ name: 'default', namespace: 'argocd' });
    expect(isSourcePermitted(p?.spec ?? {}, 'https://anywhere.example/any/repo')).toBe(true);
    expect(projectOrDefault({ name: 'default', stored: undefined, namespace: 'argocd' })).toBeDefined();
  });

  it('prefers the stored project and knows no other built-in', () => {
    expect(projectOrDefault({ name: 'team', stored: project, namespace: 'argocd' })).toBe(project);
    expect(projectOrDefault({ name: 'team', stored: undefined, namespace: 'argocd' })).toBeUndefined();
    expect(projectName(undefined)).toBe('default');
    expect(projectName('team')).toBe('team');
  });
});
