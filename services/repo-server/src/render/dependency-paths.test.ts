import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencyPaths, touches } from './dependency-paths.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'capstan-deps-'));
  const files: Record<string, string> = {
    'apps/web/base/kustomization.yaml':
      'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  files:\n  - app.properties=../../../shared/app.properties\n',
    'apps/web/base/deploy.yaml': 'kind: Deployment',
    'apps/web/overlays/prod/kustomization.yaml':
      'resources:\n- ../../base\npatches:\n- path: patch.yaml\ncomponents:\n- ../../../../components/monitoring\n',
    'apps/web/overlays/prod/patch.yaml': '{}',
    'components/monitoring/kustomization.yaml': 'kind: Component\n',
    'shared/app.properties': 'a=1',
    'apps/remote/kustomization.yaml': 'resources:\n- https://github.com/org/repo//base?ref=v1\n',
    'charts/demo/Chart.yaml':
      'apiVersion: v2\nname: demo\nversion: 1.0.0\ndependencies:\n- name: lib\n  repository: file://../lib\n',
    'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\n',
  };
  for (const [p, c] of Object.entries(files)) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), c);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('dependencyPaths', () => {
  it('follows a kustomize overlay to its base, components, patches and generator files', async () => {
    const deps = await dependencyPaths(
      'Kustomize',
      root,
      { repoURL: 'x', path: 'apps/web/overlays/prod' },
      '',
    );
    expect(deps).toEqual(
      expect.arrayContaining([
        'apps/web/overlays/prod',
        'apps/web/base',
        'components/monitoring',
        'shared/app.properties',
      ]),
    );
    expect(touches(['apps/web/base/deploy.yaml'], deps ?? [])).toBe(true);
    expect(touches(['shared/app.properties'], deps ?? [])).toBe(true);
    expect(touches(['apps/api/overlays/prod/kustomization.yaml'], deps ?? [])).toBe(false);
  });

  it('gives up (no reuse) when a kustomization pulls a remote base', async () => {
    expect(
      await dependencyPaths('Kustomize', root, { repoURL: 'x', path: 'apps/remote' }, ''),
    ).toBeUndefined();
  });

  it('includes a chart’s file:// dependencies and value files', async () => {
    const deps = await dependencyPaths(
      'Helm',
      root,
      { repoURL: 'x', path: 'charts/demo', helm: { valueFiles: ['../../values/prod.yaml'] } },
      '',
    );
    expect(deps).toEqual(['charts/demo', 'values/prod.yaml', 'charts/lib']);
  });

  it('uses the manifest-generate-paths annotation as given', async () => {
    const deps = await dependencyPaths(
      'Directory',
      root,
      { repoURL: 'x', path: 'apps/web' },
      '.;/shared;../common',
    );
    expect(deps).toEqual(['apps/web', 'shared', 'apps/common']);
  });
});
