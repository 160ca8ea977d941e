// expr evaluations per second on one core: the seed's notification trigger conditions
// (test/seed/manifests/17-configmap-argocd-notifications-cm.yaml), compiled once, run against
// Application-sized objects in four states (synced/healthy, sync failed, health degraded, running).
// Figures:
// - expr_evals_per_s: single `when` evaluations (the notifications controller's hot loop);
// - expr_trigger_passes_per_s: whole passes over the seed's trigger set for one app, oncePer included,
//   building the notification environment each time as the controller does per app;
// - expr_compile_ms: compiling the seed's conditions.
import { readFile } from 'node:fs/promises';
import {
  compile,
  compileTriggers,
  evaluateTrigger,
  notificationEnv,
  type TriggerCondition,
} from '@capstan/expr';
import { parse as parseYaml } from 'yaml';
import { median } from '../rss.ts';

const SEED = new URL(
  '../../../test/seed/manifests/17-configmap-argocd-notifications-cm.yaml',
  import.meta.url,
);
const NOW = (): number => Date.parse('2026-01-01T10:05:00Z');

async function seedTriggers(): Promise<Record<string, TriggerCondition[]>> {
  const cm = parseYaml(await readFile(SEED, 'utf8')) as { data: Record<string, string> };
  const out: Record<string, TriggerCondition[]> = {};
  for (const [key, value] of Object.entries(cm.data)) {
    if (key.startsWith('trigger.'))
      out[key.slice('trigger.'.length)] = parseYaml(value) as TriggerCondition[];
  }
  return out;
}

/** An Application as the controller sees it: spec, 30 resources, history and an operation state. */
function application(phase: string, health: string, i: number): Record<string, unknown> {
  const revision = `${i.toString(16).padStart(8, '0')}4f1c3a7d9e2b8c6a5f0d1e2c3b4a59`;
  const resources = Array.from({ length: 30 }, (_, r) => ({
    group: r % 3 === 0 ? 'apps' : '',
    version: 'v1',
    kind: r % 3 === 0 ? 'Deployment' : r % 3 === 1 ? 'Service' : 'ConfigMap',
    namespace: 'shop',
    name: `svc-${i}-${r}`,
    status: 'Synced',
    health: r % 3 === 0 ? { status: health } : undefined,
  }));
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `shop-${i}`,
      namespace: 'argocd',
      uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(1000 + i),
      labels: { team: 'shop', env: 'prod' },
      annotations: { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'shop-team' },
    },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example/shop.git', path: 'deploy', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status: {
      sync: { status: phase === 'Failed' ? 'OutOfSync' : 'Synced', revision },
      health: { status: health, lastTransitionTime: '2026-01-01T09:59:00Z' },
      resources,
      history: [{ id: 1, revision, deployedAt: '2026-01-01T10:00:03Z' }],
      operationState: {
        operation: { sync: { revision } },
        phase,
        message: phase === 'Failed' ? 'one or more objects failed to apply' : 'successfully synced',
        startedAt: '2026-01-01T10:00:00Z',
        finishedAt: '2026-01-01T10:00:03Z',
        syncResult: { revision, resources: resources.slice(0, 5) },
      },
      reconciledAt: '2026-01-01T10:00:05Z',
    },
  };
}

export async function benchExpr(): Promise<Record<string, number>> {
  const specs = await seedTriggers();
  const t0 = performance.now();
  const set = compileTriggers(specs);
  const compileMs = performance.now() - t0;
  if (set.errors.length > 0)
    throw new Error(`seed triggers failed to compile: ${set.errors.map((e) => e.error.message).join('; ')}`);
  const programs = Object.values(specs).flatMap((conds) => conds.map((c) => compile(c.when)));
  const states: [string, string][] = [
    ['Succeeded', 'Healthy'],
    ['Failed', 'Healthy'],
    ['Succeeded', 'Degraded'],
    ['Running', 'Progressing'],
  ];
  const apps = states.map(([phase, health], i) => application(phase, health, i));
  const envs = apps.map((app) => notificationEnv({ app, now: NOW }));

  // Sanity: the mix fires what it should, so the benchmark measures real work.
  let fired = 0;
  for (const env of envs) for (const p of programs) if (p.run(env) === true) fired++;
  if (fired !== 4) throw new Error(`expected 4 conditions to fire across the states, got ${fired}`);

  const evalRates: number[] = [];
  const ITER = 200_000;
  let sink = 0;
  for (let round = 0; round < 6; round++) {
    const start = performance.now();
    for (let i = 0; i < ITER; i++) {
      const env = envs[i & 3] as Record<string, unknown>;
      for (const p of programs) if (p.run(env) === true) sink++;
    }
    const secs = (performance.now() - start) / 1000;
    if (round > 0) evalRates.push((ITER * programs.length) / secs);
  }

  const passRates: number[] = [];
  const PASSES = 50_000;
  const triggers = [...set.triggers.values()];
  for (let round = 0; round < 4; round++) {
    const start = performance.now();
    for (let i = 0; i < PASSES; i++) {
      const env = notificationEnv({ app: apps[i & 3], now: NOW });
      for (const t of triggers) for (const r of evaluateTrigger(t, env)) if (r.triggered) sink++;
    }
    const secs = (performance.now() - start) / 1000;
    if (round > 0) passRates.push(PASSES / secs);
  }
  if (sink === 0) throw new Error('nothing fired');

  return {
    expr_evals_per_s: Math.round(median(evalRates)),
    expr_trigger_passes_per_s: Math.round(median(passRates)),
    expr_compile_ms: Math.round(compileMs * 100) / 100,
    expr_conditions: programs.length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchExpr()));
}
