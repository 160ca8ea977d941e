import { createLuaSandbox } from '@capstan/lua';
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { HealthAssessor, PENDING_DELETION_MESSAGE } from './health-assessor.ts';
import { parseHealthCustomizations } from './parse-health-customizations.ts';

const lua = createLuaSandbox({ isolation: 'inline' });
afterAll(() => lua.close());

const script = (status: string, message = '') => `return { status = "${status}", message = "${message}" }`;

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod', generation: 1 },
  spec: { replicas: 1 },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
};

const certificate: KubeObject = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'tls', namespace: 'prod' },
  status: { conditions: [{ type: 'Ready', status: 'True', message: 'up to date' }] },
};

const widget: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'prod' },
  status: { phase: 'Broken', reason: 'out of sprockets' },
};

describe('deletion', () => {
  const assessor = new HealthAssessor({
    lua,
    customizations: { 'apps/Deployment': { healthLua: script('Healthy') } },
  });

  it('an object being deleted is Progressing, before any script or check', async () => {
    const deleting = {
      ...deployment,
      metadata: { ...deployment.metadata, deletionTimestamp: '2025-03-01T10:00:00Z' },
    };
    await expect(assessor.resourceHealth(deleting)).resolves.toEqual({
      status: 'Progressing',
      message: PENDING_DELETION_MESSAGE,
    });
    expect(assessor.needsScript(deleting)).toBe(false);
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', deletionTimestamp: '2025-03-01T10:00:00Z' },
    };
    expect(assessor.resourceHealthSync(configMap)).toEqual({
      status: 'Progressing',
      message: PENDING_DELETION_MESSAGE,
    });
  });

  it('a hook held by the hook finalizer is assessed normally while it is deleted', async () => {
    const hook: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'migrate',
        deletionTimestamp: '2025-03-01T10:00:00Z',
        finalizers: ['argocd.argoproj.io/hook-finalizer'],
        annotations: { 'argocd.argoproj.io/hook': 'PreSync' },
      },
      status: { conditions: [{ type: 'Complete', status: 'True' }] },
    };
    await expect(assessor.resourceHealth(hook)).resolves.toEqual({ status: 'Healthy' });
  });
});

describe('custom Lua checks', () => {
  it('an exact key beats a wildcard, which beats the built-in checks', async () => {
    const assessor = new HealthAssessor({
      lua,
      customizations: {
        'apps/Deployment': { healthLua: script('Degraded', 'exact') },
        'apps/*': { healthLua: script('Suspended', 'group wildcard') },
        '*/*': { healthLua: script('Progressing', 'everything') },
      },
    });
    await expect(assessor.resourceHealth(deployment)).resolves.toEqual({
      status: 'Degraded',
      message: 'exact',
    });
    const statefulSet = { ...deployment, kind: 'StatefulSet' };
    await expect(assessor.resourceHealth(statefulSet)).resolves.toEqual({
      status: 'Suspended',
      message: 'group wildcard',
    });
    // A wildcard also replaces the built-in Lua-style and core checks.
    await expect(assessor.resourceHealth(certificate)).resolves.toEqual({
      status: 'Progressing',
      message: 'everything',
    });
    // Core kinds are keyed without a group ("Pod"), so `*/*` does not reach them, as in Argo CD.
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { restartPolicy: 'Always' },
      status: { phase: 'Pending' },
    };
    await expect(assessor.resourceHealth(pod)).resolves.toEqual({ status: 'Progressing' });
    expect(assessor.needsScript(pod)).toBe(false);
  });

  it('a custom script replaces the built-in check for its kind only', async () => {
    const assessor = new HealthAssessor({
      lua,
      customizations: { 'cert-manager.io/Certificate': { healthLua: script('Suspended', 'custom') } },
    });
    await expect(assessor.resourceHealth(certificate)).resolves.toEqual({
      status: 'Suspended',
      message: 'custom',
    });
    await expect(assessor.resourceHealth(deployment)).resolves.toEqual({ status: 'Healthy' });
    expect(assessor.needsScript(certificate)).toBe(true);
    expect(assessor.needsScript(deployment)).toBe(false);
    expect(() => assessor.resourceHealthSync(certificate)).toThrow('assessed by a Lua script');
  });

  it('gives health to a kind that has no built-in check', async () => {
    const assessor = new HealthAssessor({
      lua,
      customizations: parseHealthCustomizations({
        'resource.customizations.health.example.com_Widget': `
          hs = {}
          if obj.status.phase == "Broken" then
            hs.status = "Degraded"
            hs.message = obj.status.reason
            return hs
          end
          hs.status = "Healthy"
          return hs`,
      }),
    });
    await expect(assessor.resourceHealth(widget)).resolves.toEqual({
      status: 'Degraded',
      message: 'out of sprockets',
    });
    await expect(new HealthAssessor({ lua }).resourceHealth(widget)).resolves.toBeUndefined();
  });

  it('the opt-in Application check can also be written as a customization, as Argo CD documents it', async () => {
    const assessor = new HealthAssessor({
      lua,
      customizations: {
        'argoproj.io/Application': {
          healthLua: `hs = {}
            hs.status = "Progressing"
            hs.message = ""
            if obj.status ~= nil then
              if obj.status.health ~= nil then
                hs.status = obj.status.health.status
                if obj.status.health.message ~= nil then
                  hs.message = obj.status.health.message
                end
              end
            end
            return hs`,
        },
      },
    });
    const child = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'c' },
      status: { health: { status: 'Suspended' } },
    };
    await expect(assessor.resourceHealth(child)).resolves.toEqual({ status: 'Suspended' });
  });

  it('a failing script or an invalid status is Unknown with the reason', async () => {
    const assessor = new HealthAssessor({
      lua,
      customizations: {
        'example.com/Widget': { healthLua: 'return { status = obj.status.missing.field }' },
        'example.com/Gadget': { healthLua: script('Fine') },
        'example.com/Gizmo': { healthLua: 'return "Healthy"' },
      },
    });
    await expect(assessor.resourceHealth(widget)).resolves.toEqual({
      status: 'Unknown',
      message: "health.lua:1: attempt to index a nil value (field 'missing')",
    });
    await expect(assessor.resourceHealth({ ...widget, kind: 'Gadget' })).resolves.toEqual({
      status: 'Unknown',
      message: 'health script returned an invalid status "Fine"',
    });
    await expect(assessor.resourceHealth({ ...widget, kind: 'Gizmo' })).resolves.toEqual({
      status: 'Unknown',
      message: 'health script must return a table, not a string',
    });
  });

  it('a script that returns nothing gives no health', async () => {
    const assessor = new HealthAssessor({
      lua,
      customizations: { 'apps/Deployment': { healthLua: 'return nil' } },
    });
    await expect(assessor.resourceHealth(deployment)).resolves.toBeUndefined();
  });

  it('useOpenLibs gives the script the clock functions of os', async () => {
    const clocked = createLuaSandbox({ isolation: 'inline', now: () => Date.UTC(2025, 2, 1) });
    try {
      const healthLua = 'return { status = "Healthy", message = os.date("!%Y-%m-%d", os.time()) }';
      const open = new HealthAssessor({
        lua: clocked,
        customizations: { 'example.com/Widget': { healthLua, useOpenLibs: true } },
      });
      await expect(open.resourceHealth(widget)).resolves.toEqual({
        status: 'Healthy',
        message: '2025-03-01',
      });
      const closed = new HealthAssessor({
        lua: clocked,
        customizations: { 'example.com/Widget': { healthLua } },
      });
      await expect(closed.resourceHealth(widget)).resolves.toMatchObject({ status: 'Unknown' });
    } finally {
      await clocked.close();
    }
  });

  it('§10.15 a runaway script is stopped and Unknown, without affecting the other checks', async () => {
    for (const runaway of [
      'while true do end',
      'local t = {} while true do t[#t+1] = string.rep("x", 1e6) end',
    ]) {
      const assessor = new HealthAssessor({
        lua,
        customizations: {
          'example.com/Widget': { healthLua: runaway },
          'example.com/Gadget': { healthLua: 'return { status = "Degraded", message = obj.status.reason }' },
        },
      });
      const started = Date.now();
      const [stuck, certificateHealth, gadget] = await Promise.all([
        assessor.resourceHealth(widget),
        assessor.resourceHealth(certificate),
        assessor.resourceHealth({ ...widget, kind: 'Gadget' }),
      ]);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(stuck?.status).toBe('Unknown');
      expect(stuck?.message).toMatch(/limit|did not finish/);
      expect(certificateHealth).toEqual({ status: 'Healthy', message: 'up to date' });
      expect(gadget).toEqual({ status: 'Degraded', message: 'out of sprockets' });
      // And a check evaluated right after still answers.
      await expect(assessor.resourceHealth({ ...widget, kind: 'Gadget' })).resolves.toEqual({
        status: 'Degraded',
        message: 'out of sprockets',
      });
    }
  });

  it('runs in worker threads by default', async () => {
    const workers = createLuaSandbox({ maxWorkers: 1 });
    try {
      const assessor = new HealthAssessor({
        lua: workers,
        customizations: {
          'example.com/Widget': { healthLua: 'while true do end' },
          'example.com/Gadget': { healthLua: script('Healthy') },
        },
      });
      await expect(assessor.resourceHealth(widget)).resolves.toMatchObject({ status: 'Unknown' });
      await expect(assessor.resourceHealth({ ...widget, kind: 'Gadget' })).resolves.toEqual({
        status: 'Healthy',
      });
    } finally {
      await workers.close();
    }
  });
});

describe('healthOf', () => {
  it('assesses scripted objects up front and answers synchronously afterwards', async () => {
    const assessor = new HealthAssessor({
      lua,
      customizations: { 'example.com/Widget': { healthLua: script('Suspended') } },
    });
    const other = { ...widget, metadata: { name: 'other' } };
    const healthOf = await assessor.healthOf([widget, deployment]);
    expect(healthOf(widget)).toEqual({ status: 'Suspended' });
    expect(healthOf(deployment)).toEqual({ status: 'Healthy' });
    expect(healthOf(certificate)).toEqual({ status: 'Healthy', message: 'up to date' });
    expect(healthOf(other)).toEqual({
      status: 'Unknown',
      message: 'health was not assessed for this object',
    });
  });
});

describe('appHealth', () => {
  it('assesses every resource and the application, Missing for resources not in the cluster', async () => {
    const assessor = new HealthAssessor({
      lua,
      customizations: { 'example.com/Widget': { healthLua: script('Degraded', 'broken') } },
    });
    const key = (obj: KubeObject) => ({
      group: obj.apiVersion?.includes('/') === true ? (obj.apiVersion.split('/')[0] ?? '') : '',
      kind: obj.kind ?? '',
      namespace: obj.metadata?.namespace ?? '',
      name: obj.metadata?.name ?? '',
    });
    const result = await assessor.appHealth([
      { ...key(deployment), target: deployment, live: deployment },
      { ...key(widget), target: widget, live: widget },
      { ...key(certificate), target: certificate },
      {
        group: '',
        kind: 'ConfigMap',
        namespace: 'prod',
        name: 'settings',
        live: { apiVersion: 'v1', kind: 'ConfigMap' },
      },
    ]);
    expect(result.resources).toEqual([
      { status: 'Healthy' },
      { status: 'Degraded', message: 'broken' },
      { status: 'Missing' },
      undefined,
    ]);
    expect(result.app).toEqual({
      status: 'Degraded',
      message: 'Caused by example.com/Widget:prod/w',
      causes: [{ group: 'example.com', kind: 'Widget', namespace: 'prod', name: 'w' }],
    });
  });
});
