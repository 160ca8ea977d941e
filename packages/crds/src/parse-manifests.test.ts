import { describe, expect, it } from 'vitest';
import { ManifestParseError } from './manifest-parse-error.ts';
import { parseManifests } from './parse-manifests.ts';

describe('parseManifests', () => {
  it('reads multi-document YAML and skips empty and comment-only documents', () => {
    const text = [
      '---',
      '# just a comment',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: a}',
      '---',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: b',
      '...',
      '',
    ].join('\n');
    expect(parseManifests(text).map((m) => (m['metadata'] as { name: string }).name)).toEqual(['a', 'b']);
  });

  it('reads JSON and returns nothing for empty text', () => {
    expect(parseManifests('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}')).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
    ]);
    expect(parseManifests('')).toEqual([]);
    expect(parseManifests('# nothing here\n')).toEqual([]);
  });

  it('expands List and typed lists, filling in apiVersion and kind for typed ones', () => {
    const text = `
apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: one}}
  - apiVersion: v1
    kind: List
    items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: two}}]
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationList
items:
  - metadata: {name: three}
  - {apiVersion: argoproj.io/v1alpha1, kind: Application, metadata: {name: four}}
`;
    expect(parseManifests(text)).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'three' } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'four' } },
    ]);
  });

  it('keeps strings that look like other types when quoted, and YAML 1.2 scalars otherwise', () => {
    const [doc] = parseManifests("a: 'yes'\nb: yes\nc: '1'\nd: 1\ne: 65.1.0\nf: 0o17\n");
    expect(doc).toEqual({ a: 'yes', b: 'yes', c: '1', d: 1, e: '65.1.0', f: 15 });
  });

  it('reports the document that fails', () => {
    const bad = 'kind: A\n---\nkind: [unclosed\n';
    expect(() => parseManifests(bad)).toThrow(ManifestParseError);
    expect(() => parseManifests(bad)).toThrow(/^document 2: /);
    try {
      parseManifests(bad);
    } catch (error) {
      expect(error).toMatchObject({ code: 'InvalidArgument', documentIndex: 2, details: { document: 2 } });
    }
    expect(() => parseManifests('a: 1\na: 2\n')).toThrow(/document 1: .*[Uu]nique/);
    expect(() => parseManifests('- just\n- a list\n')).toThrow(
      'document 1: expected a Kubernetes object, got an array',
    );
    expect(() => parseManifests('---\nplain scalar\n')).toThrow(
      'document 1: expected a Kubernetes object, got string',
    );
    expect(() => parseManifests('kind: List\nitems: [1]\n')).toThrow(
      'document 1: List item 0 is not an object',
    );
  });
});
