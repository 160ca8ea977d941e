// Every argoproj.io object in the seed article must validate unchanged, and the article's
// `kubectl patch` payloads must leave their targets valid.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatValidationErrors } from './format-validation-errors.ts';
import { parseManifests, type Manifest } from './parse-manifests.ts';
import { validateResource } from './validate-resource.ts';

// The seed is vendored in the repository (test/seed, copied from the project's shared/seed).
const seedDir = fileURLToPath(new URL('../../../test/seed/manifests/', import.meta.url));

function seedFiles(extension: string): string[] {
  if (!existsSync(seedDir)) {
    throw new Error(`seed manifests not found: looked in ${seedDir} (the repository's test/seed/manifests)`);
  }
  return readdirSync(seedDir)
    .filter((f) => f.endsWith(extension))
    .sort();
}

function readSeed(file: string): string {
  return readFileSync(seedDir + file, 'utf8');
}

function argoDocuments(): { file: string; doc: Manifest }[] {
  return seedFiles('.yaml').flatMap((file) =>
    parseManifests(readSeed(file))
      .filter((doc) => doc['apiVersion'] === 'argoproj.io/v1alpha1')
      .map((doc) => ({ file, doc })),
  );
}

function seedObject(kind: string, name: string): Manifest {
  const found = argoDocuments().find(
    ({ doc }) => doc['kind'] === kind && (doc['metadata'] as { name?: string }).name === name,
  );
  if (found === undefined) throw new Error(`no seed ${kind} named ${name} in ${seedDir}`);
  return found.doc;
}

/** RFC 7386 JSON merge patch, as `kubectl patch --type merge` applies it. */
function mergePatch(target: unknown, patch: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function expectValid(doc: unknown): Manifest {
  const result = validateResource(doc);
  if (!result.ok) expect.fail(formatValidationErrors(result));
  return result.value as unknown as Manifest;
}

describe('seed manifests', () => {
  it('finds the seed directory and its argoproj.io documents', () => {
    const kinds = argoDocuments().map(({ doc }) => doc['kind']);
    expect(kinds.filter((k) => k === 'Application')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'AppProject')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'ApplicationSet')).toHaveLength(5);
  });

  it('validates every Application, AppProject and ApplicationSet without pruning anything', () => {
    for (const { file, doc } of argoDocuments()) {
      const result = validateResource(doc);
      if (!result.ok) expect.fail(`${file}:\n${formatValidationErrors(result)}`);
      expect(result.unknownFields, file).toEqual([]);
      expect(result.value, file).toEqual(doc);
    }
  });

  it('keeps the seed Application valid after the ignoreDifferences merge patch (18)', () => {
    const patch: unknown = JSON.parse(readSeed('18-patch-ignore-differences.json'));
    for (const name of ['my-app', 'my-application']) {
      const patched = expectValid(mergePatch(seedObject('Application', name), patch));
      expect((patched['spec'] as Record<string, unknown>)['ignoreDifferences']).toEqual([
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      ]);
    }
  });

  it('keeps every seed ApplicationSet valid after the preserveResourcesOnDeletion merge patch (20)', () => {
    const patch: unknown = JSON.parse(readSeed('20-patch-preserve-resources-on-deletion.json'));
    const appSets = argoDocuments().filter(({ doc }) => doc['kind'] === 'ApplicationSet');
    expect(appSets.length).toBeGreaterThan(0);
    for (const { file, doc } of appSets) {
      const patched = expectValid(mergePatch(doc, patch));
      expect(patched['spec'], file).toMatchObject({ syncPolicy: { preserveResourcesOnDeletion: true } });
    }
  });

  it('treats patch 20 applied to an Application as Kubernetes would: valid, field pruned', () => {
    const patch: unknown = JSON.parse(readSeed('20-patch-preserve-resources-on-deletion.json'));
    const result = validateResource(mergePatch(seedObject('Application', 'my-app'), patch));
    expect(result.ok).toBe(true);
    expect(result.unknownFields).toEqual(['spec.syncPolicy.preserveResourcesOnDeletion']);
  });

  it('recognises patch 19 as an RFC 6902 patch for a Deployment, not an Application payload', () => {
    const patch: unknown = JSON.parse(readSeed('19-patch-repo-server-memory-limit.json'));
    expect(patch).toEqual([
      { op: 'replace', path: '/spec/template/spec/containers/0/resources/limits/memory', value: '4Gi' },
    ]);
    // Misapplied as a merge patch, an array replaces the whole object, which must not pass.
    const result = validateResource(mergePatch(seedObject('Application', 'my-app'), patch));
    expect(result.ok).toBe(false);
  });
});
