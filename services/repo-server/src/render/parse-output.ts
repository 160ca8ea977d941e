import { InvalidArgumentError } from '@capstan/errors';
import { parseManifests, type Manifest } from '@capstan/crds';

function isList(m: Manifest): boolean {
  return typeof m['kind'] === 'string' && m['kind'].endsWith('List') && 'items' in m && m['items'] === null;
}

/**
 * YAML or JSON text (one file, or a tool's output) to Kubernetes objects: multi-document, `List` kinds
 * expanded, empty documents and `items: null` lists dropped. A parse error names `origin` (a file path
 * relative to the repository, or the tool) and carries the parser's line and column.
 */
export function parseObjects(text: string, origin: string): Manifest[] {
  try {
    return parseManifests(text).filter((m) => !isList(m));
  } catch (err) {
    throw new InvalidArgumentError(`${origin}: ${(err as Error).message}`);
  }
}
