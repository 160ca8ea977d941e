// Reads what `kubectl apply -f` reads: a YAML stream (documents separated by `---`) or JSON, with
// `kind: List` wrappers expanded. Documents that are empty or only comments are skipped.
import { parseAllDocuments } from 'yaml';
import { ManifestParseError } from './manifest-parse-error.ts';

export type Manifest = Record<string, unknown>;

function isPlainObject(value: unknown): value is Manifest {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `kind: List` (kubectl's generic list) and typed lists such as `ApplicationList` hold their objects
 * in `items`. Typed lists from the API omit each item's apiVersion/kind, so they are filled in.
 */
function expandList(doc: Manifest, documentIndex: number): Manifest[] {
  const { kind, apiVersion, items } = doc;
  if (typeof kind !== 'string' || !kind.endsWith('List') || !Array.isArray(items)) return [doc];
  const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  return items.flatMap((item, i) => {
    if (!isPlainObject(item)) {
      throw new ManifestParseError(documentIndex, `${kind} item ${i} is not an object`);
    }
    if (itemKind === undefined) return expandList(item, documentIndex);
    const filled: Manifest = { ...item };
    if (filled['apiVersion'] === undefined && apiVersion !== undefined) filled['apiVersion'] = apiVersion;
    if (filled['kind'] === undefined) filled['kind'] = itemKind;
    return [filled];
  });
}

export function parseManifests(text: string): Manifest[] {
  const manifests: Manifest[] = [];
  // JSON is YAML 1.2, so one parser serves both. Duplicate keys are an error, as in kubectl.
  const docs = parseAllDocuments(text, { uniqueKeys: true, merge: true });
  if (!Array.isArray(docs)) {
    // An empty stream with only directives or comments comes back as an EmptyStream.
    return manifests;
  }
  docs.forEach((doc, i) => {
    const index = i + 1;
    const problem = doc.errors[0];
    if (problem !== undefined) throw new ManifestParseError(index, problem.message);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    if (!isPlainObject(value)) {
      throw new ManifestParseError(
        index,
        `expected a Kubernetes object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
      );
    }
    manifests.push(...expandList(value, index));
  });
  return manifests;
}
