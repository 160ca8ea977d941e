// The Go template engine's hot path on one core: rendering a pre-parsed ApplicationSet-style template
// (an Application of 40 lines with 10 actions, goTemplate with missingkey=error) against cluster-generator
// parameters. Also reports parsing and Argo-style per-field rendering.
import { applicationSetFuncs, parseTemplate } from '@capstan/gotemplate';

const template = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: '{{ printf "%s-%s" .path.basename .name }}'
  namespace: argocd
  labels:
    app.kubernetes.io/managed-by: applicationset
    environment: '{{ index .metadata.labels "env" }}'
    region: '{{ .metadata.labels.region | default "global" }}'
  annotations:
    argocd.argoproj.io/sync-wave: "1"
  finalizers:
    - resources-finalizer.argocd.argoproj.io
spec:
  project: production
  source:
    repoURL: https://github.com/myorg/k8s-manifests.git
    targetRevision: '{{ ternary "main" "develop" (eq (index .metadata.labels "env") "production") }}'
    path: '{{ .path.path }}/overlays/{{ index .metadata.labels "env" }}'
    kustomize:
      commonLabels:
        cluster: '{{ normalize .name }}'
        app: '{{ .path.basenameNormalized }}'
  destination:
    server: '{{ .server }}'
    namespace: '{{ .path.basename }}'
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
      - CreateNamespace=true
      - ServerSideApply=true
    retry:
      limit: 5
      backoff:
        duration: 5s
        factor: 2
        maxDuration: 3m
  revisionHistoryLimit: 10
`;

function params(i: number): Record<string, unknown> {
  const name = `prod-cluster-${i % 17}`;
  return {
    name,
    nameNormalized: name,
    server: `https://${name}.example.com`,
    project: '',
    metadata: {
      labels: {
        env: i % 3 === 0 ? 'staging' : 'production',
        region: 'eu-west-1',
        'argocd.argoproj.io/secret-type': 'cluster',
      },
      annotations: {},
    },
    path: {
      path: `apps/service-${i % 23}`,
      basename: `service-${i % 23}`,
      basenameNormalized: `service-${i % 23}`,
      segments: ['apps', `service-${i % 23}`],
    },
  };
}

function perSecond(n: number, ms: number): number {
  return Math.round((n / ms) * 1000);
}

function time(iterations: number, fn: (i: number) => void): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return performance.now() - start;
}

export async function benchGotemplate(): Promise<Record<string, number>> {
  const funcs = applicationSetFuncs();
  const tmpl = parseTemplate(template, { funcs, options: ['missingkey=error'] });
  const data = Array.from({ length: 64 }, (_, i) => params(i));
  let sink = 0;

  // Warm up, then measure a fixed number of renders.
  time(20_000, (i) => (sink += tmpl.execute(data[i % 64]).length));
  const renders = 200_000;
  const renderMs = time(renders, (i) => (sink += tmpl.execute(data[i % 64]).length));

  const parses = 5_000;
  time(500, () => parseTemplate(template, { funcs }));
  const parseMs = time(parses, () => parseTemplate(template, { funcs }));

  // Argo CD renders each string field of the template as its own template.
  const fields = template
    .split('\n')
    .filter((l) => l.includes('{{'))
    .map((l) => parseTemplate(l, { funcs, options: ['missingkey=error'] }));
  const fieldRenders = 20_000;
  time(2_000, (i) => fields.forEach((f) => (sink += f.execute(data[i % 64]).length)));
  const fieldMs = time(fieldRenders, (i) => fields.forEach((f) => (sink += f.execute(data[i % 64]).length)));

  if (sink === 0) throw new Error('nothing rendered');
  return {
    template_renders_per_s: perSecond(renders, renderMs),
    template_render_us: Math.round((renderMs / renders) * 1000 * 100) / 100,
    template_parses_per_s: perSecond(parses, parseMs),
    field_by_field_renders_per_s: perSecond(fieldRenders, fieldMs),
    template_lines: template.split('\n').length - 1,
    template_actions: (template.match(/\{\{/g) ?? []).length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchGotemplate();
  console.log(JSON.stringify(figures));
}
