import type { PolicyDiagnostic } from './policy-diagnostic.ts';
import type { PolicyLine } from './policy-line.ts';
import { PROJECT_SCOPED_RESOURCES, RbacAction, RbacResource, projectRoleSubject } from './resources.ts';

/** The parts of an AppProject that carry RBAC (structurally compatible with the CRD type). */
export interface AppProjectLike {
  readonly metadata: { readonly name?: string | undefined };
  readonly spec?:
    | {
        readonly roles?:
          | readonly {
              readonly name: string;
              readonly policies?: readonly string[] | undefined;
              readonly groups?: readonly string[] | undefined;
            }[]
          | undefined;
      }
    | undefined;
}

const ROLE_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const PLAIN_ACTIONS: ReadonlySet<string> = new Set([
  RbacAction.get,
  RbacAction.create,
  RbacAction.update,
  RbacAction.delete,
  RbacAction.sync,
  RbacAction.override,
  RbacAction.rollback,
  '*',
]);

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function isValidAction(action: string): boolean {
  // Argo CD's check is an unanchored search for these prefixes; anchoring them is the stricter reading.
  return PLAIN_ACTIONS.has(action) || /^(action|update|delete)\//.test(action);
}

/** Unicode white space as Go's unicode.IsSpace sees it (close enough: JavaScript's \s). */
const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);

/** Argo CD's group-name rules: quote a name with a comma; no quotes, tabs or newlines; no outer spaces. */
function validateGroup(raw: string): { name: string } | { error: string } {
  let name = raw.trim();
  if (name.length > 1 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
  else if (name.includes(',')) return { error: `group '${raw}' must be quoted` };
  if (name === '') return { error: `group '${raw}' is empty` };
  if (/["\n\r\t]/.test(name)) return { error: `group '${raw}' contains invalid characters` };
  const runes = Array.from(raw);
  if (runes.length > 1 && isSpace(runes[0])) return { error: `group '${raw}' contains a leading space` };
  if (runes.length > 1 && isSpace(runes[runes.length - 1]))
    return { error: `group '${raw}' contains a trailing space` };
  return { name };
}

/**
 * Turns an AppProject's roles into policy lines, as Argo CD does when a request concerns that project:
 * each role may `get` its project, has its `policies`, and each of its `groups` is bound to it
 * (`g, <group>, proj:<project>:<role>`).
 *
 * Every policy is held to the rules Argo CD's API applies when a project is saved, since a project
 * applied with kubectl skips them: six comma-separated fields, subject `proj:<project>:<role>`, a
 * project-scoped resource, a known action, an object inside the project (`<project>/<app>` or
 * `<project>/<namespace>/<app>`, `*` allowed) and effect allow/deny. A line that breaks a rule is
 * reported and left out, so a project role can never reach another project's objects.
 */
export function projectPolicies(project: AppProjectLike): {
  lines: PolicyLine[];
  diagnostics: PolicyDiagnostic[];
} {
  const lines: PolicyLine[] = [];
  const diagnostics: PolicyDiagnostic[] = [];
  const projectName = project.metadata.name ?? '';
  const source = `AppProject ${projectName}`;
  const report = (severity: 'error' | 'warning', path: string, text: string, message: string): void => {
    diagnostics.push({ severity, source, line: 1, path, text, message });
  };
  if (projectName === '') {
    report('error', 'metadata.name', '', 'the project has no name; its roles are ignored');
    return { lines, diagnostics };
  }
  const objectPattern = new RegExp(`^${escapeRegExp(projectName)}(/[*\\w.-]+)?/[*\\w.-]+$`);
  const seenRoles = new Set<string>();
  const roles = project.spec?.roles ?? [];
  roles.forEach((role, r) => {
    const rolePath = `spec.roles[${r}]`;
    if (!ROLE_NAME.test(role.name)) {
      report(
        'error',
        `${rolePath}.name`,
        role.name,
        'invalid role name (alphanumerics, "-" and "_", starting and ending alphanumeric); the role is ignored',
      );
      return;
    }
    if (seenRoles.has(role.name)) {
      report(
        'warning',
        `${rolePath}.name`,
        role.name,
        'the role is defined more than once; the definitions add up',
      );
    }
    seenRoles.add(role.name);
    const subject = projectRoleSubject(projectName, role.name);
    lines.push({
      kind: 'p',
      subject,
      resource: RbacResource.projects,
      action: RbacAction.get,
      object: projectName,
      effect: 'allow',
      origin: { source, line: 1, path: `${rolePath}.name` },
    });
    (role.policies ?? []).forEach((policy, i) => {
      const path = `${rolePath}.policies[${i}]`;
      const reject = (message: string): void =>
        report('error', path, policy, `invalid project role policy, ignored: ${message}`);
      if (/[\n\r"]/.test(policy)) return reject('a policy is one line without quotes');
      const parts = policy.split(',').map((p) => p.replace(/^ +| +$/g, ''));
      if (parts.length !== 6 || parts[0] !== 'p')
        return reject("must be of the form 'p, sub, res, act, obj, eft'");
      const [, sub, resource, action, object, effect] = parts as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      if (sub !== subject) return reject(`policy subject must be '${subject}', not '${sub}'`);
      if (!PROJECT_SCOPED_RESOURCES.has(resource)) {
        return reject(
          `project resource must be one of ${[...PROJECT_SCOPED_RESOURCES].join(', ')}, not '${resource}'`,
        );
      }
      if (!isValidAction(action)) return reject(`invalid action '${action}'`);
      if (!objectPattern.test(object)) {
        return reject(
          `object must be of form '${projectName}/*', '${projectName}[/<NAMESPACE>]/<APPNAME>', not '${object}'`,
        );
      }
      if (effect !== 'allow' && effect !== 'deny') return reject("effect must be 'allow' or 'deny'");
      lines.push({
        kind: 'p',
        subject,
        resource,
        action,
        object,
        effect,
        origin: { source, line: i + 1, path },
      });
    });
    (role.groups ?? []).forEach((group, i) => {
      const path = `${rolePath}.groups[${i}]`;
      const checked = validateGroup(group);
      if ('error' in checked) {
        report('error', path, group, `invalid group, ignored: ${checked.error}`);
        return;
      }
      lines.push({ kind: 'g', member: checked.name, role: subject, origin: { source, line: i + 1, path } });
    });
  });
  return { lines, diagnostics };
}
