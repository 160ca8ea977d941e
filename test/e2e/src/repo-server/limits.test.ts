import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRepoServerFixture, type RepoServerFixture } from './fixture.ts';

let f: RepoServerFixture;
beforeAll(async () => {
  // Production-like limits, small enough for a test: 64 MiB of manifests, 512 MiB per tool run.
  f = await startRepoServerFixture({
    CAPSTAN_REPO_MAX_MANIFEST_BYTES: String(64 * 1024 * 1024),
    CAPSTAN_REPO_TOOL_MAX_MEMORY_BYTES: String(512 * 1024 * 1024),
  });
});
afterAll(() => f?.[Symbol.asyncDispose]());

const rssMiB = async (pid: number): Promise<number> =>
  Number(/^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

describe('render limits', () => {
  it('stops a chart that would render 1 GB, and the repo-server does not grow with it', async () => {
    await f.manifests.write({
      'charts/huge/Chart.yaml': 'apiVersion: v2\nname: huge\nversion: 0.1.0\n',
      'charts/huge/templates/cms.yaml':
        '{{- range $i := until 1000 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{{ $i }}\ndata:\n  blob: {{ repeat 1000000 "x" | quote }}\n{{- end }}\n',
    });
    await f.manifests.commit('a chart that renders 1000 × 1 MB');
    const before = await rssMiB(f.repoServer.pid);
    const t0 = Date.now();
    const err = await f.client
      .generateManifest({
        repo: { repo: f.manifestsUrl },
        source: { repoURL: f.manifestsUrl, targetRevision: 'main', path: 'charts/huge' },
        appName: 'huge',
        namespace: 'x',
        noRevisionCache: true,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ResourceExhausted' });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect((await rssMiB(f.repoServer.pid)) - before).toBeLessThan(100);
  });

  it('refuses output beyond the manifest size limit without holding it', async () => {
    await f.manifests.write({
      'charts/wide/Chart.yaml': 'apiVersion: v2\nname: wide\nversion: 0.1.0\n',
      'charts/wide/templates/cms.yaml':
        '{{- range $i := until 100 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{{ $i }}\ndata:\n  blob: {{ repeat 1000000 "y" | quote }}\n{{- end }}\n',
    });
    await f.manifests.commit('a chart that renders 100 MB');
    const err = await f.client
      .generateManifest({
        repo: { repo: f.manifestsUrl },
        source: { repoURL: f.manifestsUrl, targetRevision: 'main', path: 'charts/wide' },
        appName: 'wide',
        namespace: 'x',
        noRevisionCache: true,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ResourceExhausted',
      message: expect.stringContaining('CAPSTAN_REPO_'),
    });
  });
});
