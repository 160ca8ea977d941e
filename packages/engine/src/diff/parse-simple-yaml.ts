import { parse } from 'yaml';

/**
 * Parses an argocd-cm value (YAML or JSON). Duplicate keys are an error, as in Argo CD's strict YAML;
 * an empty value is null.
 */
export function parseSimpleYaml(text: string): unknown {
  return parse(text, { uniqueKeys: true, strict: true }) ?? null;
}
