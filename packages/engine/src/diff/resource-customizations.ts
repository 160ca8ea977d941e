import { InvalidArgumentError } from '@capstan/errors';
import type { IgnoreResourceStatusField, OverrideIgnoreDiff } from './diff-options.ts';
import { isPlainObject } from './json-value.ts';
import { parseSimpleYaml } from './parse-simple-yaml.ts';

/** The diff settings of argocd-cm, ready for `DiffOptions`. */
export interface ResourceCustomizations {
  /** Keyed `group/Kind`, `Kind` (core group) or `*∕*` (the `.all` key). */
  readonly ignoreDifferences: Readonly<Record<string, OverrideIgnoreDiff>>;
  readonly ignoreResourceStatusField: IgnoreResourceStatusField;
  readonly ignoreAggregatedRoles: boolean;
}

const SPLIT_PREFIX = 'resource.customizations.ignoreDifferences.';

function stringList(value: unknown, field: string, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new InvalidArgumentError(`${where}: ${field} must be a list of strings`);
  }
  return value as string[];
}

/** Parses one `resource.customizations.ignoreDifferences.*` value (YAML or JSON). */
export function parseOverrideIgnoreDiff(text: string, where = 'ignoreDifferences'): OverrideIgnoreDiff {
  const value = parseSimpleYaml(text);
  if (value === null) return {};
  if (!isPlainObject(value)) throw new InvalidArgumentError(`${where}: expected a mapping`);
  const out: { -readonly [K in keyof OverrideIgnoreDiff]: OverrideIgnoreDiff[K] } = {};
  const jsonPointers = stringList(value['jsonPointers'], 'jsonPointers', where);
  const jqPathExpressions = stringList(value['jqPathExpressions'], 'jqPathExpressions', where);
  const managedFieldsManagers = stringList(value['managedFieldsManagers'], 'managedFieldsManagers', where);
  if (jsonPointers !== undefined) out.jsonPointers = jsonPointers;
  if (jqPathExpressions !== undefined) out.jqPathExpressions = jqPathExpressions;
  if (managedFieldsManagers !== undefined) out.managedFieldsManagers = managedFieldsManagers;
  return out;
}

/** `admissionregistration.k8s.io_MutatingWebhookConfiguration` → `…/MutatingWebhookConfiguration`; `all` → `*∕*`. */
function overrideKey(suffix: string, where: string): string {
  if (suffix === 'all') return '*/*';
  const parts = suffix.split('_');
  if (parts.length === 2) return `${parts[0]}/${parts[1]}`;
  if (parts.length === 1 && suffix !== '') return suffix;
  throw new InvalidArgumentError(`${where}: expected resource.customizations.ignoreDifferences.<group_Kind>`);
}

function statusField(value: unknown): IgnoreResourceStatusField {
  // YAML may read `off` or `false` as a boolean; they mean none, as does the explicit value.
  if (value === false || value === 'none' || value === 'off' || value === 'false') return 'none';
  if (value === 'crd') return 'crd';
  return 'all'; // '' / 'all' / anything unrecognised, as Argo CD does
}

/**
 * Reads the diff settings out of argocd-cm's data: the split keys
 * `resource.customizations.ignoreDifferences.<group_Kind>` / `.all`, the legacy `resource.customizations`
 * map (`group/Kind: {ignoreDifferences: <yaml>}`) which the split keys override, and `resource.compareoptions`.
 * Malformed values throw InvalidArgument naming the key.
 */
export function parseResourceCustomizations(data: Readonly<Record<string, string>>): ResourceCustomizations {
  const ignoreDifferences: Record<string, OverrideIgnoreDiff> = {};
  const legacy = data['resource.customizations'];
  if (legacy !== undefined && legacy.trim() !== '') {
    const value = parseSimpleYaml(legacy);
    if (value !== null && !isPlainObject(value)) {
      throw new InvalidArgumentError('resource.customizations: expected a mapping of group/Kind');
    }
    for (const [key, override] of Object.entries(value ?? {})) {
      if (!isPlainObject(override)) continue;
      const text = override['ignoreDifferences'];
      const where = `resource.customizations.${key}.ignoreDifferences`;
      if (typeof text === 'string') ignoreDifferences[key] = parseOverrideIgnoreDiff(text, where);
      else if (isPlainObject(text))
        ignoreDifferences[key] = parseOverrideIgnoreDiff(JSON.stringify(text), where);
    }
  }
  for (const [key, text] of Object.entries(data)) {
    if (!key.startsWith(SPLIT_PREFIX)) continue;
    ignoreDifferences[overrideKey(key.slice(SPLIT_PREFIX.length), key)] = parseOverrideIgnoreDiff(text, key);
  }
  let ignoreResourceStatusField: IgnoreResourceStatusField = 'all';
  let ignoreAggregatedRoles = false;
  const compare = data['resource.compareoptions'];
  if (compare !== undefined && compare.trim() !== '') {
    const value = parseSimpleYaml(compare);
    if (!isPlainObject(value)) throw new InvalidArgumentError('resource.compareoptions: expected a mapping');
    ignoreResourceStatusField = statusField(value['ignoreResourceStatusField'] ?? '');
    ignoreAggregatedRoles =
      value['ignoreAggregatedRoles'] === true || value['ignoreAggregatedRoles'] === 'true';
  }
  return { ignoreDifferences, ignoreResourceStatusField, ignoreAggregatedRoles };
}
