/**
 * A problem found while reading policy lines. `error`: the line was ignored (it grants and denies
 * nothing). `warning`: the line is kept but probably does not do what its author meant (Argo CD reads it
 * the same way, e.g. a subject with a trailing space, or a glob that cannot match).
 */
export interface PolicyDiagnostic {
  readonly severity: 'error' | 'warning';
  /** Where the line came from: a ConfigMap key (`policy.csv`, `policy.team.csv`), or `AppProject <name>`. */
  readonly source: string;
  /** 1-based line number within the source (for an AppProject: within the role's list named in `path`). */
  readonly line: number;
  /** For AppProject lines: the field the line came from, e.g. `spec.roles[0].policies[2]`. */
  readonly path?: string;
  readonly text: string;
  readonly message: string;
}

/** `policy.csv:3: invalid RBAC policy line: …` — one line per diagnostic, for logs and CLI output. */
export function formatDiagnostic(d: PolicyDiagnostic): string {
  const where = d.path === undefined ? `${d.source}:${d.line}` : `${d.source} ${d.path}`;
  return `${where}: ${d.severity}: ${d.message}: ${JSON.stringify(d.text)}`;
}
