import { describe, expect, it } from 'vitest';
import { defaultSettings, parseControllerSettings } from './controller-settings.ts';

describe('parseControllerSettings (argocd-cm)', () => {
  it("has Argo CD's defaults", () => {
    expect(parseControllerSettings({})).toMatchObject({
      reconciliationMs: 120_000,
      instanceLabelKey: 'app.kubernetes.io/instance',
      trackingMethod: 'annotation',
      errors: [],
    });
    expect(parseControllerSettings(undefined)).toBe(defaultSettings);
  });
  it('reads durations, tracking, exclusions and status comparison', () => {
    const s = parseControllerSettings({
      'timeout.reconciliation': '3m',
      'timeout.hard.reconciliation': '1h',
      'application.resourceTrackingMethod': 'annotation+label',
      'application.instanceLabelKey': 'team/app',
      'resource.exclusions': '- apiGroups: ["cilium.io"]\n  kinds: ["CiliumIdentity"]\n  clusters: ["*"]\n',
      'resource.compareoptions': 'ignoreResourceStatusField: crd\n',
    });
    expect(s.reconciliationMs).toBe(180_000);
    expect(s.hardReconciliationMs).toBe(3_600_000);
    expect(s.trackingMethod).toBe('annotation+label');
    expect(s.instanceLabelKey).toBe('team/app');
    expect(s.exclusions).toEqual([{ apiGroups: ['cilium.io'], kinds: ['CiliumIdentity'], clusters: ['*'] }]);
    expect(s.ignoreResourceStatusField).toBe('crd');
  });
  it('keeps the default of a bad key and names the problem', () => {
    const s = parseControllerSettings({
      'timeout.reconciliation': 'soon',
      'application.resourceTrackingMethod': 'magic',
      'resource.exclusions': 'not: [a list',
    });
    expect(s.reconciliationMs).toBe(120_000);
    expect(s.trackingMethod).toBe('annotation');
    expect(s.errors.join('\n')).toMatch(/timeout.reconciliation: "soon"/);
    expect(s.errors.join('\n')).toMatch(/resourceTrackingMethod: unknown method "magic"/);
    expect(s.errors.join('\n')).toMatch(/resource.exclusions/);
  });
});
