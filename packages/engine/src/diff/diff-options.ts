import type { ResourceIgnoreDifferences } from '@capstan/crds';
import picomatch from 'picomatch';
import { parseJsonPointer } from './json-pointer.ts';

/** What `resource.customizations.ignoreDifferences.<group_Kind>` (or `.all`) holds in argocd-cm. */
export interface OverrideIgnoreDiff {
  jsonPointers?: readonly string[];
  jqPathExpressions?: readonly string[];
  managedFieldsManagers?: readonly string[];
}

/** `resource.compareoptions.ignoreResourceStatusField`: whose `/status` is left out of comparisons. */
export type IgnoreResourceStatusField = 'all' | 'crd' | 'none';

export type TrackingMethod = 'annotation' | 'label' | 'annotation+label';

export interface DiffOptions {
  /** The Application's `spec.ignoreDifferences`. */
  ignoreDifferences?: readonly ResourceIgnoreDifferences[];
  /**
   * System-level rules from argocd-cm, keyed `group/Kind`, `Kind` (core group) or `*∕*` (the `.all` key; `all`
   * is accepted too). See `parseResourceCustomizations`.
   */
  systemIgnoreDifferences?: Readonly<Record<string, OverrideIgnoreDiff>>;
  /** @default 'all' */
  ignoreResourceStatusField?: IgnoreResourceStatusField;
  /** Ignore `rules` of ClusterRoles/Roles that have an `aggregationRule`. @default false */
  ignoreAggregatedRoles?: boolean;
  /** `application.instanceLabelKey`. @default 'app.kubernetes.io/instance' */
  appInstanceLabelKey?: string;
  /** `application.resourceTrackingMethod`. @default 'annotation' */
  trackingMethod?: TrackingMethod;
  /** List the changed paths of modified resources in `ResourceDiff.diff`. @default false */
  includeDiff?: boolean;
}

/** The ignore rules that apply to one object. */
export interface IgnorePlan {
  readonly pointers: readonly (readonly string[])[];
  readonly jqPathExpressions: readonly string[];
  readonly managedFieldsManagers: readonly string[];
  /** Pointers of the rules that were not valid RFC 6901 pointers (reported, then skipped). */
  readonly invalidPointers: readonly string[];
}

interface CompiledRule {
  readonly group: (group: string) => boolean;
  readonly kind: (kind: string) => boolean;
  readonly name: string;
  readonly namespace: string;
  readonly plan: IgnorePlan;
}

const EMPTY_PLAN: IgnorePlan = Object.freeze({
  pointers: [],
  jqPathExpressions: [],
  managedFieldsManagers: [],
  invalidPointers: [],
});

function globMatcher(pattern: string): (value: string) => boolean {
  // Argo CD's glob has no path separator, so `*` spans dots as well; a plain string is an exact match.
  if (!/[*?[\]{}!]/.test(pattern)) return (value) => value === pattern;
  const isMatch = picomatch(pattern, { dot: true });
  return (value) => isMatch(value);
}

function compileRule(
  rule: ResourceIgnoreDifferences | (OverrideIgnoreDiff & { group: string; kind: string }),
): CompiledRule {
  const pointers: string[][] = [];
  const invalidPointers: string[] = [];
  for (const pointer of rule.jsonPointers ?? []) {
    const tokens = parseJsonPointer(pointer);
    if (tokens === undefined || tokens.length === 0) invalidPointers.push(pointer);
    else pointers.push(tokens);
  }
  return {
    group: globMatcher(rule.group ?? ''),
    kind: globMatcher(rule.kind),
    name: 'name' in rule ? (rule.name ?? '') : '',
    namespace: 'namespace' in rule ? (rule.namespace ?? '') : '',
    plan: {
      pointers,
      jqPathExpressions: [...(rule.jqPathExpressions ?? [])],
      managedFieldsManagers: [...(rule.managedFieldsManagers ?? [])],
      invalidPointers,
    },
  };
}

/** `group/Kind`, `Kind` (core group), `*∕*` or `all` → group and kind patterns. */
export function splitOverrideKey(key: string): { group: string; kind: string } {
  if (key === 'all') return { group: '*', kind: '*' };
  const slash = key.lastIndexOf('/');
  return slash < 0 ? { group: '', kind: key } : { group: key.slice(0, slash), kind: key.slice(slash + 1) };
}

function mergePlans(plans: readonly IgnorePlan[]): IgnorePlan {
  if (plans.length === 0) return EMPTY_PLAN;
  if (plans.length === 1) return plans[0] ?? EMPTY_PLAN;
  return {
    pointers: plans.flatMap((p) => p.pointers),
    jqPathExpressions: plans.flatMap((p) => p.jqPathExpressions),
    managedFieldsManagers: plans.flatMap((p) => p.managedFieldsManagers),
    invalidPointers: plans.flatMap((p) => p.invalidPointers),
  };
}

const CRD_GROUP = 'apiextensions.k8s.io';

function buildRules(options: DiffOptions): CompiledRule[] {
  const rules: CompiledRule[] = (options.ignoreDifferences ?? []).map((rule) => compileRule(rule));
  for (const [key, value] of Object.entries(options.systemIgnoreDifferences ?? {})) {
    rules.push(compileRule({ ...splitOverrideKey(key), ...value }));
  }
  switch (options.ignoreResourceStatusField ?? 'all') {
    case 'all':
      rules.push(compileRule({ group: '*', kind: '*', jsonPointers: ['/status'] }));
      break;
    case 'crd':
      rules.push(
        compileRule({ group: CRD_GROUP, kind: 'CustomResourceDefinition', jsonPointers: ['/status'] }),
      );
      break;
    case 'none':
      break;
  }
  return rules;
}

/** Options resolved once per Application, reused for every pair it compares. */
export class CompiledDiffOptions {
  readonly ignoreAggregatedRoles: boolean;
  readonly appInstanceLabelKey: string;
  readonly trackingMethod: TrackingMethod;
  readonly includeDiff: boolean;
  /** True when some rule has jq expressions, so `diffResource` may need the async path. */
  readonly hasJq: boolean;
  private readonly rules: readonly CompiledRule[];
  // Candidate rules per group/kind, and the merged plan when none of them narrows by name or namespace.
  private readonly byGroupKind = new Map<string, { rules: readonly CompiledRule[]; plan?: IgnorePlan }>();

  constructor(options: DiffOptions = {}) {
    const rules = buildRules(options);
    this.rules = rules;
    this.ignoreAggregatedRoles = options.ignoreAggregatedRoles ?? false;
    this.appInstanceLabelKey = options.appInstanceLabelKey ?? 'app.kubernetes.io/instance';
    this.trackingMethod = options.trackingMethod ?? 'annotation';
    this.includeDiff = options.includeDiff ?? false;
    this.hasJq = rules.some((r) => r.plan.jqPathExpressions.length > 0);
  }

  /** The merged rules for an object: Application rules, then system rules, then the default `/status` rule. */
  planFor(group: string, kind: string, namespace: string, name: string): IgnorePlan {
    const gk = `${group}/${kind}`;
    let entry = this.byGroupKind.get(gk);
    if (entry === undefined) {
      const rules = this.rules.filter((r) => r.group(group) && r.kind(kind));
      entry = { rules };
      if (rules.every((r) => r.name === '' && r.namespace === ''))
        entry.plan = mergePlans(rules.map((r) => r.plan));
      if (this.byGroupKind.size > 4096) this.byGroupKind.clear();
      this.byGroupKind.set(gk, entry);
    }
    if (entry.plan !== undefined) return entry.plan;
    return mergePlans(
      entry.rules
        .filter(
          (r) => (r.name === '' || r.name === name) && (r.namespace === '' || r.namespace === namespace),
        )
        .map((r) => r.plan),
    );
  }
}

export function compileDiffOptions(options: DiffOptions = {}): CompiledDiffOptions {
  return new CompiledDiffOptions(options);
}
