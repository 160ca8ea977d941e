import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceClient } from '@capstan/kube';
import {
  describeSymbolByReflection,
  listServicesByReflection,
  prepareCluster,
  spawnService,
  startRedis,
  startService,
  startTestCluster,
  type ServiceName,
  type TestCluster,
  type TestRedis,
} from '@capstan/testkit';

let redis: TestRedis;
let cluster: TestCluster | undefined;
let work: string;
beforeAll(async () => {
  redis = await startRedis();
  work = await mkdtemp(join(tmpdir(), 'capstan-boot-'));
});
afterAll(async () => {
  await redis?.stop();
  await cluster?.stop();
  await rm(work, { recursive: true, force: true });
});

/** The application-controller manages a cluster, so it boots against a real one. */
async function serviceEnv(name: ServiceName): Promise<Record<string, string>> {
  if (name !== 'application-controller') return {};
  if (cluster === undefined) {
    cluster = await startTestCluster({ name: 'boot' });
    await prepareCluster(new ResourceClient(cluster.kubeConfig()), 'argocd');
  }
  const path = join(work, 'kubeconfig');
  await writeFile(path, cluster.kubeconfig);
  return { CAPSTAN_KUBECONFIG: path };
}

const expectedServices: Record<ServiceName, string[]> = {
  'api-server': [
    'capstan.account.v1.AccountService',
    'capstan.application.v1.ApplicationService',
    'capstan.applicationset.v1.ApplicationSetService',
    'capstan.certificate.v1.CertificateService',
    'capstan.cluster.v1.ClusterService',
    'capstan.gpgkey.v1.GPGKeyService',
    'capstan.notification.v1.NotificationService',
    'capstan.project.v1.ProjectService',
    'capstan.repository.v1.RepoCredsService',
    'capstan.repository.v1.RepositoryService',
    'capstan.session.v1.SessionService',
    'capstan.settings.v1.SettingsService',
    'capstan.version.v1.VersionService',
  ],
  'repo-server': ['capstan.reposerver.v1.RepoServerService'],
  'application-controller': [],
  'applicationset-controller': [],
  notifications: [],
};

describe.each(Object.keys(expectedServices) as ServiceName[])('%s', (name) => {
  it('boots against a real Redis: health SERVING, reflection, /metrics, /healthz, SIGTERM → exit 0 within 5 s', async () => {
    const svc = await startService({ name, redisUrl: redis.url, env: await serviceEnv(name) });
    try {
      // startService already waited for grpc.health.v1 to report SERVING.
      expect(svc.startup['version']).toMatch(/^\d+\.\d+\.\d+/);
      const listed = await listServicesByReflection(svc.grpcAddress);
      expect(listed).toEqual([...expectedServices[name], 'grpc.health.v1.Health'].sort());
      // Each listed service can be described (grpcurl describe): its file comes last, imports first.
      for (const service of listed) {
        const files = await describeSymbolByReflection(svc.grpcAddress, service);
        const last = files[files.length - 1]?.toString('latin1') ?? '';
        expect(last).toContain(service.slice(service.lastIndexOf('.') + 1));
      }
      await expect(describeSymbolByReflection(svc.grpcAddress, 'no.such.Service')).rejects.toThrow(
        'symbol no.such.Service not found',
      );

      const metrics = await fetch(`${svc.metricsUrl}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d/m);
      expect(text).toContain('# TYPE grpc_server_handled_total counter');

      const health = await fetch(`${svc.metricsUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('ok\n');
    } finally {
      const exit = await svc.stop('SIGTERM');
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.ms).toBeLessThanOrEqual(5000);
    }
  });
});

describe('application-controller without a cluster', () => {
  it('exits 1 with a line saying what is missing', async () => {
    const child = spawnService('application-controller', {
      CAPSTAN_REDIS_URL: redis.url,
      CAPSTAN_APPLICATION_CONTROLLER_GRPC_PORT: '0',
      CAPSTAN_APPLICATION_CONTROLLER_METRICS_PORT: '0',
      HOME: work,
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(output).toContain('no Kubernetes API server to manage: set CAPSTAN_KUBECONFIG or KUBECONFIG');
  });
});
