import { descriptorSetPath, serviceCatalog } from '@capstan/proto';
import { runService, unimplementedService } from '@capstan/runtime';
import { configSpec } from './config.ts';
import { probeTools } from './tools/probe-tools.ts';

await runService({
  name: 'repo-server',
  spec: configSpec,
  descriptorSet: descriptorSetPath,
  wire: async ({ config, logger }) => {
    const tools = await probeTools({ helm: config.helmPath, kustomize: config.kustomizePath });
    logger.info('rendering tools', { ...tools });
    return {
      services: [unimplementedService(serviceCatalog.reposerver.name, serviceCatalog.reposerver.definition)],
    };
  },
});
