import { InvalidArgumentError, type CapstanError } from '@capstan/errors';
import { parse } from 'yaml';
import type { HelmChartVersion } from './helm-repo-types.ts';
import { sortNewestFirst } from './select-version.ts';

export interface ParsedIndex {
  /** Chart name → its versions, newest first. */
  readonly charts: ReadonlyMap<string, readonly HelmChartVersion[]>;
  /** Entries left out because they were not a mapping or had no version (Helm skips them too). */
  readonly skipped: number;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

function maintainerNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((m: unknown) => (m instanceof Map ? text(m.get('name')) || text(m.get('email')) : text(m)))
    .filter((name) => name !== '');
}

function chartVersion(name: string, entry: ReadonlyMap<unknown, unknown>): HelmChartVersion | undefined {
  const version = text(entry.get('version')).trim();
  if (version === '') return undefined;
  return {
    name,
    version,
    appVersion: text(entry.get('appVersion')),
    description: text(entry.get('description')),
    digest: text(entry.get('digest')),
    urls: texts(entry.get('urls')),
    created: text(entry.get('created')),
    home: text(entry.get('home')),
    maintainers: maintainerNames(entry.get('maintainers')),
  };
}

/**
 * Reads a repository's index.yaml. Every scalar is read as text (YAML's failsafe schema), so versions
 * like `1.10` or digests of digits stay exactly as written. Malformed text, or a document without an
 * `entries` mapping of lists, is an InvalidArgumentError naming `repo`.
 */
export function parseIndex(source: string, repo: string): ParsedIndex {
  const malformed = (reason: string): CapstanError =>
    new InvalidArgumentError(`malformed index.yaml at ${repo}: ${reason}`, { details: { repo } });
  let doc: unknown;
  try {
    doc = parse(source, { schema: 'failsafe', mapAsMap: true });
  } catch (err) {
    const reason = err instanceof Error ? (err.message.split('\n')[0] ?? '') : 'unreadable YAML';
    throw malformed(reason);
  }
  if (!(doc instanceof Map)) throw malformed('the document is not a mapping');
  const entries: unknown = doc.get('entries');
  const charts = new Map<string, HelmChartVersion[]>();
  if (entries === undefined || entries === '') return { charts, skipped: 0 };
  if (!(entries instanceof Map)) throw malformed('"entries" is not a mapping');
  let skipped = 0;
  for (const [key, list] of entries as Map<unknown, unknown>) {
    const name = text(key);
    if (name === '') throw malformed('a chart under "entries" has no name');
    if (list === '') continue;
    if (!Array.isArray(list)) throw malformed(`"entries.${name}" is not a list`);
    const versions: HelmChartVersion[] = [];
    for (const item of list as unknown[]) {
      const version = item instanceof Map ? chartVersion(name, item) : undefined;
      if (version === undefined) skipped++;
      else versions.push(version);
    }
    if (versions.length > 0) charts.set(name, sortNewestFirst(versions));
  }
  return { charts, skipped };
}
