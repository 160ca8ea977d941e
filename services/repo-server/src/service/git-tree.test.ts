import { describe, expect, it } from 'vitest';
import { directoriesOf, discoverApps, filesMatching } from './git-tree.ts';

const files = [
  'apps/web/overlays/production/kustomization.yaml',
  'apps/web/base/kustomization.yaml',
  'apps/api/overlays/production/kustomization.yaml',
  'apps/deprecated-old/overlays/production/kustomization.yaml',
  'charts/demo/Chart.yaml',
  'clusters/a/config.json',
  'clusters/b/deep/config.json',
  '.github/workflows/ci.yaml',
  'README.md',
];

describe('git tree helpers', () => {
  it('lists every directory but hidden ones', () => {
    const dirs = directoriesOf(files);
    expect(dirs).toContain('apps/web/overlays/production');
    expect(dirs).toContain('apps');
    expect(dirs.some((d) => d.startsWith('.github'))).toBe(false);
  });

  it('matches globs like path.Match by default, with ** crossing directories only when asked', () => {
    expect(filesMatching(files, 'clusters/*/config.json', false)).toEqual(['clusters/a/config.json']);
    expect(filesMatching(files, 'clusters/**/config.json', false)).toEqual(['clusters/a/config.json']);
    expect(filesMatching(files, 'clusters/**/config.json', true)).toEqual([
      'clusters/a/config.json',
      'clusters/b/deep/config.json',
    ]);
  });

  it('discovers kustomize and helm apps', () => {
    expect(discoverApps(files, {})).toMatchObject({ 'apps/web/base': 'Kustomize', 'charts/demo': 'Helm' });
    expect(discoverApps(files, { helm: false })['charts/demo']).toBeUndefined();
  });
});
