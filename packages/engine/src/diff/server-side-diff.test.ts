import { describe, expect, it } from 'vitest';
import { keyOf, type KubeObject } from '../types.ts';
import { deploymentLive, deploymentTarget, setPath } from './__tests__/fixtures.ts';
import { compileDiffOptions } from './diff-options.ts';
import { LivePredictor } from './predict-live.ts';
import { ServerSideDiff, type ServerSideDryRun } from './server-side-diff.ts';

/**
 * Stands in for the API server: predicts like `kubectl apply` (keeping the server's defaults) and rewrites the
 * bookkeeping a real apply touches; `edit` plays admission and schema effects.
 */
function fakeServer(edit?: (predicted: KubeObject) => void): {
  dryRun: ServerSideDryRun;
  calls: KubeObject[];
} {
  const calls: KubeObject[] = [];
  const dryRun: ServerSideDryRun = async (target, live) => {
    calls.push(target);
    const predicted = structuredClone(
      new LivePredictor(keyOf(live)).predict(target, target, live),
    ) as KubeObject;
    setPath(predicted, ['metadata', 'managedFields'], [{ manager: 'argocd-controller', time: 'now' }]);
    setPath(predicted, ['metadata', 'resourceVersion'], '999999');
    edit?.(predicted);
    return predicted;
  };
  return { dryRun, calls };
}

const options = compileDiffOptions();

describe('ServerSideDiff', () => {
  it('is unmodified when the dry-run predicts the live object, bookkeeping aside', async () => {
    const { dryRun, calls } = fakeServer();
    const target = deploymentTarget();
    const result = await new ServerSideDiff({ dryRun }).diff(target, deploymentLive(target), options);
    expect(result.modified).toBe(false);
    expect(calls).toHaveLength(1);
    expect(result.normalizedLive?.metadata).not.toHaveProperty('managedFields');
  });

  it('is modified when the dry-run predicts a change', async () => {
    const { dryRun } = fakeServer();
    const target = deploymentTarget();
    const live = deploymentLive(target);
    setPath(live, ['spec', 'template', 'spec', 'containers', 0, 'image'], 'drifted');
    const result = await new ServerSideDiff({ dryRun }).diff(
      target,
      live,
      compileDiffOptions({ includeDiff: true }),
    );
    expect(result.modified).toBe(true);
    expect(result.diff).toEqual([{ op: 'replace', path: '/spec/template/spec/containers/0/image' }]);
  });

  it('applies ignore rules to the prediction and the live object', async () => {
    const { dryRun } = fakeServer((p) => setPath(p, ['spec', 'replicas'], 9));
    const target = deploymentTarget();
    const differ = new ServerSideDiff({ dryRun });
    expect((await differ.diff(target, deploymentLive(target), options)).modified).toBe(true);
    const ignoring = compileDiffOptions({
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
    });
    expect((await differ.diff(target, deploymentLive(target), ignoring)).modified).toBe(false);
  });

  it('caches by live resourceVersion and normalized target, and shares concurrent dry-runs', async () => {
    const { dryRun, calls } = fakeServer();
    const differ = new ServerSideDiff({ dryRun, cacheSize: 10 });
    const target = deploymentTarget();
    const live = deploymentLive(target);
    await Promise.all([differ.diff(target, live, options), differ.diff(target, live, options)]);
    await differ.diff(deploymentTarget(), structuredClone(live), options);
    expect(calls).toHaveLength(1);
    // A new resourceVersion or a different target needs a new dry-run.
    await differ.diff(
      target,
      setPath(structuredClone(live), ['metadata', 'resourceVersion'], '48214'),
      options,
    );
    expect(calls).toHaveLength(2);
    await differ.diff(setPath(deploymentTarget(), ['spec', 'replicas'], 3), live, options);
    expect(calls).toHaveLength(3);
  });

  it('forgets failed dry-runs and rejects with the failure', async () => {
    let fail = true;
    const { dryRun: ok, calls } = fakeServer();
    const dryRun: ServerSideDryRun = async (target, live) => {
      if (fail) throw new Error('admission webhook denied');
      return ok(target, live);
    };
    const differ = new ServerSideDiff({ dryRun });
    const target = deploymentTarget();
    const live = deploymentLive(target);
    await expect(differ.diff(target, live, options)).rejects.toThrow('admission webhook denied');
    fail = false;
    expect((await differ.diff(target, live, options)).modified).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('needs no server for creations and deletions', async () => {
    const { dryRun, calls } = fakeServer();
    const differ = new ServerSideDiff({ dryRun });
    expect((await differ.diff(deploymentTarget(), null, options)).modified).toBe(true);
    expect((await differ.diff(null, deploymentLive(deploymentTarget()), options)).modified).toBe(false);
    expect(calls).toHaveLength(0);
  });

  describe('local comparison first', () => {
    it('does not ask the server when the local comparison finds nothing', async () => {
      const { dryRun, calls } = fakeServer();
      const target = deploymentTarget();
      const result = await new ServerSideDiff({ dryRun }).diffLocalFirst(
        target,
        deploymentLive(target),
        options,
      );
      expect(result.modified).toBe(false);
      expect(calls).toHaveLength(0);
    });

    it('lets the server clear a local false positive', async () => {
      // A custom resource whose schema makes the API server store `size: "3"` as the integer 3.
      const widget = (size: unknown): KubeObject => ({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w', namespace: 'default', uid: 'w-1', resourceVersion: '5' },
        spec: { size },
      });
      const { dryRun, calls } = fakeServer((p) => setPath(p, ['spec', 'size'], 3));
      const result = await new ServerSideDiff({ dryRun }).diffLocalFirst(widget('3'), widget(3), options);
      expect(result.modified).toBe(false);
      expect(calls).toHaveLength(1);
    });

    it('confirms a real change with the server', async () => {
      const { dryRun, calls } = fakeServer();
      const target = deploymentTarget();
      const live = deploymentLive(target);
      setPath(live, ['spec', 'template', 'spec', 'containers', 0, 'image'], 'drifted');
      expect((await new ServerSideDiff({ dryRun }).diffLocalFirst(target, live, options)).modified).toBe(
        true,
      );
      expect(calls).toHaveLength(1);
    });
  });
});
