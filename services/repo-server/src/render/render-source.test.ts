// The renderers against the real helm and kustomize binaries, on files a test writes: no Git here (the
// repo-server's end-to-end tests add that), so each rule of rendering is pinned down directly.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationSource, Manifest } from '@capstan/crds';
import { locateToolchain } from '@capstan/testkit';
import { renderSource, type RenderRequest, type RenderSettings } from './render-source.ts';

let base: string;
let settings: RenderSettings;

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(base, 'repo-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

function request(
  root: string,
  source: Partial<ApplicationSource>,
  extra: Partial<RenderRequest> = {},
): RenderRequest {
  return {
    source: { repoURL: 'https://git.example/repo.git', targetRevision: 'main', ...source },
    root,
    fromHelmRepository: false,
    appName: 'my-app',
    project: 'default',
    namespace: 'production',
    revision: '0123456789abcdef0123456789abcdef01234567',
    kubeVersion: '1.36.3',
    apiVersions: [],
    tracking: {
      method: 'annotation',
      labelKey: 'app.kubernetes.io/instance',
      appInstance: 'my-app',
      namespace: 'production',
      installationId: '',
    },
    enabledSourceTypes: {},
    refRoots: new Map(),
    dependencyRepos: [],
    ...extra,
  };
}

const names = (objects: Manifest[]): string[] =>
  objects.map((o) => `${String(o['kind'])}/${String((o['metadata'] as { name: string }).name)}`);

const deployment = (name: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers: [{name: c, image: "nginx:1.27"}]\n`;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'capstan-render-'));
  const tc = locateToolchain();
  settings = {
    helmPath: tc.helm,
    kustomizePath: tc.kustomize,
    tmpRoot: base,
    execTimeoutMs: 30_000,
    maxManifestBytes: 8 * 1024 * 1024,
    maxToolMemoryBytes: 1024 * 1024 * 1024,
    kustomizeBuildOptions: [],
    valuesFileSchemes: ['https', 'http'],
  };
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('directory sources', () => {
  it('reads YAML and JSON, multi-document, List kinds, skipping empty documents and marked files', async () => {
    const root = await tree({
      'app/a.yaml': `${deployment('a')}---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: from-list}}\n`,
      'app/b.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'b' },
        spec: { ports: [{ port: 80 }] },
      }),
      'app/skip.yaml':
        '# +argocd:skip-file-rendering\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: skipped}\n',
      'app/notes.txt': 'not a manifest',
      'app/sub/c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nested}\n',
    });
    const flat = await renderSource(request(root, { path: 'app' }), settings);
    expect(flat.sourceType).toBe('Directory');
    expect(names(flat.objects)).toEqual(['Deployment/a', 'ConfigMap/from-list', 'Service/b']);
    const deep = await renderSource(
      request(root, { path: 'app', directory: { recurse: true, exclude: 'sub/*' } }),
      settings,
    );
    expect(names(deep.objects)).not.toContain('ConfigMap/nested');
    const included = await renderSource(
      request(root, { path: 'app', directory: { recurse: true, include: '{sub/*,b.json}' } }),
      settings,
    );
    expect(names(included.objects)).toEqual(['Service/b', 'ConfigMap/nested']);
  });

  it('stamps the tracking id on every object but CRDs, with the destination namespace when none is set', async () => {
    const root = await tree({
      'app/x.yaml': `${deployment('web')}---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: other}\n`,
    });
    const { objects } = await renderSource(request(root, { path: 'app' }), settings);
    const annotations = objects.map(
      (o) =>
        (o['metadata'] as { annotations?: Record<string, string> }).annotations?.[
          'argocd.argoproj.io/tracking-id'
        ],
    );
    expect(annotations).toEqual([
      'my-app:apps/Deployment:production/web',
      undefined,
      'my-app:/ConfigMap:other/cm',
    ]);
    const labelled = await renderSource(
      request(
        root,
        { path: 'app' },
        {
          tracking: {
            method: 'label',
            labelKey: 'app.kubernetes.io/instance',
            appInstance: 'my-app',
            namespace: 'production',
            installationId: '',
          },
        },
      ),
      settings,
    );
    expect(
      (labelled.objects[0]?.['metadata'] as { labels: Record<string, string> }).labels[
        'app.kubernetes.io/instance'
      ],
    ).toBe('my-app');
  });

  it('refuses invalid YAML naming the file and the line', async () => {
    const root = await tree({
      'app/ok.yaml': deployment('ok'),
      'app/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: [\n',
    });
    await expect(renderSource(request(root, { path: 'app' }), settings)).rejects.toThrow(
      /app\/broken\.yaml: .*line \d+/,
    );
  });

  it('refuses a path outside the repository and a symlink that escapes it', async () => {
    const root = await tree({ 'app/a.yaml': deployment('a') });
    const outside = await tree({ 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: stolen}\n' });
    await expect(renderSource(request(root, { path: '../' }), settings)).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('points outside the repository'),
    });
    await expect(renderSource(request(root, { path: '/etc' }), settings)).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
    await symlink(join(outside, 'secret.yaml'), join(root, 'app', 'link.yaml'));
    await expect(renderSource(request(root, { path: 'app' }), settings)).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: 'app/link.yaml is a symlink that points outside the repository',
    });
    await symlink(outside, join(root, 'escape'));
    await expect(renderSource(request(root, { path: 'escape' }), settings)).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('symlink'),
    });
  });
});

describe('kustomize sources', () => {
  it('applies namePrefix and commonLabels to an overlay, as the seed Application asks', async () => {
    const root = await tree({
      'apps/my-app/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'apps/my-app/base/deployment.yaml': deployment('my-app'),
      'apps/my-app/overlays/production/kustomization.yaml': 'resources:\n- ../../base\n',
    });
    const res = await renderSource(
      request(root, {
        path: 'apps/my-app/overlays/production',
        kustomize: { namePrefix: 'prod-', commonLabels: { env: 'production' }, images: ['nginx=nginx:1.28'] },
      }),
      settings,
    );
    expect(res.sourceType).toBe('Kustomize');
    const d = res.objects[0] as {
      metadata: { name: string; labels: Record<string, string> };
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(d.metadata.name).toBe('prod-my-app');
    expect(d.metadata.labels['env']).toBe('production');
    expect(d.spec.template.spec.containers[0]?.image).toBe('nginx:1.28');
    expect(res.commands.some((c) => c.startsWith('kustomize edit set nameprefix'))).toBe(true);
  });
});

describe('kustomize overrides', () => {
  it('applies images, replicas, namespace, patches and components on a private copy', async () => {
    const root = await tree({
      'app/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'app/deployment.yaml': deployment('web'),
      'components/extra/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- cm.yaml\n',
      'components/extra/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-component\n',
    });
    const res = await renderSource(
      request(root, {
        path: 'app',
        kustomize: {
          images: ['nginx=registry.example/nginx:2.0'],
          replicas: [{ name: 'web', count: 4 }],
          namespace: 'team-a',
          patches: [
            {
              target: { kind: 'Deployment', name: 'web' },
              patch: '- op: add\n  path: /metadata/annotations\n  value: {patched: "yes"}\n',
            },
          ],
          components: ['../components/extra', '../components/missing'],
          ignoreMissingComponents: true,
        },
      }),
      settings,
    );
    expect(names(res.objects).sort()).toEqual(['ConfigMap/from-component', 'Deployment/web']);
    const d = res.objects.find((o) => o['kind'] === 'Deployment') as {
      metadata: { namespace: string; annotations: Record<string, string> };
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    };
    expect(d.metadata.namespace).toBe('team-a');
    expect(d.metadata.annotations['patched']).toBe('yes');
    expect(d.spec.replicas).toBe(4);
    expect(d.spec.template.spec.containers[0]?.image).toBe('registry.example/nginx:2.0');
    // The read-only checkout itself was not edited.
    const { readFile: read } = await import('node:fs/promises');
    expect(await read(join(root, 'app', 'kustomization.yaml'), 'utf8')).toBe(
      'resources:\n- deployment.yaml\n',
    );
  });
});

describe('helm sources', () => {
  const chart = {
    'chart/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
    'chart/values.yaml': 'replicas: 1\ngreeting: hello\n',
    'chart/values-prod.yaml': 'replicas: 3\n',
    'chart/templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cfg\n  namespace: {{ .Release.Namespace }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n  greeting: {{ .Values.greeting | quote }}\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n',
  };

  it('renders with releaseName, value files, values, valuesObject (applied last) and parameters', async () => {
    const root = await tree(chart);
    const res = await renderSource(
      request(root, {
        path: 'chart',
        helm: {
          releaseName: 'rel',
          valueFiles: ['values-prod.yaml'],
          values: 'greeting: from-values\n',
          valuesObject: { greeting: 'from-object' },
          parameters: [{ name: 'replicas', value: '5' }],
        },
      }),
      settings,
    );
    expect(res.sourceType).toBe('Helm');
    const cm = res.objects[0] as {
      metadata: { name: string; namespace: string };
      data: Record<string, string>;
    };
    expect(cm.metadata).toMatchObject({ name: 'rel-cfg', namespace: 'production' });
    expect(cm.data).toEqual({ replicas: '5', greeting: 'from-object', kube: 'v1.36.3' });
  });

  it('passes --set-string, --set-file and skipCrds, and stamps annotation+label tracking', async () => {
    const root = await tree({
      ...chart,
      'chart/crds/widget.yaml':
        'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n',
      'chart/files/greeting.txt': 'from a file',
    });
    const res = await renderSource(
      request(
        root,
        {
          path: 'chart',
          helm: {
            parameters: [{ name: 'replicas', value: '007', forceString: true }],
            fileParameters: [{ name: 'greeting', path: 'files/greeting.txt' }],
            skipCrds: true,
          },
        },
        {
          tracking: {
            method: 'annotation+label',
            labelKey: 'team.io/app',
            appInstance: 'my-app',
            namespace: 'production',
            installationId: 'prod-1',
          },
        },
      ),
      settings,
    );
    expect(names(res.objects)).toEqual(['ConfigMap/my-app-cfg']);
    const cm = res.objects[0] as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      data: Record<string, string>;
    };
    expect(cm.data).toMatchObject({ replicas: '007', greeting: 'from a file' });
    expect(cm.metadata.labels['team.io/app']).toBe('my-app');
    expect(cm.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/tracking-id': 'my-app:/ConfigMap:production/my-app-cfg',
      'argocd.argoproj.io/installation-id': 'prod-1',
    });
    const withCrds = await renderSource(request(root, { path: 'chart' }), settings);
    expect(names(withCrds.objects)).toContain('CustomResourceDefinition/widgets.example.com');
  });

  it('kills a tool that outlives the execution timeout', async () => {
    const root = await tree({
      'slow/Chart.yaml': 'apiVersion: v2\nname: slow\nversion: 0.1.0\n',
      'slow/templates/cm.yaml':
        '{{- range $i := until 30000 }}{{- range $j := until 30000 }}{{- end }}{{- end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: never\n',
    });
    const t0 = Date.now();
    await expect(
      renderSource(request(root, { path: 'slow' }), { ...settings, execTimeoutMs: 1500 }),
    ).rejects.toMatchObject({
      code: 'DeadlineExceeded',
      message: 'helm template did not finish within 2 s',
    });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('passes the cluster’s API versions, or the source’s own', async () => {
    const root = await tree({
      'caps/Chart.yaml': 'apiVersion: v2\nname: caps\nversion: 0.1.0\n',
      'caps/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}\n',
    });
    const data = async (extra: Partial<RenderRequest>, helm = {}): Promise<unknown> =>
      (await renderSource(request(root, { path: 'caps', helm }, extra), settings)).objects[0]?.['data'];
    expect(await data({})).toEqual({ monitoring: 'false' });
    expect(await data({ apiVersions: ['monitoring.coreos.com/v1'] })).toEqual({ monitoring: 'true' });
    expect(await data({ apiVersions: ['monitoring.coreos.com/v1'] }, { apiVersions: ['v1'] })).toEqual({
      monitoring: 'false',
    });
  });

  it('defaults the release name to the app name', async () => {
    const root = await tree(chart);
    const res = await renderSource(request(root, { path: 'chart' }), settings);
    expect((res.objects[0]?.['metadata'] as { name: string }).name).toBe('my-app-cfg');
  });

  it('refuses a values file outside the repository', async () => {
    const root = await tree(chart);
    await expect(
      renderSource(
        request(root, { path: 'chart', helm: { valueFiles: ['../../../../etc/passwd'] } }),
        settings,
      ),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('points outside the repository'),
    });
  });

  it('stops a render whose output exceeds the manifest size limit', async () => {
    const root = await tree({
      'big/Chart.yaml': 'apiVersion: v2\nname: big\nversion: 0.1.0\n',
      'big/templates/cms.yaml':
        '{{- range $i := until 40 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{{ $i }}\ndata:\n  blob: {{ repeat 500000 "x" | quote }}\n{{- end }}\n',
    });
    await expect(renderSource(request(root, { path: 'big' }), settings)).rejects.toMatchObject({
      code: 'ResourceExhausted',
    });
  });

  it('kills a tool whose memory grows past its budget long before a 1 GB render would finish', async () => {
    const root = await tree({
      'huge/Chart.yaml': 'apiVersion: v2\nname: huge\nversion: 0.1.0\n',
      'huge/templates/cms.yaml':
        '{{- range $i := until 1000 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{{ $i }}\ndata:\n  blob: {{ repeat 1000000 "x" | quote }}\n{{- end }}\n',
    });
    const t0 = Date.now();
    await expect(
      renderSource(request(root, { path: 'huge' }), { ...settings, maxToolMemoryBytes: 256 * 1024 * 1024 }),
    ).rejects.toMatchObject({
      code: 'ResourceExhausted',
      message: expect.stringContaining('of memory'),
    });
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
