import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { reposerver } from '@capstan/proto';
import { deployment, seedSource, startRepoServerFixture, type RepoServerFixture } from './fixture.ts';

let f: RepoServerFixture;
beforeAll(async () => {
  f = await startRepoServerFixture();
});
afterAll(() => f?.[Symbol.asyncDispose]());

type Obj = {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  data?: Record<string, string>;
};
const objects = (manifests: readonly string[] | undefined): Obj[] =>
  (manifests ?? []).map((m) => JSON.parse(m) as Obj);

function request(
  source: Record<string, unknown>,
  extra: Partial<reposerver.ManifestRequest> = {},
): reposerver.ManifestRequest {
  return {
    repo: { repo: String(source['repoURL']), type: source['chart'] === undefined ? 'git' : 'helm' },
    source,
    appName: 'my-application',
    namespace: 'production',
    kubeVersion: '1.36.3',
    appLabelKey: 'app.kubernetes.io/instance',
    projectName: 'production',
    ...extra,
  };
}

describe('GenerateManifest renders the seed Applications’ source shapes', () => {
  it('the kustomize overlay with namePrefix prod- and commonLabels env: production (seed 01)', async () => {
    const source = await seedSource('01-application-my-application.yaml', f.manifestsUrl);
    const res = await f.client.generateManifest(request(source));
    expect(res.sourceType).toBe('Kustomize');
    expect(res.revision).toMatch(/^[0-9a-f]{40}$/);
    const objs = objects(res.manifests);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/prod-my-app',
      'Service/prod-my-app',
    ]);
    for (const o of objs) {
      expect(o.metadata.labels?.['env']).toBe('production');
      expect(o.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(
        `my-application:${o.kind === 'Deployment' ? 'apps' : ''}/${o.kind}:production/${o.metadata.name}`,
      );
    }
  });

  it('a Helm chart from a Helm repository with releaseName and valuesObject (seed 02)', async () => {
    const source = await seedSource('02-application-prometheus-stack-helm.yaml', f.helm.url);
    const res = await f.client.generateManifest(
      request(source, { appName: 'prometheus-stack', namespace: 'monitoring' }),
    );
    expect(res.sourceType).toBe('Helm');
    expect(res.revision).toBe('65.1.0');
    const [cm] = objects(res.manifests);
    expect(cm?.metadata).toMatchObject({ name: 'prometheus-config', labels: { release: 'prometheus' } });
    expect(cm?.data).toEqual({
      grafana: 'true',
      retention: '30d',
      storageClass: 'gp3',
      chartVersion: '65.1.0',
    });
  });

  it('a plain directory with recurse and exclude', async () => {
    const res = await f.client.generateManifest(
      request({
        repoURL: f.manifestsUrl,
        targetRevision: 'main',
        path: 'plain',
        directory: { recurse: true, exclude: 'nested/skip-*' },
      }),
    );
    expect(res.sourceType).toBe('Directory');
    expect(objects(res.manifests).map((o) => o.metadata.name)).toEqual(['top', 'nested']);
  });

  it('a Helm chart from a Git path, release name defaulting to the app name', async () => {
    const res = await f.client.generateManifest(
      request({
        repoURL: f.manifestsUrl,
        targetRevision: 'v1.0.0',
        path: 'charts/local',
        helm: { parameters: [{ name: 'message', value: 'from-$ARGOCD_APP_NAME' }] },
      }),
    );
    expect(objects(res.manifests)[0]).toMatchObject({
      metadata: { name: 'my-application-msg' },
      data: { message: 'from-my-application' },
    });
  });
});

describe('Helm charts from Git with dependencies', () => {
  it('runs helm dependency build against the Helm repositories it is given, on a private copy', async () => {
    await f.manifests.write({
      'charts/umbrella/Chart.yaml': `apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n- name: kube-prometheus-stack\n  version: "^65.0.0"\n  repository: ${f.helm.url}\n`,
      'charts/umbrella/templates/own.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: umbrella-own\n',
    });
    const sha = await f.manifests.commit('an umbrella chart with a dependency');
    const res = await f.client.generateManifest(
      request(
        { repoURL: f.manifestsUrl, targetRevision: sha, path: 'charts/umbrella' },
        {
          appName: 'umbrella',
          helmRepos: [{ repo: f.helm.url, name: 'prometheus-community', type: 'helm' }],
        },
      ),
    );
    expect(res.commands?.some((c) => c.startsWith('helm dependency build'))).toBe(true);
    expect(
      objects(res.manifests)
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['umbrella-config', 'umbrella-own']);
    // The checkout itself stays untouched: a second render builds the dependency again on a fresh copy.
    const again = await f.client.generateManifest(
      request(
        { repoURL: f.manifestsUrl, targetRevision: sha, path: 'charts/umbrella' },
        {
          appName: 'umbrella',
          noCache: true,
          helmRepos: [{ repo: f.helm.url, name: 'prometheus-community', type: 'helm' }],
        },
      ),
    );
    expect(again.manifests).toEqual(res.manifests);
  });
});

describe('ResolveRevision', () => {
  it('turns main, a tag, HEAD and a short SHA into the exact commit, and a semver range into a chart version', async () => {
    const head = await f.manifests.git('rev-parse', 'HEAD');
    const tagged = await f.manifests.git('rev-parse', 'v1.0.0^{commit}');
    const repo = { repo: f.manifestsUrl };
    const source = { repoURL: f.manifestsUrl };
    const resolve = async (rev: string): Promise<string | undefined> =>
      (await f.client.resolveRevision({ repo, source, ambiguousRevision: rev, noRevisionCache: true }))
        .revision;
    for (const rev of ['main', 'HEAD', head.slice(0, 8), head]) expect(await resolve(rev)).toBe(head);
    expect(await resolve('v1.0.0')).toBe(tagged);
    const helm = {
      repo: { repo: f.helm.url, type: 'helm' },
      source: { repoURL: f.helm.url, chart: 'kube-prometheus-stack' },
    };
    expect(
      (await f.client.resolveRevision({ ...helm, ambiguousRevision: '>=64.0.0 <66.0.0' })).revision,
    ).toBe('65.1.0');
    expect((await f.client.resolveRevision({ ...helm, ambiguousRevision: '^64' })).revision).toBe('64.0.0');
  });

  it('answers NotFound naming an unknown ref or an unsatisfiable range', async () => {
    await expect(
      f.client.resolveRevision({
        repo: { repo: f.manifestsUrl },
        source: { repoURL: f.manifestsUrl },
        ambiguousRevision: 'no-such-branch',
      }),
    ).rejects.toMatchObject({
      code: 'NotFound',
      message: expect.stringContaining('no-such-branch'),
    });
    await expect(
      f.client.resolveRevision({
        repo: { repo: f.helm.url, type: 'helm' },
        source: { repoURL: f.helm.url, chart: 'kube-prometheus-stack' },
        ambiguousRevision: '^99',
      }),
    ).rejects.toMatchObject({ code: 'NotFound', message: expect.stringContaining('^99') });
  });
});

describe('the ApplicationSet git generators’ view of a repository', () => {
  it('GetGitDirectories lists what apps/*/overlays/production matches, and the exclusion can be applied', async () => {
    const { paths } = await f.client.getGitDirectories({ repo: { repo: f.manifestsUrl }, revision: 'main' });
    const production = (paths ?? []).filter((p) => /^apps\/[^/]+\/overlays\/production$/.test(p));
    expect(production).toEqual([
      'apps/api/overlays/production',
      'apps/deprecated-old/overlays/production',
      'apps/my-app/overlays/production',
      'apps/web/overlays/production',
    ]);
    expect(paths).toContain('apps/deprecated-old');
  });

  it('GetGitFiles returns the matching files and their content', async () => {
    const { files } = await f.client.getGitFiles({
      repo: { repo: f.manifestsUrl },
      revision: 'main',
      path: 'clusters/*/config.json',
    });
    expect(Object.keys(files ?? {}).sort()).toEqual([
      'clusters/production/config.json',
      'clusters/staging/config.json',
    ]);
    expect(
      JSON.parse(Buffer.from(files?.['clusters/staging/config.json'] ?? Buffer.alloc(0)).toString()),
    ).toEqual({ env: 'staging' });
  });

  it('ListRefs and ListApps', async () => {
    expect(await f.client.listRefs({ repo: { repo: f.manifestsUrl } })).toEqual({
      branches: ['main'],
      tags: ['v1.0.0'],
    });
    const { apps } = await f.client.listApps({ repo: { repo: f.manifestsUrl }, revision: 'main' });
    expect(apps).toMatchObject({ 'apps/my-app/overlays/production': 'Kustomize', 'charts/local': 'Helm' });
  });
});

describe('nothing is read outside the checkout', () => {
  it('refuses a path that climbs out of the repository', async () => {
    await expect(
      f.client.generateManifest(
        request({ repoURL: f.manifestsUrl, targetRevision: 'main', path: '../../../../etc' }),
      ),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('points outside the repository'),
    });
  });

  it('refuses a symlink that points outside the repository', async () => {
    const repo = await f.gitRoot.createRepo('symlinks', { 'app/ok.yaml': deployment('ok') });
    const tree = (await repo.git('rev-parse', '--show-toplevel')).trim();
    await symlink('/etc/passwd', join(tree, 'app', 'passwd.yaml'));
    await repo.commit('add an escaping symlink');
    const err = await f.client
      .generateManifest(
        request({ repoURL: `${f.git.baseUrl}/symlinks.git`, targetRevision: 'main', path: 'app' }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'InvalidArgument',
      message: 'app/passwd.yaml is a symlink that points outside the repository',
    });
    expect(String((err as Error).message)).not.toContain('root:');
  });

  it('refuses a values file outside the repository', async () => {
    const err = await f.client
      .generateManifest(
        request({
          repoURL: f.manifestsUrl,
          targetRevision: 'main',
          path: 'charts/local',
          helm: { valueFiles: ['../../../../../etc/passwd'] },
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('points outside the repository'),
    });
  });
});

describe('the rest of the repo-server contract', () => {
  it('GetAppDetails reports a chart’s value files and parameters, and a kustomization’s images', async () => {
    const helm = await f.client.getAppDetails({
      repo: { repo: f.manifestsUrl },
      source: { repoURL: f.manifestsUrl, targetRevision: 'main', path: 'charts/local' },
    });
    expect(helm).toMatchObject({
      type: 'Helm',
      helm: { name: 'local', valueFiles: ['values.yaml'], parameters: [{ name: 'message', value: 'hello' }] },
    });
    const kz = await f.client.getAppDetails({
      repo: { repo: f.manifestsUrl },
      source: { repoURL: f.manifestsUrl, targetRevision: 'main', path: 'apps/api/overlays/production' },
    });
    expect(kz).toMatchObject({ type: 'Kustomize', kustomize: { images: ['nginx:1.27'] } });
  });

  it('GetRevisionMetadata gives author, date, message and tags of a commit', async () => {
    const meta = await f.client.getRevisionMetadata({ repo: { repo: f.manifestsUrl }, revision: 'v1.0.0' });
    expect(meta).toMatchObject({
      author: 'Capstan Test <test@capstan.invalid>',
      message: 'initial commit',
      tags: ['v1.0.0'],
    });
    expect(meta.date).toMatch(/^2026-01-01T00:00:0\d(\.000)?Z$/);
  });

  it('GetHelmCharts and GetRevisionChartDetails describe a Helm repository', async () => {
    const charts = await f.client.getHelmCharts({ repo: { repo: f.helm.url, type: 'helm' } });
    expect(charts.items?.find((c) => c.name === 'kube-prometheus-stack')?.versions).toEqual(
      expect.arrayContaining(['65.1.0', '64.0.0']),
    );
    await expect(
      f.client.getRevisionChartDetails({
        repo: { repo: f.helm.url, type: 'helm' },
        name: 'kube-prometheus-stack',
        revision: '65.1.0',
      }),
    ).resolves.toBeDefined();
  });

  it('UpdateRevisionForPaths tells whether a commit touched the app’s paths', async () => {
    const before = await f.manifests.git('rev-parse', 'HEAD');
    await f.manifests.write({
      'apps/api/base/note.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\n',
    });
    const after = await f.manifests.commit('touch the api app only');
    const ask = (path: string) =>
      f.client.updateRevisionForPaths({
        repo: { repo: f.manifestsUrl },
        source: { repoURL: f.manifestsUrl, targetRevision: 'main', path },
        syncedRevision: before,
        revision: after,
        appName: 'x',
        namespace: 'y',
      });
    expect(await ask('apps/web/overlays/production')).toEqual({ changes: false, revision: after });
    expect(await ask('apps/api/overlays/production')).toEqual({ changes: true, revision: after });
  });

  it('GenerateManifestWithFiles renders an uploaded directory, and refuses an archive that escapes its root', async () => {
    const { createHash } = await import('node:crypto');
    const { create, Header } = await import('tar');
    const { mkdtemp, writeFile: write, mkdir: mk, rm: remove } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'capstan-upload-'));
    await mk(join(dir, 'app'));
    await write(
      join(dir, 'app', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: uploaded\n',
    );
    const chunks: Buffer[] = [];
    for await (const c of create({ gzip: true, cwd: dir }, ['app']))
      chunks.push(Buffer.from(c as Uint8Array));
    const archive = Buffer.concat(chunks);
    const send = (bytes: Buffer) =>
      f.client.generateManifestWithFiles([
        {
          header: {
            request: { source: { repoURL: 'local', path: 'app' }, appName: 'up', namespace: 'default' },
            checksum: createHash('sha256').update(bytes).digest('hex'),
            size: bytes.length,
          },
        },
        { chunk: bytes },
      ]);
    const res = await send(archive);
    expect(
      (res.manifests ?? []).map((m) => (JSON.parse(m) as { metadata: { name: string } }).metadata.name),
    ).toEqual(['uploaded']);

    const evil = new Header({ path: '../evil.yaml', type: 'File', size: 4, mode: 0o644 });
    evil.encode();
    const { gzipSync } = await import('node:zlib');
    const raw = Buffer.concat([
      evil.block ?? Buffer.alloc(512),
      Buffer.from('x: 1'),
      Buffer.alloc(508),
      Buffer.alloc(1024),
    ]);
    await expect(send(gzipSync(raw))).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('outside its root'),
    });
    await remove(dir, { recursive: true, force: true });
  });
});
