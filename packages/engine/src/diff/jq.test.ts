import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { deepFreeze, deploymentLive, deploymentTarget, setPath } from './__tests__/fixtures.ts';
import { compileDiffOptions } from './diff-options.ts';
import { diffResourceAsync } from './diff-resource.ts';
import { JqPool } from './jq-pool.ts';

const pool = new JqPool({ timeoutMs: 1000, maxWorkers: 2 });
afterAll(() => pool.close());

const ISTIO = '.spec.template.spec.containers[] | select(.name == "istio-proxy")';

/** A Deployment whose git manifest lists the istio sidecar, and whose live sidecar was rewritten by a webhook. */
function meshed(): { target: KubeObject; live: KubeObject } {
  const target = deploymentTarget();
  setPath(target, ['spec', 'template', 'spec', 'containers', 1], {
    name: 'istio-proxy',
    image: 'istio/proxyv2:1.20',
  });
  const live = deploymentLive(target);
  setPath(live, ['spec', 'template', 'spec', 'containers', 1, 'image'], 'istio/proxyv2:1.22');
  setPath(live, ['spec', 'template', 'spec', 'containers', 1, 'args'], ['proxy', 'sidecar']);
  return { target: deepFreeze(target), live: deepFreeze(live) };
}

function configMap(value: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'default' },
    data: { key: value },
  };
}

describe('jqPathExpressions (real jq in worker threads)', () => {
  it('removes what the expression selects, on both sides', async () => {
    const { target, live } = meshed();
    const withRule = compileDiffOptions({
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jqPathExpressions: [ISTIO] }],
    });
    const result = await diffResourceAsync(target, live, withRule, pool);
    expect(result.modified).toBe(false);
    expect(result.warnings).toBeUndefined();
    const containers = (
      result.normalizedLive?.['spec'] as { template: { spec: { containers: { name: string }[] } } }
    ).template.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(['guestbook-ui']);
    expect((await diffResourceAsync(target, live, compileDiffOptions(), pool)).modified).toBe(true);
  });

  it('applies jq rules from system-level customizations too', async () => {
    const { target, live } = meshed();
    const options = compileDiffOptions({
      systemIgnoreDifferences: { 'apps/Deployment': { jqPathExpressions: [ISTIO] } },
    });
    expect((await diffResourceAsync(target, live, options, pool)).modified).toBe(false);
  });

  it('stops an expression that never ends after the timeout, while other comparisons still work', async () => {
    const options = compileDiffOptions({
      ignoreDifferences: [
        { kind: 'ConfigMap', jqPathExpressions: ['def f: f; f'] },
        { group: 'apps', kind: 'Deployment', jqPathExpressions: [ISTIO] },
      ],
    });
    const { target, live } = meshed();
    const started = Date.now();
    const [looping, healthy] = await Promise.all([
      diffResourceAsync(configMap('a'), configMap('b'), options, pool),
      diffResourceAsync(target, live, options, pool),
    ]);
    const elapsed = Date.now() - started;
    // The loop is reported and skipped: the comparison itself still happens (and sees the real change).
    expect(looping.modified).toBe(true);
    expect(looping.warnings).toEqual([expect.stringMatching(/def f: f; f.*timed out after 1000 ms/)]);
    expect(healthy.modified).toBe(false);
    expect(healthy.warnings).toBeUndefined();
    expect(elapsed).toBeLessThan(10_000);
    // The pool replaced the terminated worker and keeps serving.
    expect((await diffResourceAsync(target, live, options, pool)).modified).toBe(false);
  });

  it('reports a jq syntax error instead of failing the comparison', async () => {
    const options = compileDiffOptions({
      ignoreDifferences: [{ kind: 'ConfigMap', jqPathExpressions: ['.data['] }],
    });
    const result = await diffResourceAsync(configMap('a'), configMap('a'), options, pool);
    expect(result.modified).toBe(false);
    expect(result.warnings).toEqual([expect.stringContaining('jq: ')]);
  });

  it('reports a runtime error and an expression with several outputs', async () => {
    const options = compileDiffOptions({
      ignoreDifferences: [
        { kind: 'ConfigMap', jqPathExpressions: ['error("boom")', '.data.key), del(.data'] },
      ],
    });
    const result = await diffResourceAsync(configMap('a'), configMap('b'), options, pool);
    expect(result.modified).toBe(true);
    expect(result.warnings).toEqual([
      expect.stringContaining('boom'),
      expect.stringContaining('multiple outputs'),
    ]);
  });

  it('defaults to a one second timeout and takes an injected one', async () => {
    const delays: number[] = [];
    const timers = {
      set: (fn: () => void, ms: number): unknown => {
        delays.push(ms);
        return setTimeout(fn, ms);
      },
      clear: (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const defaults = new JqPool({ timers });
    const short = new JqPool({ timers, timeoutMs: 200 });
    try {
      await defaults.run({ a: 1 }, 'del(.a)');
      const started = Date.now();
      await expect(short.run({ a: 1 }, 'del(def f: f; f)')).rejects.toThrow(/timed out after 200 ms/);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(delays).toContain(1000);
      expect(delays).toContain(200);
    } finally {
      await Promise.all([defaults.close(), short.close()]);
    }
  });

  it('rejects work after close', async () => {
    const closed = new JqPool();
    await closed.close();
    await expect(closed.run({}, '.')).rejects.toThrow(/closed/);
  });
});
