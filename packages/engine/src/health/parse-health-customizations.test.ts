import { describe, expect, it } from 'vitest';
import { HealthScriptIndex } from './health-script-index.ts';
import { parseHealthCustomizations } from './parse-health-customizations.ts';

describe('parseHealthCustomizations', () => {
  it('reads the split keys, core kinds without a group, and useOpenLibs', () => {
    expect(
      parseHealthCustomizations({
        'resource.customizations.health.cert-manager.io_Certificate': 'return cert',
        'resource.customizations.useOpenLibs.cert-manager.io_Certificate': 'true',
        'resource.customizations.health.PersistentVolumeClaim': 'return pvc',
        'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: [/spec/replicas]',
        url: 'https://argocd.example.com',
      }),
    ).toEqual({
      'cert-manager.io/Certificate': { healthLua: 'return cert', useOpenLibs: true },
      PersistentVolumeClaim: { healthLua: 'return pvc' },
    });
  });

  it('reads the legacy YAML map, wildcards included, with split keys taking precedence', () => {
    const data = {
      'resource.customizations': [
        '"*.aws.crossplane.io/*":',
        '  health.lua: |',
        '    return { status = "Healthy" }',
        'certmanager.k8s.io/Certificate:',
        '  health.lua.useOpenLibs: true',
        '  health.lua: |',
        '    return legacy',
        'apps/Deployment:',
        '  ignoreDifferences: |',
        '    jsonPointers:',
        '    - /spec/replicas',
      ].join('\n'),
      'resource.customizations.health.certmanager.k8s.io_Certificate': 'return split',
    };
    expect(parseHealthCustomizations(data)).toEqual({
      '*.aws.crossplane.io/*': { healthLua: 'return { status = "Healthy" }\n' },
      'certmanager.k8s.io/Certificate': { healthLua: 'return split', useOpenLibs: true },
    });
  });

  it('maps the `all` key to */*', () => {
    expect(parseHealthCustomizations({ 'resource.customizations.health.all': 'x' })).toEqual({
      '*/*': { healthLua: 'x' },
    });
  });

  it('rejects a malformed key or flag, naming it', () => {
    expect(() => parseHealthCustomizations({ 'resource.customizations.health.a_b_c': 'x' })).toThrow(
      'resource.customizations.health.a_b_c',
    );
    expect(() =>
      parseHealthCustomizations({ 'resource.customizations.useOpenLibs.apps_Deployment': 'yes' }),
    ).toThrow('expected a boolean');
  });
});

describe('HealthScriptIndex', () => {
  const index = new HealthScriptIndex({
    'apps/Deployment': { healthLua: 'exact' },
    '*/*': { healthLua: 'everything' },
    'apps/*': { healthLua: 'apps' },
    '*.crossplane.io/*': { healthLua: 'crossplane' },
    'ec2.aws.crossplane.io/*': { healthLua: 'ec2' },
    'empty/Kind': { healthLua: '' },
  });

  it.each([
    ['apps/Deployment', 'apps/Deployment', 'exact'],
    ['apps/StatefulSet', 'apps/*', 'apps'],
    ['ec2.aws.crossplane.io/Instance', 'ec2.aws.crossplane.io/*', 'ec2'],
    ['s3.aws.crossplane.io/Bucket', '*.crossplane.io/*', 'crossplane'],
    ['batch/Job', '*/*', 'everything'],
    ['empty/Kind', '*/*', 'everything'],
  ])('%s uses %s', (key, matched, script) => {
    expect(index.find(key)).toEqual({ key: matched, customization: { healthLua: script } });
  });

  it('a core kind has no group, so `*/*` does not match it', () => {
    expect(index.find('Pod')).toBeUndefined();
    expect(new HealthScriptIndex({ '*': { healthLua: 'all' } }).find('Pod')?.key).toBe('*');
  });
});
