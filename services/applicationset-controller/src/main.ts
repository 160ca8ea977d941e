import { descriptorSetPath } from '@capstan/proto';
import { runService } from '@capstan/runtime';
import { configSpec } from './config.ts';

await runService({
  name: 'applicationset-controller',
  spec: configSpec,
  descriptorSet: descriptorSetPath,
  // The controller's work loops arrive with later issues; for now it serves health, reflection and metrics.
  wire: async () => ({ services: [] }),
});
