import { descriptorSetPath, serviceCatalog } from '@capstan/proto';
import { runService, unimplementedService } from '@capstan/runtime';
import { configSpec } from './config.ts';

await runService({
  name: 'repo-server',
  spec: configSpec,
  descriptorSet: descriptorSetPath,
  wire: async () => ({
    services: [unimplementedService(serviceCatalog.reposerver.name, serviceCatalog.reposerver.definition)],
  }),
});
