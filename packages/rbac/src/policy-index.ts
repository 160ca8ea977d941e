import { isGlobLiteral } from './compile-glob.ts';
import type { PatternCompiler } from './compile-pattern.ts';
import type { Pattern } from './pattern.ts';
import type { PolicyDiagnostic } from './policy-diagnostic.ts';
import type { PermissionLine, PolicyLine } from './policy-line.ts';
import { parseProjectSubject } from './resources.ts';

/** One `p` line with its patterns compiled. */
export interface CompiledRule {
  readonly resource: Pattern;
  readonly action: Pattern;
  readonly object: Pattern;
  readonly allow: boolean;
  /**
   * For an allow line whose subject is a project role (`proj:<p>:<r>`): the project it may grant in.
   * A project role only ever grants on its own project's objects, whatever the object pattern says.
   */
  readonly confinedTo: string | undefined;
  readonly line: PermissionLine;
}

/**
 * Every rule a subject reaches (its own and its roles'), split so the rules of a literal resource are
 * found by one lookup instead of a scan.
 */
export interface ReachableRules {
  readonly byResource: Map<string, CompiledRule[]>;
  readonly other: CompiledRule[];
}

/** The compiled form of a set of policy lines, ready to be indexed together with other sets. */
export interface CompiledLines {
  readonly rules: readonly CompiledRule[];
  readonly grouping: readonly (readonly [member: string, role: string])[];
}

// Casbin's default role manager follows at most ten `g` links from the subject.
const MAX_HIERARCHY_LEVEL = 10;

/**
 * Compiles parsed lines with the given pattern compiler. Patterns that cannot compile are reported
 * (with the line's origin); the rule is kept so it behaves exactly as in Argo CD (see PatternCompiler.compile).
 */
export function compileLines(
  lines: readonly PolicyLine[],
  compiler: PatternCompiler,
): CompiledLines & { diagnostics: PolicyDiagnostic[] } {
  const rules: CompiledRule[] = [];
  const grouping: (readonly [string, string])[] = [];
  const diagnostics: PolicyDiagnostic[] = [];
  // An invalid pattern is reported once per source, not once per line that repeats it.
  const reported = new Set<string>();
  for (const line of lines) {
    if (line.kind === 'g') {
      grouping.push([line.member, line.role]);
      continue;
    }
    for (const pattern of [line.resource, line.action, line.object]) {
      const reportKey = `${line.origin.source}\u0000${pattern}`;
      if (compiler.isInvalid(pattern) && !reported.has(reportKey)) {
        reported.add(reportKey);
        diagnostics.push({
          severity: 'warning',
          source: line.origin.source,
          line: line.origin.line,
          ...(line.origin.path === undefined ? {} : { path: line.origin.path }),
          text: `p, ${line.subject}, ${line.resource}, ${line.action}, ${line.object}, ${line.effect}`,
          message:
            compiler.mode === 'regex'
              ? `${JSON.stringify(pattern)} is not a valid regular expression: any check that reaches this line is denied`
              : `${JSON.stringify(pattern)} is not a valid glob: it matches nothing`,
        });
      }
    }
    const allow = line.effect === 'allow';
    rules.push({
      resource: compiler.compile(line.resource),
      action: compiler.compile(line.action),
      object: compiler.compile(line.object),
      allow,
      confinedTo: allow ? parseProjectSubject(line.subject)?.project : undefined,
      line,
    });
  }
  return { rules, grouping, diagnostics };
}

// What one rule says about a request (plain numbers: enums are not erasable syntax).
const NO_MATCH = 0;
const MATCH = 1;
const FAIL = 2;
type Outcome = typeof NO_MATCH | typeof MATCH | typeof FAIL;

/** What is asked, plus the project the request is about (for confined project-role rules). */
export interface Query {
  readonly resource: string;
  readonly action: string;
  readonly object: string;
  /**
   * The project the object belongs to: undefined for resources outside projects (accounts…), '' for a
   * project-scoped object that names none (then no project role's allow applies).
   */
  readonly project: string | undefined;
}

function applies(rule: CompiledRule, query: Query): Outcome {
  // Field order matters only for invalid regexes: Casbin evaluates resource, action, object and stops
  // at the first field that does not match, so a bad pattern after a mismatch is never reached.
  let p = rule.resource;
  if (p.isInvalid) return FAIL;
  if (!p.test(query.resource)) return NO_MATCH;
  p = rule.action;
  if (p.isInvalid) return FAIL;
  if (!p.test(query.action)) return NO_MATCH;
  p = rule.object;
  if (p.isInvalid) return FAIL;
  return p.test(query.object) ? MATCH : NO_MATCH;
}

/**
 * Folds rules into the decision so far (`allowed`): undefined as soon as a deny matches or an invalid
 * regex is reached (the check fails), else whether some allow has matched.
 */
function scan(rules: readonly CompiledRule[], query: Query, allowed: boolean): boolean | undefined {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const outcome = applies(rule, query);
    if (outcome === NO_MATCH) continue;
    if (outcome === FAIL || !rule.allow) return undefined;
    if (rule.confinedTo === undefined || query.project === undefined || rule.confinedTo === query.project)
      allowed = true;
  }
  return allowed;
}

/**
 * An index over one or more compiled line sets (built-in + `argocd-rbac-cm`, plus a project's role
 * policies when a request is about that project) that answers Casbin's question for one subject:
 * does any rule of the subject, or of a role it reaches through `g` lines, allow the request, with no
 * deny among them? Deny beats allow and order does not matter.
 */
export class PolicyIndex {
  readonly #reachable = new Map<string, ReachableRules>();
  readonly #members: ReadonlySet<string>;

  constructor(sets: readonly CompiledLines[], globIndexed: boolean) {
    const bySubject = new Map<string, CompiledRule[]>();
    const roles = new Map<string, string[]>();
    const members = new Set<string>();
    for (const set of sets) {
      for (const rule of set.rules) {
        const list = bySubject.get(rule.line.subject);
        if (list === undefined) bySubject.set(rule.line.subject, [rule]);
        else list.push(rule);
      }
      for (const [member, role] of set.grouping) {
        members.add(member);
        const list = roles.get(member);
        if (list === undefined) roles.set(member, [role]);
        else if (!list.includes(role)) list.push(role);
      }
    }
    this.#members = members;
    // Every subject that can hold a permission, directly or through roles, gets its reachable rules
    // precomputed: the number of such subjects is bounded by the policy, not by the users.
    for (const subject of new Set([...bySubject.keys(), ...roles.keys()])) {
      const reachable: ReachableRules = { byResource: new Map(), other: [] };
      let any = false;
      const seen = new Set<string>([subject]);
      let frontier = [subject];
      for (let level = 0; level <= MAX_HIERARCHY_LEVEL && frontier.length > 0; level++) {
        const next: string[] = [];
        for (const name of frontier) {
          for (const rule of bySubject.get(name) ?? []) {
            any = true;
            // In glob mode a literal resource matches only itself; in regex mode "applications" is a
            // substring search, so everything is scanned.
            if (globIndexed && isGlobLiteral(rule.line.resource)) {
              const list = reachable.byResource.get(rule.line.resource);
              if (list === undefined) reachable.byResource.set(rule.line.resource, [rule]);
              else list.push(rule);
            } else {
              reachable.other.push(rule);
            }
          }
          for (const role of roles.get(name) ?? []) {
            if (!seen.has(role)) {
              seen.add(role);
              next.push(role);
            }
          }
        }
        frontier = next;
      }
      if (any) this.#reachable.set(subject, reachable);
    }
  }

  /** Whether `name` is the member of some `g` line (Argo CD only consults a user's groups that are). */
  isGroupingMember(name: string): boolean {
    return this.#members.has(name);
  }

  /**
   * Whether the subject, with every role it inherits, is allowed the request: some rule allows and no
   * rule denies (or reaches an invalid regex). Order does not matter.
   */
  allows(subject: string, query: Query): boolean {
    const reachable = this.#reachable.get(subject);
    return reachable !== undefined && allowedBy(reachable, query);
  }

  /** The rules a subject reaches, for callers that check the same subject many times. */
  reachable(subject: string): ReachableRules | undefined {
    return this.#reachable.get(subject);
  }
}

/** `PolicyIndex.allows` for rules already looked up with `reachable`. */
export function allowedBy(reachable: ReachableRules, query: Query): boolean {
  let allowed: boolean | undefined = false;
  const literal = reachable.byResource.get(query.resource);
  if (literal !== undefined) {
    allowed = scan(literal, query, allowed);
    if (allowed === undefined) return false;
  }
  allowed = scan(reachable.other, query, allowed);
  return allowed === true;
}
