// The seed's five ApplicationSets, rendered the way the ApplicationSet controller renders them:
// every string field of `spec.template` is its own template (goTemplate with missingkey=error),
// against parameter sets shaped like the generators' (see applicationset-behaviour.md §3 and §8).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  applicationSetFuncs,
  normalize,
  parseTemplate,
  renderFastTemplate,
  stringMap,
  stringSlice,
  type Template,
} from './index.ts';

const seedDir = fileURLToPath(new URL('../../../test/seed/manifests/', import.meta.url));

interface ApplicationSet {
  metadata: { name: string };
  spec: { goTemplate?: boolean; goTemplateOptions?: string[]; template: unknown };
}

function loadAppSet(file: string): ApplicationSet {
  return parseYaml(readFileSync(`${seedDir}${file}`, 'utf8')) as ApplicationSet;
}

const funcs = applicationSetFuncs();

/** Renders every string (and map key) of a template object, each as its own template like Argo CD. */
function renderObject(value: unknown, render: (s: string) => string): unknown {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) return value.map((v) => renderObject(v, render));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [render(k), renderObject(v, render)]));
  }
  return value;
}

function goRenderer(appSet: ApplicationSet): (params: unknown) => unknown {
  const cache = new Map<string, Template>();
  return (params) =>
    renderObject(appSet.spec.template, (s) => {
      let t = cache.get(s);
      if (t === undefined) {
        t = parseTemplate(s, { name: 'base', funcs, options: appSet.spec.goTemplateOptions ?? [] });
        cache.set(s, t);
      }
      return t.execute(params);
    });
}

/** Cluster generator parameters (goTemplate): labels and annotations are map[string]string. */
function cluster(name: string, labels: Record<string, string>): Record<string, unknown> {
  return {
    name,
    nameNormalized: normalize(name),
    server: `https://${name}.example.com`,
    project: '',
    metadata: { labels: stringMap(labels), annotations: stringMap({}) },
  };
}

/** Git directory generator parameters (goTemplate): path.segments is []string. */
function gitDir(path: string): Record<string, unknown> {
  const segments = path.split('/');
  const basename = segments[segments.length - 1]!;
  return {
    path: { path, basename, basenameNormalized: normalize(basename), segments: stringSlice(segments) },
  };
}

const prodUs = cluster('prod-us', { env: 'production', region: 'us-west-2' });
const prodEu = cluster('prod-eu', { env: 'production', region: 'eu-west-1' });

describe('seed ApplicationSets (goTemplate, missingkey=error)', () => {
  it('all five use goTemplate with missingkey=error', () => {
    for (const f of [
      '04-applicationset-git-directories.yaml',
      '05-applicationset-cluster-generator.yaml',
      '06-applicationset-matrix-generator.yaml',
      '07-applicationset-list-generator.yaml',
      '14-applicationset-platform-services.yaml',
    ]) {
      const a = loadAppSet(f);
      expect(a.spec.goTemplate).toBe(true);
      expect(a.spec.goTemplateOptions).toEqual(['missingkey=error']);
    }
  });

  it('04 git directories: name and namespace from the directory basename', () => {
    const render = goRenderer(loadAppSet('04-applicationset-git-directories.yaml'));
    expect(render(gitDir('apps/web/overlays/production'))).toMatchObject({
      metadata: {
        name: 'production',
        namespace: 'argocd',
        labels: { 'app.kubernetes.io/managed-by': 'applicationset' },
      },
      spec: {
        project: 'production',
        source: { path: 'apps/web/overlays/production', targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'production' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  });

  it('04 with a segment index, as reference example 3 changes it', () => {
    const appSet = loadAppSet('04-applicationset-git-directories.yaml');
    const t = parseTemplate('{{index .path.segments 1}}', { funcs, options: ['missingkey=error'] });
    expect(
      ['apps/backend/overlays/production', 'apps/frontend/overlays/production'].map((p) =>
        t.execute(gitDir(p)),
      ),
    ).toEqual(['backend', 'frontend']);
    expect(appSet.spec.template).toBeDefined();
  });

  it('05 cluster generator: labels are read from map[string]string', () => {
    const render = goRenderer(loadAppSet('05-applicationset-cluster-generator.yaml'));
    expect(render(prodUs)).toMatchObject({
      metadata: { name: 'app-prod-us', namespace: 'argocd' },
      spec: {
        source: {
          path: 'apps/my-app/overlays/production',
          kustomize: { commonLabels: { cluster: 'prod-us', region: 'us-west-2' } },
        },
        destination: { server: 'https://prod-us.example.com', namespace: 'production' },
      },
    });
  });

  it('05 against in-cluster (no metadata) fails like Argo CD with missingkey=error', () => {
    const inCluster = {
      name: 'in-cluster',
      nameNormalized: 'in-cluster',
      server: 'https://kubernetes.default.svc',
      project: '',
    };
    expect(() => goRenderer(loadAppSet('05-applicationset-cluster-generator.yaml'))(inCluster)).toThrow(
      'template: base:1:32: executing "base" at <.metadata.labels.env>: map has no entry for key "metadata"',
    );
  });

  it('06 matrix of clusters and git directories', () => {
    const render = goRenderer(loadAppSet('06-applicationset-matrix-generator.yaml'));
    const names = [prodUs, prodEu].flatMap((c) =>
      ['apps/backend', 'apps/frontend'].map((d) => {
        const app = render({ ...c, ...gitDir(d) }) as {
          metadata: { name: string };
          spec: Record<string, unknown>;
        };
        return [app.metadata.name, app.spec];
      }),
    );
    expect(names.map(([n]) => n)).toEqual([
      'backend-prod-us',
      'frontend-prod-us',
      'backend-prod-eu',
      'frontend-prod-eu',
    ]);
    expect(names[0]![1]).toMatchObject({
      source: { path: 'apps/backend/overlays/production' },
      destination: { server: 'https://prod-us.example.com', namespace: 'backend' },
    });
  });

  it('07 list generator: elements as parameters', () => {
    const appSet = loadAppSet('07-applicationset-list-generator.yaml');
    const render = goRenderer(appSet);
    const elements = (
      appSet.spec as unknown as { generators: { list: { elements: Record<string, string>[] } }[] }
    ).generators[0]!.list.elements;
    const apps = elements.map((e) => render(e)) as {
      metadata: { name: string };
      spec: Record<string, unknown>;
    }[];
    expect(apps.map((a) => a.metadata.name)).toEqual(['my-app-dev', 'my-app-staging', 'my-app-production']);
    expect(apps[1]!.spec).toMatchObject({
      project: 'staging',
      source: { targetRevision: 'release/v2.5', path: 'apps/my-app/overlays/staging' },
      destination: { server: 'https://staging-k8s.example.com', namespace: 'my-app-staging' },
    });
    expect(apps[2]!.spec).toMatchObject({ destination: { server: 'https://kubernetes.default.svc' } });
  });

  it('14 matrix of clusters and a chart list', () => {
    const appSet = loadAppSet('14-applicationset-platform-services.yaml');
    const render = goRenderer(appSet);
    const charts = (
      appSet.spec as unknown as {
        generators: { matrix: { generators: { list?: { elements: Record<string, string>[] } }[] } }[];
      }
    ).generators[0]!.matrix.generators[1]!.list!.elements;
    const apps = [prodEu].flatMap((c) => charts.map((e) => render({ ...c, ...e }))) as {
      metadata: { name: string };
      spec: Record<string, unknown>;
    }[];
    expect(apps.map((a) => a.metadata.name)).toEqual([
      'cert-manager-prod-eu',
      'external-secrets-prod-eu',
      'metrics-server-prod-eu',
    ]);
    expect(apps[0]!.spec).toMatchObject({
      project: 'platform',
      source: {
        repoURL: 'https://charts.jetstack.io',
        chart: 'cert-manager',
        targetRevision: 'v1.16.0',
        helm: { releaseName: 'cert-manager' },
      },
      destination: { server: 'https://prod-eu.example.com', namespace: 'cert-manager' },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    });
  });

  it('a typed label map differs from a JSON map where Go says so', () => {
    const t = parseTemplate('[{{ index .metadata.labels "nope" }}] {{ hasKey .metadata.labels "env" }}', {
      funcs,
    });
    expect(() => t.execute(prodUs)).toThrow(
      'wrong type for value; expected map[string]interface {}; got map[string]string',
    );
    expect(parseTemplate('[{{ index .metadata.labels "nope" }}]', { funcs }).execute(prodUs)).toBe('[]');
  });
});

describe('seed ApplicationSets without goTemplate (fasttemplate)', () => {
  // The same templates written for fasttemplate: flat string parameters, dots part of the names.
  it('07 rendered with {{param}} substitution', () => {
    const appSet = loadAppSet('07-applicationset-list-generator.yaml');
    const ftTemplate = JSON.parse(JSON.stringify(appSet.spec.template).replaceAll('{{.', '{{ ')) as unknown;
    const out = renderObject(ftTemplate, (s) =>
      renderFastTemplate(s, {
        env: 'dev',
        cluster: 'https://dev-k8s.example.com',
        revision: 'develop',
        replicas: '1',
      }),
    );
    expect(out).toMatchObject({
      metadata: { name: 'my-app-dev' },
      spec: { project: 'dev', source: { targetRevision: 'develop', path: 'apps/my-app/overlays/dev' } },
    });
  });

  it('04 with flattened path parameters; unknown tags stay literal', () => {
    const params = {
      path: 'cluster-addons/argo_workflows',
      'path.basename': 'argo_workflows',
      'path.basenameNormalized': 'argo-workflows',
      'path[0]': 'cluster-addons',
      'path[1]': 'argo_workflows',
    };
    expect(renderFastTemplate('{{path.basenameNormalized}}', params)).toBe('argo-workflows');
    expect(renderFastTemplate('{{ path[1] }}/{{path}}', params)).toBe(
      'argo_workflows/cluster-addons/argo_workflows',
    );
    expect(renderFastTemplate('{{ nope }}-x {{}} {{ replicas }}', { replicas: 3 })).toBe(
      '{{ nope }}-x {{}} {{ replicas }}',
    );
    expect(() => renderFastTemplate('a {{ b', {})).toThrow(
      'invalid template: Cannot find end tag="}}" in the template="a {{ b" starting from " b"',
    );
  });
});
