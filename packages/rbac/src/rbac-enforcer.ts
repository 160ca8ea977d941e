import { BUILTIN_POLICY_CSV } from './builtin-policy.ts';
import { subjectsFromClaims, type TokenClaims } from './claims.ts';
import { PatternCompiler, type MatchMode } from './compile-pattern.ts';
import { DecisionCache } from './decision-cache.ts';
import { parsePolicyCsv } from './parse-policy-csv.ts';
import type { PolicyDiagnostic } from './policy-diagnostic.ts';
import {
  allowedBy,
  compileLines,
  PolicyIndex,
  type CompiledLines,
  type Query,
  type ReachableRules,
} from './policy-index.ts';
import { projectPolicies, type AppProjectLike } from './project-policies.ts';
import { parseRbacConfig, type ConfigMapData, type RbacConfig } from './rbac-config.ts';
import type { RbacRequest } from './rbac-request.ts';
import { parseProjectSubject, PROJECT_SCOPED_RESOURCES, requestProject, RbacResource } from './resources.ts';

export interface RbacEnforcerOptions {
  /**
   * How many decisions to remember (default 50,000, rounded up to a power of two times 8; the least
   * recently used entry of a set goes first); 0 disables the cache.
   */
  readonly cacheSize?: number;
}

/**
 * For one user and group list under one policy index: the rules of the user and of each group Argo CD
 * would consult (those that are `g` members), in that order. The checks of one API call share it.
 */
interface Principal {
  readonly subject: string;
  /** A copy of the groups, and the array they were copied from. */
  readonly groups: readonly string[];
  readonly groupsRef: readonly string[];
  readonly index: PolicyIndex;
  readonly reachable: readonly ReachableRules[];
}

const NO_GROUPS: readonly string[] = [];

function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The `project` of a Query (see there): '' for a project-scoped object without a project. */
function confinement(resource: string, project: string | undefined): string | undefined {
  if (project !== undefined) return project;
  return PROJECT_SCOPED_RESOURCES.has(resource) ? '' : undefined;
}

interface ProjectEntry {
  readonly project: AppProjectLike;
  readonly lines: ReturnType<typeof projectPolicies>['lines'];
  readonly diagnostics: readonly PolicyDiagnostic[];
  /** Built on first use: the global policy plus this project's roles. */
  index: PolicyIndex | undefined;
}

// Resources whose objects always start with the project; for these a project token is held to its own
// project even when the request names a project Capstan does not know.
const APP_SCOPED: ReadonlySet<string> = new Set([
  RbacResource.applications,
  RbacResource.applicationSets,
  RbacResource.logs,
  RbacResource.exec,
  RbacResource.projects,
]);

/**
 * Argo CD's RBAC enforcer: the built-in roles, the policy of `argocd-rbac-cm` and the roles of
 * AppProjects, evaluated exactly as Argo CD's API server does:
 *
 * 1. The default role (`policy.default`) is checked first; if it allows, that is final (a deny
 *    elsewhere cannot take it away).
 * 2. A project token (`proj:<p>:<r>`) on a request about a known project is checked against that
 *    project's roles only if `<p>` is that project; otherwise it is denied.
 * 3. The user, then each of the user's groups that is the member of some `g` line (Argo CD ignores the
 *    other groups), is checked on its own; the first one allowed wins. Within one check, every rule of
 *    the subject and of the roles it reaches through `g` lines counts, and any matching deny wins over
 *    any allow.
 *
 * Requests about a project (`<project>/…` objects of applications, applicationsets, logs, exec,
 * clusters, repositories, or the project itself) also see that project's role policies and groups.
 * Decisions are cached (see DecisionCache), and the cache is cleared whenever the policy or a project
 * changes.
 */
export class RbacEnforcer {
  #config: RbacConfig = parseRbacConfig({});
  #compiler = new PatternCompiler('glob');
  #global: CompiledLines = { rules: [], grouping: [] };
  #index: PolicyIndex = new PolicyIndex([], true);
  #configDiagnostics: readonly PolicyDiagnostic[] = [];
  readonly #projects = new Map<string, ProjectEntry>();
  readonly #cache: DecisionCache;
  #lastPrincipal: Principal | undefined;
  /** The project of the previous request; consecutive checks are usually about the same one. */
  #lastProject: { readonly name: string; readonly entry: ProjectEntry | undefined } | undefined;

  constructor(options: RbacEnforcerOptions = {}) {
    this.#cache = new DecisionCache(options.cacheSize ?? 50_000);
    this.setConfig(this.#config);
  }

  /** Loads `argocd-rbac-cm` data. Returns what was wrong with it (bad lines are ignored). */
  setConfigMap(data: ConfigMapData): readonly PolicyDiagnostic[] {
    return this.setConfig(parseRbacConfig(data));
  }

  /** Loads an already parsed configuration. Returns what was wrong with it (bad lines are ignored). */
  setConfig(config: RbacConfig): readonly PolicyDiagnostic[] {
    const compiler = new PatternCompiler(config.matchMode);
    const diagnostics: PolicyDiagnostic[] = [...config.diagnostics];
    const lines = [];
    for (const { source, csv } of [
      { source: 'builtin-policy.csv', csv: BUILTIN_POLICY_CSV },
      ...config.policies,
    ]) {
      const parsed = parsePolicyCsv(csv, source);
      lines.push(...parsed.lines);
      diagnostics.push(...parsed.diagnostics);
    }
    const compiled = compileLines(lines, compiler);
    // In regex mode the built-in `*` patterns are invalid, as they are in Argo CD (argo-cd#13127).
    diagnostics.push(...compiled.diagnostics);
    this.#config = config;
    this.#compiler = compiler;
    this.#global = compiled;
    this.#index = new PolicyIndex([compiled], config.matchMode === 'glob');
    this.#configDiagnostics = diagnostics;
    for (const entry of this.#projects.values()) entry.index = undefined;
    this.#forget();
    return diagnostics;
  }

  /** Replaces the known AppProjects. Returns the problems found in their roles. */
  setProjects(projects: Iterable<AppProjectLike>): readonly PolicyDiagnostic[] {
    this.#projects.clear();
    const diagnostics: PolicyDiagnostic[] = [];
    for (const project of projects) diagnostics.push(...this.#addProject(project));
    this.#forget();
    return diagnostics;
  }

  /** Adds or replaces one AppProject (e.g. from a watch event). */
  setProject(project: AppProjectLike): readonly PolicyDiagnostic[] {
    const diagnostics = this.#addProject(project);
    this.#forget();
    return diagnostics;
  }

  /** Forgets an AppProject. */
  deleteProject(name: string): void {
    if (this.#projects.delete(name)) this.#forget();
  }

  /** Drops everything derived from the policy or the projects: cached decisions and memos. */
  #forget(): void {
    this.#cache.clear();
    this.#lastPrincipal = undefined;
    this.#lastProject = undefined;
  }

  #addProject(project: AppProjectLike): readonly PolicyDiagnostic[] {
    const { lines, diagnostics } = projectPolicies(project);
    const name = project.metadata.name ?? '';
    if (name !== '') this.#projects.set(name, { project, lines, diagnostics, index: undefined });
    return diagnostics;
  }

  #projectIndex(entry: ProjectEntry): PolicyIndex {
    if (entry.index === undefined) {
      const compiled = compileLines(entry.lines, this.#compiler);
      entry.index = new PolicyIndex([this.#global, compiled], this.#compiler.mode === 'glob');
    }
    return entry.index;
  }

  get defaultRole(): string {
    return this.#config.defaultRole;
  }

  get scopes(): readonly string[] {
    return this.#config.scopes;
  }

  get matchMode(): MatchMode {
    return this.#config.matchMode;
  }

  /** Everything wrong with the current configuration and projects. */
  get diagnostics(): readonly PolicyDiagnostic[] {
    const all = [...this.#configDiagnostics];
    for (const entry of this.#projects.values()) all.push(...entry.diagnostics);
    return all;
  }

  /** Decision-cache counters. */
  get cacheStats(): { readonly hits: number; readonly misses: number; readonly size: number } {
    return { ...this.#cache.stats, size: this.#cache.size };
  }

  /** Whether the user (with their groups) may perform `action` on `resource` `object`. */
  enforce(request: RbacRequest): boolean {
    const cached = this.#cache.get(request);
    if (cached !== undefined) return cached;
    const decision = this.#decide(request);
    this.#cache.set(request, decision);
    return decision;
  }

  /** `enforce` for decoded token claims: the subject and groups are read with the configured scopes. */
  enforceClaims(claims: TokenClaims, resource: string, action: string, object: string): boolean {
    const { subject, groups } = subjectsFromClaims(claims, this.#config.scopes);
    return this.enforce({ subject, groups, resource, action, object });
  }

  /**
   * The check for one named subject (a user, group or role) with the default role, against the global
   * policy only: what `argocd admin settings rbac can <subject>` answers. Not cached.
   */
  enforceSubject(subject: string, resource: string, action: string, object: string): boolean {
    const query: Query = {
      resource,
      action,
      object,
      project: confinement(resource, requestProject(resource, object)),
    };
    const defaultRole = this.#config.defaultRole;
    if (defaultRole !== '' && this.#index.allows(defaultRole, query)) return true;
    return this.#index.allows(subject, query);
  }

  /** The request's project (see `requestProject`) and its entry, reusing the previous request's. */
  #project(
    resource: string,
    object: string,
  ): { readonly name: string; readonly entry: ProjectEntry | undefined } | undefined {
    if (resource === RbacResource.projects) {
      return { name: object, entry: this.#projects.get(object) };
    }
    if (!PROJECT_SCOPED_RESOURCES.has(resource)) return undefined;
    const last = this.#lastProject;
    if (
      last !== undefined &&
      object.startsWith(last.name) &&
      object.charCodeAt(last.name.length) === 0x2f /* / */
    )
      return last;
    const name = requestProject(resource, object);
    if (name === undefined) return undefined;
    return (this.#lastProject = { name, entry: this.#projects.get(name) });
  }

  #principal(subject: string, groups: readonly string[], index: PolicyIndex): Principal {
    const last = this.#lastPrincipal;
    // Same array and strings as the previous check (one API call): pointer comparisons. The contents
    // are still compared, so a reused, mutated array is not trusted.
    if (
      last !== undefined &&
      last.index === index &&
      last.groupsRef === groups &&
      last.subject === subject &&
      sameGroups(last.groups, groups)
    ) {
      return last;
    }
    const reachable: ReachableRules[] = [];
    const own = index.reachable(subject);
    if (own !== undefined) reachable.push(own);
    for (const group of groups) {
      // Argo CD consults only the groups that are the member of some `g` line (argo-cd#7952).
      const rules = index.isGroupingMember(group) ? index.reachable(group) : undefined;
      if (rules !== undefined) reachable.push(rules);
    }
    return (this.#lastPrincipal = { subject, groups: groups.slice(), groupsRef: groups, index, reachable });
  }

  #decide(request: RbacRequest): boolean {
    const { subject, resource, action, object } = request;
    const project = this.#project(resource, object);
    const projectName = project?.name;
    const query: Query = { resource, action, object, project: confinement(resource, projectName) };
    const defaultRole = this.#config.defaultRole;
    const global = this.#index;
    if (defaultRole !== '' && global.allows(defaultRole, query)) return true;

    const entry = project?.entry;
    const index = entry === undefined ? global : this.#projectIndex(entry);
    const token = parseProjectSubject(subject);
    if (
      token !== undefined &&
      projectName !== undefined &&
      (entry !== undefined || APP_SCOPED.has(resource))
    ) {
      if (token.project !== projectName) return false;
      if (entry !== undefined) {
        // Argo CD checks a project token against the project's policy alone: no groups.
        if (defaultRole !== '' && index.allows(defaultRole, query)) return true;
        return index.allows(subject, query);
      }
    }
    if (index !== global && defaultRole !== '' && index.allows(defaultRole, query)) return true;
    // The user, then each group, on its own: the first one allowed wins.
    for (const rules of this.#principal(subject, request.groups ?? NO_GROUPS, index).reachable) {
      if (allowedBy(rules, query)) return true;
    }
    return false;
  }
}
