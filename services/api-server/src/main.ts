import { descriptorSetPath, serviceCatalog } from '@capstan/proto';
import { runService, unimplementedService } from '@capstan/runtime';
import { configSpec } from './config.ts';
import { versionService } from './version/version-service.ts';

const { reposerver: _internal, version: _version, ...apiServices } = serviceCatalog;

await runService({
  name: 'api-server',
  spec: configSpec,
  descriptorSet: descriptorSetPath,
  wire: async () => ({
    services: [
      versionService(),
      // The rest of the API surface is served so clients and reflection see it whole; each service
      // answers UNIMPLEMENTED until its issue lands.
      ...Object.values(apiServices).map((s) => unimplementedService(s.name, s.definition)),
    ],
  }),
});
