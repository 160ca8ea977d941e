import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { crdManifests } from './crd-manifests.ts';
import { crdFiles } from './crd-yaml.ts';
import type { JSONSchemaProps } from './json-schema-props.ts';
import { parseManifests } from './parse-manifests.ts';

const manifestsDir = fileURLToPath(new URL('../manifests/', import.meta.url));

const ALLOWED_KEYWORDS = new Set([
  'type',
  'format',
  'description',
  'enum',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-map-type',
  'x-kubernetes-list-type',
]);

/** Kubernetes' structural-schema rules, as far as our keyword subset can break them. */
function structuralProblems(node: JSONSchemaProps, path: string, problems: string[]): string[] {
  const where = path === '' ? '<root>' : path;
  for (const keyword of Object.keys(node)) {
    if (!ALLOWED_KEYWORDS.has(keyword)) problems.push(`${where}: keyword ${keyword} not allowed`);
  }
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (node.type === undefined && !intOrString && !preserve) problems.push(`${where}: no type`);
  if (intOrString && node.type !== undefined) problems.push(`${where}: int-or-string with a type`);
  if (node.properties !== undefined && node.type !== 'object')
    problems.push(`${where}: properties without type object`);
  if (node.additionalProperties !== undefined && node.type !== 'object') {
    problems.push(`${where}: additionalProperties without type object`);
  }
  if (node.properties !== undefined && node.additionalProperties !== undefined) {
    problems.push(`${where}: properties and additionalProperties together`);
  }
  if (node.type === 'array' && node.items === undefined) problems.push(`${where}: array without items`);
  if (node.items !== undefined && node.type !== 'array') problems.push(`${where}: items without type array`);
  for (const name of node.required ?? []) {
    if (node.properties?.[name] === undefined) problems.push(`${where}: required ${name} is not a property`);
  }
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    structuralProblems(child, path === '' ? name : `${path}.${name}`, problems);
  }
  if (node.items !== undefined) structuralProblems(node.items, `${path}[]`, problems);
  if (node.additionalProperties !== undefined)
    structuralProblems(node.additionalProperties, `${path}{}`, problems);
  return problems;
}

function preservedPaths(node: JSONSchemaProps, path: string, out: Set<string>): Set<string> {
  if (node['x-kubernetes-preserve-unknown-fields'] === true) out.add(path);
  for (const [name, child] of Object.entries(node.properties ?? {}))
    preservedPaths(child, `${path}.${name}`, out);
  if (node.items !== undefined) preservedPaths(node.items, `${path}[]`, out);
  if (node.additionalProperties !== undefined) preservedPaths(node.additionalProperties, `${path}{}`, out);
  return out;
}

describe('crdManifests', () => {
  const crds = crdManifests();
  const byKind = new Map(crds.map((crd) => [crd.spec.names.kind, crd]));

  it('declares the three kinds with Argo CD names', () => {
    expect(crds.map((crd) => crd.metadata.name)).toEqual([
      'applications.argoproj.io',
      'appprojects.argoproj.io',
      'applicationsets.argoproj.io',
    ]);
    expect(byKind.get('Application')?.spec.names).toMatchObject({
      plural: 'applications',
      singular: 'application',
      listKind: 'ApplicationList',
      shortNames: ['app', 'apps'],
    });
    expect(byKind.get('AppProject')?.spec.names.shortNames).toEqual(['appproj', 'appprojs']);
    expect(byKind.get('ApplicationSet')?.spec.names.shortNames).toEqual(['appset', 'appsets']);
    for (const crd of crds) {
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.group).toBe('argoproj.io');
      expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([['v1alpha1', true, true]]);
    }
  });

  it('gives only ApplicationSet a status subresource', () => {
    expect(byKind.get('Application')?.spec.versions[0]?.subresources).toBeUndefined();
    expect(byKind.get('AppProject')?.spec.versions[0]?.subresources).toBeUndefined();
    expect(byKind.get('ApplicationSet')?.spec.versions[0]?.subresources).toEqual({ status: {} });
  });

  it('prints sync status, health, revision and project for Applications', () => {
    expect(byKind.get('Application')?.spec.versions[0]?.additionalPrinterColumns).toEqual([
      { name: 'Sync Status', type: 'string', jsonPath: '.status.sync.status' },
      { name: 'Health Status', type: 'string', jsonPath: '.status.health.status' },
      { name: 'Revision', type: 'string', jsonPath: '.status.sync.revision', priority: 10 },
      { name: 'Project', type: 'string', jsonPath: '.spec.project', priority: 10 },
    ]);
  });

  it('uses structural schemas', () => {
    for (const crd of crds) {
      const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
      expect(schema, crd.metadata.name).toBeDefined();
      if (schema === undefined) continue;
      expect(structuralProblems(schema, '', []), crd.metadata.name).toEqual([]);
      expect(schema.type).toBe('object');
      expect(schema.properties?.['metadata']).toEqual({ type: 'object' });
      expect(schema.required).toEqual(['metadata', 'spec']);
    }
  });

  it('keeps content free-form only where it is meant to be', () => {
    const allowed = [
      /\.helm\.valuesObject$/,
      /\.list\.elements\[\]$/,
      /^\.spec\.generators\[\]\.(matrix|merge)\.generators\[\]\.(matrix|merge)$/,
      /\.plugin\.input\.parameters\{\}$/,
    ];
    for (const crd of crds) {
      const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
      if (schema === undefined) continue;
      for (const path of preservedPaths(schema, '', new Set())) {
        expect(
          allowed.some((pattern) => pattern.test(path)),
          `${crd.metadata.name}: ${path}`,
        ).toBe(true);
      }
    }
  });

  it('requires destination and project in an Application spec', () => {
    const spec = byKind.get('Application')?.spec.versions[0]?.schema.openAPIV3Schema.properties?.['spec'];
    expect(spec?.required).toEqual(['destination', 'project']);
  });
});

describe('committed CRD YAML', () => {
  it('matches what the code generates (run `npm run crds:gen -w @capstan/crds` to refresh)', () => {
    const files = crdFiles();
    const committed = readdirSync(manifestsDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(committed).toEqual(files.map((f) => f.fileName).sort());
    expect(files.map((f) => f.fileName)).toEqual([
      'application-crd.yaml',
      'appproject-crd.yaml',
      'applicationset-crd.yaml',
    ]);
    for (const file of files) {
      const text = readFileSync(manifestsDir + file.fileName, 'utf8');
      // Compare as text (exact bytes) but report only the first differing line: the files are big.
      if (text !== file.content) {
        const want = file.content.split('\n');
        const got = text.split('\n');
        const line = want.findIndex((l, i) => l !== got[i]);
        expect.fail(
          `${file.fileName} is stale at line ${line + 1}: committed ${JSON.stringify(got[line])}, ` +
            `generated ${JSON.stringify(want[line])}. Run npm run crds:gen -w @capstan/crds.`,
        );
      }
    }
  });

  it('parses back into the same objects', () => {
    const parsed = crdFiles().flatMap((file) => parseManifests(file.content));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(crdManifests())));
  });
});
