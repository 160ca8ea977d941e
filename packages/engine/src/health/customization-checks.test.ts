import { describe, expect, it } from 'vitest';
import type { HealthStatus, KubeObject } from '../types.ts';
import { HealthAssessor } from './health-assessor.ts';

// The checks Argo CD ships as Lua scripts, which Capstan has in TypeScript.

const assessor = new HealthAssessor();

function expectHealth(obj: KubeObject, status: HealthStatus['status'] | undefined, message?: string): void {
  const health = assessor.resourceHealthSync(obj);
  expect(health?.status).toBe(status);
  if (message !== undefined) expect(health?.message ?? '').toBe(message);
}

function withConditions(apiVersion: string, kind: string, conditions?: unknown[]): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'db-credentials', namespace: 'prod', generation: 1 },
    spec: {},
    ...(conditions === undefined ? {} : { status: { conditions } }),
  };
}

describe('bitnami SealedSecret', () => {
  const sealed = (conditions?: unknown[]) =>
    withConditions('bitnami.com/v1alpha1', 'SealedSecret', conditions);
  it('is Healthy once unsealed', () => {
    expectHealth(sealed([{ type: 'Synced', status: 'True', message: '' }]), 'Healthy');
  });
  it('is Degraded when it cannot be unsealed', () => {
    expectHealth(
      sealed([{ type: 'Synced', status: 'False', message: 'no key could decrypt secret (password)' }]),
      'Degraded',
      'no key could decrypt secret (password)',
    );
  });
  it('is Progressing until the controller reports', () => {
    expectHealth(sealed(), 'Progressing');
  });
});

describe('external-secrets', () => {
  it.each([
    ['ExternalSecret', 'external-secrets.io/v1beta1'],
    ['SecretStore', 'external-secrets.io/v1beta1'],
    ['ClusterSecretStore', 'external-secrets.io/v1'],
  ])('%s follows its Ready condition', (kind, apiVersion) => {
    expectHealth(
      withConditions(apiVersion, kind, [
        { type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'Secret was synced' },
      ]),
      'Healthy',
      'Secret was synced',
    );
    expectHealth(
      withConditions(apiVersion, kind, [
        {
          type: 'Ready',
          status: 'False',
          reason: 'SecretSyncedError',
          message: 'could not get secret data from provider',
        },
      ]),
      'Degraded',
      'could not get secret data from provider',
    );
    expectHealth(withConditions(apiVersion, kind), 'Progressing');
  });

  it('ClusterExternalSecret follows its latest condition', () => {
    const kind = 'ClusterExternalSecret';
    const apiVersion = 'external-secrets.io/v1beta1';
    expectHealth(
      withConditions(apiVersion, kind, [
        { type: 'NotReady', status: 'True' },
        { type: 'Ready', status: 'True', message: 'all namespaces synced' },
      ]),
      'Healthy',
    );
    expectHealth(
      withConditions(apiVersion, kind, [
        { type: 'Ready', status: 'True' },
        { type: 'PartiallyReady', status: 'True', message: 'one namespace failed' },
      ]),
      'Degraded',
    );
    expectHealth(withConditions(apiVersion, kind, []), 'Progressing');
  });
});

describe('cert-manager', () => {
  const certificate = (conditions?: unknown[]) =>
    withConditions('cert-manager.io/v1', 'Certificate', conditions);
  const ready = {
    type: 'Ready',
    status: 'True',
    reason: 'Ready',
    message: 'Certificate is up to date and has not expired',
  };

  it('a Certificate is Healthy when Ready', () => {
    expectHealth(certificate([ready]), 'Healthy', 'Certificate is up to date and has not expired');
  });
  it('a Certificate being issued is Progressing even while the old one is Ready', () => {
    expectHealth(
      certificate([
        ready,
        {
          type: 'Issuing',
          status: 'True',
          reason: 'Renewing',
          message: 'Renewing certificate as renewal was scheduled',
        },
      ]),
      'Progressing',
      'Renewing certificate as renewal was scheduled',
    );
  });
  it('a Certificate that is not Ready is Degraded', () => {
    expectHealth(
      certificate([
        {
          type: 'Ready',
          status: 'False',
          reason: 'DoesNotExist',
          message: 'Issuing certificate as Secret does not exist',
        },
      ]),
      'Degraded',
    );
  });
  it('a Certificate without conditions is Progressing', () => {
    expectHealth(certificate(), 'Progressing');
  });
  it.each(['Issuer', 'ClusterIssuer'])('an %s follows its Ready condition', (kind) => {
    expectHealth(
      withConditions('cert-manager.io/v1', kind, [
        { type: 'Ready', status: 'True', message: 'The ACME account was registered' },
      ]),
      'Healthy',
    );
    expectHealth(
      withConditions('cert-manager.io/v1', kind, [
        { type: 'Ready', status: 'False', message: 'Failed to verify ACME account' },
      ]),
      'Degraded',
    );
    expectHealth(withConditions('cert-manager.io/v1', kind), 'Progressing');
  });
});

describe('Argo Rollout', () => {
  function rollout(
    spec: Record<string, unknown>,
    status: Record<string, unknown> | undefined,
    metadata: Record<string, unknown> = {},
  ): KubeObject {
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', namespace: 'prod', generation: 4, ...metadata },
      spec: { replicas: 3, ...spec },
      ...(status === undefined ? {} : { status: { observedGeneration: '4', ...status } }),
    };
  }
  const canary = { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } } };
  const blueGreen = { strategy: { blueGreen: { activeService: 'web-active' } } };
  const settled = {
    currentPodHash: '6b7d9',
    stableRS: '6b7d9',
    replicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
  };

  it('is Progressing until the controller observes the spec', () => {
    expectHealth(rollout(canary, undefined), 'Progressing');
    expectHealth(rollout(canary, { ...settled, observedGeneration: 3 }), 'Progressing');
  });
  it('is Progressing until a referenced workload generation is observed', () => {
    const annotations = { 'rollout.argoproj.io/workload-generation': '2' };
    const spec = { ...canary, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } };
    expectHealth(
      rollout(spec, { ...settled, workloadObservedGeneration: '1' }, { annotations }),
      'Progressing',
    );
    expectHealth(rollout(spec, { ...settled, workloadObservedGeneration: '2' }, { annotations }), 'Healthy');
  });
  it('maps the published phase, Paused to Suspended', () => {
    expectHealth(
      rollout(canary, { ...settled, phase: 'Paused', message: 'CanaryPauseStep' }),
      'Suspended',
      'CanaryPauseStep',
    );
    expectHealth(
      rollout(canary, {
        ...settled,
        phase: 'Degraded',
        message: 'RolloutAborted: metric "error-rate" assessed Failed',
      }),
      'Degraded',
    );
    expectHealth(rollout(canary, { ...settled, phase: 'Healthy' }), 'Healthy');
    expectHealth(
      rollout(canary, { ...settled, phase: 'Progressing', message: 'more replicas need to be updated' }),
      'Progressing',
    );
  });
  it('without a phase, an aborted or invalid rollout is Degraded', () => {
    expectHealth(
      rollout(canary, {
        ...settled,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'RolloutAborted',
            message: 'Rollout aborted update to revision 5',
          },
        ],
      }),
      'Degraded',
      'Rollout aborted update to revision 5',
    );
    expectHealth(
      rollout(canary, {
        ...settled,
        conditions: [{ type: 'InvalidSpec', status: 'True', message: 'The Rollout "web" is invalid' }],
      }),
      'Degraded',
    );
  });
  it('without a phase, a paused rollout is Suspended', () => {
    expectHealth(
      rollout(canary, {
        ...settled,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2025-03-01T10:00:00Z' }],
      }),
      'Suspended',
      'Rollout is paused',
    );
    expectHealth(rollout({ ...canary, paused: true }, settled), 'Suspended');
  });
  it('without a phase, a canary is Progressing until every step is done, then Healthy', () => {
    expectHealth(rollout(canary, { ...settled, currentPodHash: undefined }), 'Progressing');
    expectHealth(rollout(canary, { ...settled, updatedReplicas: 1 }), 'Progressing');
    expectHealth(rollout(canary, { ...settled, availableReplicas: 2 }), 'Progressing');
    expectHealth(rollout(canary, { ...settled, replicas: 4 }), 'Progressing');
    expectHealth(rollout(canary, { ...settled, stableRS: '5f9c2' }), 'Progressing');
    expectHealth(rollout(canary, settled), 'Healthy');
  });
  it('without a phase, a blue-green rollout waits for the active service to switch', () => {
    expectHealth(rollout(blueGreen, { ...settled, blueGreen: { activeSelector: '5f9c2' } }), 'Progressing');
    expectHealth(
      rollout(blueGreen, { ...settled, stableRS: '5f9c2', blueGreen: { activeSelector: '6b7d9' } }),
      'Progressing',
    );
    expectHealth(rollout(blueGreen, { ...settled, blueGreen: { activeSelector: '6b7d9' } }), 'Healthy');
  });
});

describe('child Application (app of apps)', () => {
  const child = (health?: Record<string, unknown>): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'payments', namespace: 'argocd' },
    spec: {},
    status: health === undefined ? { sync: { status: 'Synced' } } : { health },
  });

  it('§10.15 has no health by default (Argo CD removed the check in 1.8)', () => {
    expectHealth(child({ status: 'Degraded' }), undefined);
  });

  it('takes the health the child reports when enabled', () => {
    const optedIn = new HealthAssessor({ applicationHealth: true });
    expect(
      optedIn.resourceHealthSync(child({ status: 'Degraded', message: 'Caused by apps/Deployment:pay/api' })),
    ).toEqual({
      status: 'Degraded',
      message: 'Caused by apps/Deployment:pay/api',
    });
    expect(optedIn.resourceHealthSync(child({ status: 'Healthy' }))).toEqual({ status: 'Healthy' });
    expect(optedIn.resourceHealthSync(child())).toEqual({ status: 'Progressing' });
    expect(optedIn.resourceHealthSync(child({ status: 'Bogus' }))?.status).toBe('Unknown');
  });
});
