import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeSymbolByReflection,
  listServicesByReflection,
  startRedis,
  startService,
  type ServiceName,
  type TestRedis,
} from '@capstan/testkit';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

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
    const svc = await startService({ name, redisUrl: redis.url });
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
