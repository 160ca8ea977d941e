import { describe, expect, it } from 'vitest';
import { parseSimpleYaml } from './parse-simple-yaml.ts';
import { parseOverrideIgnoreDiff, parseResourceCustomizations } from './resource-customizations.ts';

describe('parseResourceCustomizations (argocd-cm)', () => {
  it('reads the split ignoreDifferences keys, .all included', () => {
    const settings = parseResourceCustomizations({
      'resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration': `
jqPathExpressions:
- '.webhooks[]?.clientConfig.caBundle'
`,
      'resource.customizations.ignoreDifferences.apps_Deployment': `jsonPointers:
  - /spec/replicas   # scaled by the HPA
managedFieldsManagers: [kube-controller-manager, "vpa-recommender"]
`,
      'resource.customizations.ignoreDifferences.Service': '{"jsonPointers": ["/spec/clusterIP"]}',
      'resource.customizations.ignoreDifferences.all': `managedFieldsManagers:
- kube-controller-manager
jsonPointers:
- /metadata/annotations/example.com~1stamp
`,
      'resource.customizations.health.apps_Deployment': 'hs = {}\nreturn hs',
    });
    expect(settings.ignoreDifferences).toEqual({
      'admissionregistration.k8s.io/MutatingWebhookConfiguration': {
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      },
      'apps/Deployment': {
        jsonPointers: ['/spec/replicas'],
        managedFieldsManagers: ['kube-controller-manager', 'vpa-recommender'],
      },
      Service: { jsonPointers: ['/spec/clusterIP'] },
      '*/*': {
        managedFieldsManagers: ['kube-controller-manager'],
        jsonPointers: ['/metadata/annotations/example.com~1stamp'],
      },
    });
    expect(settings.ignoreResourceStatusField).toBe('all');
    expect(settings.ignoreAggregatedRoles).toBe(false);
  });

  it('reads the legacy resource.customizations map, which the split keys override', () => {
    const settings = parseResourceCustomizations({
      'resource.customizations': `
admissionregistration.k8s.io/ValidatingWebhookConfiguration:
  ignoreDifferences: |
    jsonPointers:
    - /webhooks/0/clientConfig/caBundle
apps/Deployment:
  ignoreDifferences: |
    jsonPointers:
    - /spec/template
`,
      'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: [/spec/replicas]',
    });
    expect(settings.ignoreDifferences).toEqual({
      'admissionregistration.k8s.io/ValidatingWebhookConfiguration': {
        jsonPointers: ['/webhooks/0/clientConfig/caBundle'],
      },
      'apps/Deployment': { jsonPointers: ['/spec/replicas'] },
    });
  });

  it.each<[string, string, boolean]>([
    ['ignoreResourceStatusField: crd', 'crd', false],
    ['ignoreResourceStatusField: none', 'none', false],
    ['ignoreResourceStatusField: off', 'none', false],
    ['ignoreResourceStatusField: all\nignoreAggregatedRoles: true', 'all', true],
    ['ignoreResourceStatusField: something-else', 'all', false],
    ['ignoreAggregatedRoles: "true"', 'all', true],
  ])('reads resource.compareoptions %j', (text, status, aggregated) => {
    const settings = parseResourceCustomizations({ 'resource.compareoptions': text });
    expect(settings.ignoreResourceStatusField).toBe(status);
    expect(settings.ignoreAggregatedRoles).toBe(aggregated);
  });

  it('rejects malformed values, naming the key', () => {
    expect(() =>
      parseResourceCustomizations({
        'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: /spec',
      }),
    ).toThrow(/apps_Deployment: jsonPointers must be a list of strings/);
    expect(() =>
      parseResourceCustomizations({ 'resource.customizations.ignoreDifferences.a_b_c': 'jsonPointers: []' }),
    ).toThrow(/group_Kind/);
    expect(() => parseOverrideIgnoreDiff('- just\n- a list')).toThrow(/expected a mapping/);
  });

  it('reads an empty value as no rules', () => {
    expect(parseOverrideIgnoreDiff('')).toEqual({});
    expect(parseOverrideIgnoreDiff('# nothing yet\n')).toEqual({});
  });
});

describe('parseSimpleYaml', () => {
  it.each<[string, unknown]>([
    [
      'a: 1\nb: true\nc: ~\nd: text with spaces\ne: "quoted: #not a comment"',
      { a: 1, b: true, c: null, d: 'text with spaces', e: 'quoted: #not a comment' },
    ],
    ['list:\n- a\n- b # comment\nnext: x', { list: ['a', 'b'], next: 'x' }],
    ['list:\n  - name: a\n    value: 1\n  - name: b', { list: [{ name: 'a', value: 1 }, { name: 'b' }] }],
    [
      "flow: [a, \"b, c\", 'it''s']\nmap: {x: 1, y: [2]}",
      { flow: ['a', 'b, c', "it's"], map: { x: 1, y: [2] } },
    ],
    ['text: |\n  line 1\n  line 2\nafter: 1', { text: 'line 1\nline 2\n', after: 1 }],
    ['text: |-\n  kept\nfolded: >\n  a\n  b\n', { text: 'kept', folded: 'a b\n' }],
    ['outer:\n  inner:\n    - - 1\n      - 2\n', { outer: { inner: [[1, 2]] } }],
    [
      '- .spec.template.spec.containers[] | select(.name == "istio-proxy")',
      ['.spec.template.spec.containers[] | select(.name == "istio-proxy")'],
    ],
    ['---\nkey: value\n', { key: 'value' }],
    ['', null],
  ])('parses %j', (text, value) => {
    expect(parseSimpleYaml(text)).toEqual(value);
  });

  it.each([['a: 1\na: 2'], ['a:\n\tb: 1'], ['a: "open'], ['a: 1\n  b: 2']])('rejects %j', (text) => {
    expect(() => parseSimpleYaml(text)).toThrow();
  });
});
