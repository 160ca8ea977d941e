// Writes manifests/*-crd.yaml from the schemas in src/. Run after changing a schema; the drift test
// in src/crd-yaml.test.ts fails until the committed files match.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crdFiles } from '../src/crd-yaml.ts';

const outDir = fileURLToPath(new URL('../manifests/', import.meta.url));
mkdirSync(outDir, { recursive: true });
for (const file of crdFiles()) {
  writeFileSync(outDir + file.fileName, file.content);
  process.stdout.write(`wrote manifests/${file.fileName}\n`);
}
