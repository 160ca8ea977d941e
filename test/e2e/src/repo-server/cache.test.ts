import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { reposerver } from '@capstan/proto';
import { startRepoServerFixture, type RepoServerFixture } from './fixture.ts';

let f: RepoServerFixture;
beforeAll(async () => {
  f = await startRepoServerFixture();
});
afterAll(() => f?.[Symbol.asyncDispose]());

const app = (url: string, name: string, path: string): reposerver.ManifestRequest => ({
  repo: { repo: url },
  source: { repoURL: url, targetRevision: 'main', path, kustomize: { namePrefix: 'prod-' } },
  appName: name,
  namespace: 'production',
  kubeVersion: '1.36.3',
});

describe('the manifest cache', () => {
  it('serves a second request for the same commit from Redis, without git or kustomize', async () => {
    const req = app(f.manifestsUrl, 'my-app', 'apps/my-app/overlays/production');
    const first = await f.client.generateManifest(req);
    const gitCalls = f.git.requests.length;
    const misses = await f.metric('capstan_repo_manifest_cache_total', { result: 'miss' });
    const hits = await f.metric('capstan_repo_manifest_cache_total', { result: 'hit' });
    const checkouts = await f.metric('argocd_git_request_total', { request_type: 'checkout' });

    const second = await f.client.generateManifest(req);
    expect(second).toEqual(first);
    // ls-remote answers are reused for a few seconds, so not even the remote is asked again.
    expect(f.git.requests.length).toBe(gitCalls);
    expect(await f.metric('capstan_repo_manifest_cache_total', { result: 'hit' })).toBe(hits + 1);
    expect(await f.metric('capstan_repo_manifest_cache_total', { result: 'miss' })).toBe(misses);
    expect(await f.metric('argocd_git_request_total', { request_type: 'checkout' })).toBe(checkouts);
  });

  it('serves identical concurrent requests with one render', async () => {
    const req = app(f.manifestsUrl, 'concurrent', 'apps/api/overlays/production');
    const misses = await f.metric('capstan_repo_manifest_cache_total', { result: 'miss' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => f.client.generateManifest(req)));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await f.metric('capstan_repo_manifest_cache_total', { result: 'miss' })).toBe(misses + 1);
  });

  it('reuses an app’s manifests for a commit that touches only another app’s folder, and renders after one that touches its own', async () => {
    const mine = app(f.manifestsUrl, 'web', 'apps/web/overlays/production');
    const before = await f.client.generateManifest(mine);
    await f.manifests.write({
      'apps/api/base/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
    });
    const unrelated = await f.manifests.commit('change only the api app');
    const reused = await f.metric('capstan_repo_manifest_cache_total', { result: 'reused' });
    const misses = await f.metric('capstan_repo_manifest_cache_total', { result: 'miss' });

    const after = await f.client.generateManifest({ ...mine, noRevisionCache: true });
    expect(after.revision).toBe(unrelated);
    expect(after.manifests).toEqual(before.manifests);
    expect(await f.metric('capstan_repo_manifest_cache_total', { result: 'reused' })).toBe(reused + 1);
    expect(await f.metric('capstan_repo_manifest_cache_total', { result: 'miss' })).toBe(misses);

    // A change to the base this overlay builds on is a change to this app: it renders again.
    await f.manifests.write({
      'apps/web/base/deployment.yaml': (await import('./fixture.ts')).deployment('web', 'nginx:1.28'),
    });
    const related = await f.manifests.commit('bump the web image in its base');
    const rendered = await f.client.generateManifest({ ...mine, noRevisionCache: true });
    expect(rendered.revision).toBe(related);
    expect(rendered.manifests?.join('')).toContain('nginx:1.28');
    expect(await f.metric('capstan_repo_manifest_cache_total', { result: 'miss' })).toBe(misses + 1);
  });

  it('bypasses the cache on a hard refresh (noCache)', async () => {
    const req = app(f.manifestsUrl, 'hard', 'apps/my-app/overlays/production');
    await f.client.generateManifest(req);
    const misses = await f.metric('capstan_repo_manifest_cache_total', { result: 'miss' });
    await f.client.generateManifest({ ...req, noCache: true });
    expect(await f.metric('capstan_repo_manifest_cache_total', { result: 'miss' })).toBe(misses + 1);
  });
});
