import { descriptorSetPath } from '@capstan/proto';
import { runService } from '@capstan/runtime';
import { configSpec } from './config.ts';
import { startController } from './controller.ts';

await runService({
  name: 'application-controller',
  spec: configSpec,
  descriptorSet: descriptorSetPath,
  wire: async ({ config, logger, metrics, redis, lifecycle }) => {
    const controller = await startController({
      namespace: config.namespace,
      kubeconfigPath: config.kubeconfigPath,
      redis,
      redisUrl: config.redisUrl,
      repoServerAddress: config.repoServerAddress,
      repoServerTimeoutMs: config.repoServerTimeoutSeconds * 1000,
      statusProcessors: config.statusProcessors,
      operationProcessors: config.operationProcessors,
      waveDelayMs: config.syncWaveDelayMs,
      kubeClient: { qps: config.kubeClientQps, burst: config.kubeClientBurst },
      replicaId: config.replicaId,
      leaseMs: config.leaseMs,
      logger,
      metrics,
      lifecycle,
    });
    return { services: [], checks: { controller: controller.ready } };
  },
});
