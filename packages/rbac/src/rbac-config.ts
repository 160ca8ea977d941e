import { parse as parseYaml } from 'yaml';
import type { MatchMode } from './compile-pattern.ts';
import type { PolicyDiagnostic } from './policy-diagnostic.ts';

/** The keys of `argocd-rbac-cm`. */
export const RbacConfigKey = {
  policyCsv: 'policy.csv',
  policyDefault: 'policy.default',
  scopes: 'scopes',
  matchMode: 'policy.matchMode',
} as const;

/** The claims consulted for groups when `scopes` is not set. */
export const DEFAULT_SCOPES: readonly string[] = ['groups'];

/** `argocd-rbac-cm` read into the parts the enforcer needs. */
export interface RbacConfig {
  /** `policy.csv` first, then every `policy.<name>.csv` in key order, each with its key as source. */
  readonly policies: readonly { readonly source: string; readonly csv: string }[];
  /** `policy.default`: the role every authenticated (or anonymous) user has; '' for none. */
  readonly defaultRole: string;
  /** `scopes`: the token claims whose values count as the user's groups. */
  readonly scopes: readonly string[];
  readonly matchMode: MatchMode;
  /** Problems with the non-policy keys (policy lines are checked when compiled). */
  readonly diagnostics: readonly PolicyDiagnostic[];
}

/** ConfigMap data: a plain object (from JSON) or a Map. Only own keys are read. */
export type ConfigMapData = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

function entries(data: ConfigMapData): [string, string][] {
  if (data instanceof Map) return [...(data as ReadonlyMap<string, string>).entries()];
  return Object.entries(data as Readonly<Record<string, string>>).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
}

/**
 * Reads `argocd-rbac-cm` data as Argo CD does: the policy is `policy.csv` followed by each
 * `policy.<anything>.csv` sorted by key; `policy.matchMode` is `regex` or else glob; `scopes` is a YAML
 * list (`[groups, email]`), `[groups]` when empty.
 */
export function parseRbacConfig(data: ConfigMapData): RbacConfig {
  const values = new Map(entries(data));
  const diagnostics: PolicyDiagnostic[] = [];
  const report = (
    key: string,
    text: string,
    message: string,
    severity: 'error' | 'warning' = 'warning',
  ): void => {
    diagnostics.push({ severity, source: key, line: 1, text, message });
  };

  const policies: { source: string; csv: string }[] = [];
  const main = values.get(RbacConfigKey.policyCsv);
  if (main !== undefined) policies.push({ source: RbacConfigKey.policyCsv, csv: main });
  const overlays = [...values.keys()]
    .filter((k) => k.startsWith('policy.') && k.endsWith('.csv') && k !== RbacConfigKey.policyCsv)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of overlays) policies.push({ source: key, csv: values.get(key)! });

  const defaultRole = values.get(RbacConfigKey.policyDefault) ?? '';
  if (defaultRole !== defaultRole.trim()) {
    report(
      RbacConfigKey.policyDefault,
      defaultRole,
      'the default role has surrounding white space, which is part of its name',
    );
  }

  const modeValue = values.get(RbacConfigKey.matchMode) ?? '';
  const matchMode: MatchMode = modeValue === 'regex' ? 'regex' : 'glob';
  if (modeValue !== '' && modeValue !== 'regex' && modeValue !== 'glob') {
    report(RbacConfigKey.matchMode, modeValue, 'unknown match mode, using glob');
  }

  return {
    policies,
    defaultRole,
    scopes: parseScopes(values.get(RbacConfigKey.scopes), report),
    matchMode,
    diagnostics,
  };
}

// An unreadable `scopes` falls back to no group claims at all (never to a default that might grant more).
function parseScopes(
  value: string | undefined,
  report: (key: string, text: string, message: string, severity: 'error') => void,
): readonly string[] {
  if (value === undefined || value === '') return DEFAULT_SCOPES;
  let parsed: unknown;
  try {
    parsed = parseYaml(value);
  } catch (err) {
    report(
      RbacConfigKey.scopes,
      value,
      `not valid YAML (${(err as Error).message}); no claim counts as a group`,
      'error',
    );
    return [];
  }
  // The documentation allows a single string as well as a list.
  if (typeof parsed === 'string') return [parsed];
  if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) return parsed;
  if (parsed === null) return DEFAULT_SCOPES;
  report(
    RbacConfigKey.scopes,
    value,
    'scopes must be a list of claim names; no claim counts as a group',
    'error',
  );
  return [];
}
