import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  Watch,
  type V1Deployment,
  type V1Job,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, podBehaviourLabel, startTestCluster, type TestCluster } from '@capstan/testkit';

let cluster: TestCluster;
let apps: AppsV1Api;
let batch: BatchV1Api;
let core: CoreV1Api;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'workloads' });
  apps = cluster.kubeConfig().makeApiClient(AppsV1Api);
  batch = cluster.kubeConfig().makeApiClient(BatchV1Api);
  core = cluster.kubeConfig().makeApiClient(CoreV1Api);
});
afterAll(() => cluster?.stop());

function deployment(name: string, replicas: number, podLabels: Record<string, string> = {}): V1Deployment {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...podLabels } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    },
  };
}

function job(name: string, podLabels: Record<string, string> = {}): V1Job {
  return {
    metadata: { name },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: podLabels },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] },
      },
    },
  };
}

const podsOf = async (namespace: string, selector: string): Promise<V1Pod[]> =>
  (await core.listNamespacedPod({ namespace, labelSelector: selector })).items;

describe('workloads on the kwok cluster', () => {
  it('brings a 2-replica Deployment to Available, with owned ReplicaSet and Pods', async () => {
    await using ns = await cluster.createNamespace('deploy');
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment('web', 2) });
    const available = await eventually('Deployment web Available', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns.name });
      const cond = d.status?.conditions?.find((c) => c.type === 'Available');
      return cond?.status === 'True' && d.status?.availableReplicas === 2 ? d : undefined;
    });
    const rs = (await apps.listNamespacedReplicaSet({ namespace: ns.name })).items;
    expect(rs).toHaveLength(1);
    expect(rs[0]?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      uid: available.metadata?.uid,
    });
    const pods = await podsOf(ns.name, 'app=web');
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        uid: rs[0]?.metadata?.uid,
      });
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });

  it('completes a Job, and fails one whose pod carries the failure label', async () => {
    await using ns = await cluster.createNamespace('jobs');
    await batch.createNamespacedJob({ namespace: ns.name, body: job('ok') });
    await batch.createNamespacedJob({
      namespace: ns.name,
      body: job('bad', { [podBehaviourLabel]: 'fail' }),
    });
    const condition = (name: string, type: string) => async () => {
      const j = await batch.readNamespacedJob({ name, namespace: ns.name });
      return j.status?.conditions?.some((c) => c.type === type && c.status === 'True') === true;
    };
    await eventually('Job ok Complete', condition('ok', 'Complete'));
    await eventually('Job bad Failed', condition('bad', 'Failed'));
    const okPods = await podsOf(ns.name, 'batch.kubernetes.io/job-name=ok');
    expect(okPods.map((p) => p.status?.phase)).toEqual(['Succeeded']);
    const badPods = await podsOf(ns.name, 'batch.kubernetes.io/job-name=bad');
    expect(badPods.map((p) => p.status?.phase)).toEqual(['Failed']);
    const okJob = await batch.readNamespacedJob({ name: 'ok', namespace: ns.name });
    expect(okJob.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True')).toBe(false);
  });

  it('keeps labelled pods in CrashLoopBackOff or not Ready, so Degraded and Progressing can be tested', async () => {
    await using ns = await cluster.createNamespace('unhealthy');
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: deployment('crashy', 1, { [podBehaviourLabel]: 'crashloop' }),
    });
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: deployment('slow', 1, { [podBehaviourLabel]: 'not-ready' }),
    });
    const crashy = await eventually('crashy pod Running', async () =>
      (await podsOf(ns.name, 'app=crashy')).find((p) => p.status?.phase === 'Running'),
    );
    const waiting = crashy.status?.containerStatuses?.[0]?.state?.waiting;
    expect(waiting?.reason).toBe('CrashLoopBackOff');
    expect(crashy.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThan(0);
    const slow = await eventually('slow pod Running', async () =>
      (await podsOf(ns.name, 'app=slow')).find((p) => p.status?.phase === 'Running'),
    );
    expect(slow.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    // Still not available a while later: the deployment stays Progressing rather than flipping to Available.
    await new Promise((r) => setTimeout(r, 2000));
    const d = await apps.readNamespacedDeployment({ name: 'slow', namespace: ns.name });
    expect(d.status?.availableReplicas ?? 0).toBe(0);
  });

  it('deletes ReplicaSets and Pods before a foreground-deleted Deployment disappears', async () => {
    const ns = await cluster.createNamespace('foreground');
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment('fg', 2) });
    await eventually(
      'fg Available',
      async () =>
        (await apps.readNamespacedDeployment({ name: 'fg', namespace: ns.name })).status
          ?.availableReplicas === 2,
    );

    const deletions: string[] = [];
    const watch = new Watch(cluster.kubeConfig());
    const watches = await Promise.all(
      [
        `/apis/apps/v1/namespaces/${ns.name}/deployments`,
        `/apis/apps/v1/namespaces/${ns.name}/replicasets`,
        `/api/v1/namespaces/${ns.name}/pods`,
      ].map((path) =>
        watch.watch(
          path,
          {},
          (phase, obj: { kind?: string; metadata?: { name?: string } }) => {
            if (phase === 'DELETED') deletions.push(`${path.split('/').pop()}/${obj.metadata?.name}`);
          },
          () => undefined,
        ),
      ),
    );
    try {
      await apps.deleteNamespacedDeployment({
        name: 'fg',
        namespace: ns.name,
        body: { propagationPolicy: 'Foreground' },
      });
      const blocked = await apps.readNamespacedDeployment({ name: 'fg', namespace: ns.name });
      expect(blocked.metadata?.finalizers).toContain('foregroundDeletion');
      await eventually('Deployment fg gone', () => deletions.includes('deployments/fg'));
      const dep = deletions.indexOf('deployments/fg');
      expect(deletions.filter((d) => d.startsWith('replicasets/'))).toHaveLength(1);
      expect(deletions.filter((d) => d.startsWith('pods/'))).toHaveLength(2);
      for (const [i, d] of deletions.entries()) if (d !== 'deployments/fg') expect(i).toBeLessThan(dep);
    } finally {
      for (const w of watches) w.abort();
    }

    await ns.delete();
    await eventually('namespace finalized', async () => {
      try {
        await core.readNamespace({ name: ns.name });
        return false;
      } catch (err) {
        return (err as { code?: number }).code === 404;
      }
    });
  });
});
