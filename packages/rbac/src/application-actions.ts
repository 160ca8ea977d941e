import { InvalidArgumentError } from '@capstan/errors';
import { RbacAction } from './resources.ts';

/** A managed resource of an application, as the fine-grained actions name it. */
export interface ResourceRef {
  /** API group; '' for the core group (Pods, ConfigMaps…). */
  readonly group: string;
  readonly kind: string;
  /** '' for cluster-scoped resources. */
  readonly namespace: string;
  readonly name: string;
}

/** `argocd-cm` keys that change which actions Argo CD checks. */
export const RbacSettingKey = {
  disableFineGrainedInheritance: 'server.rbac.disableApplicationFineGrainedRBACInheritance',
  rollbackEnforce: 'server.rbac.rollback.enforce.enable',
} as const;

/**
 * The RBAC object of an application or ApplicationSet: `<project>/<name>`, or
 * `<project>/<namespace>/<name>` when it lives outside the control-plane namespace (apps in any
 * namespace).
 */
export function applicationRbacName(
  app: { readonly project: string; readonly namespace?: string | undefined; readonly name: string },
  controlPlaneNamespace: string,
): string {
  const ns = app.namespace ?? '';
  const project = app.project === '' ? 'default' : app.project;
  if (controlPlaneNamespace !== '' && ns !== '' && ns !== controlPlaneNamespace)
    return `${project}/${ns}/${app.name}`;
  return `${project}/${app.name}`;
}

/** `update/<group>/<kind>/<namespace>/<name>` or `delete/…`: the action for one managed resource. */
export function resourceVerbAction(verb: 'update' | 'delete', ref: ResourceRef): string {
  return `${verb}/${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** `action/<group>/<kind>/<action-name>`: running a resource action (e.g. `action/apps/Deployment/restart`). */
export function resourceCustomAction(group: string, kind: string, actionName: string): string {
  return `${RbacAction.action}/${group}/${kind}/${actionName}`;
}

/**
 * The actions to check, in order (allowed if any is), before `verb` touches a managed resource of an
 * application. Since Argo CD 3.0 (`server.rbac.disableApplicationFineGrainedRBACInheritance` unset or
 * true) `update`/`delete` on the app no longer cover its resources: only the fine-grained action counts.
 * With inheritance re-enabled, the plain action is tried first, then the fine-grained one. Other verbs
 * (`get` for reading a resource) are checked as they are.
 */
export function applicationResourceActions(
  verb: string,
  ref: ResourceRef,
  options: { readonly fineGrainedInheritanceDisabled: boolean },
): string[] {
  if (verb !== RbacAction.update && verb !== RbacAction.delete) return [verb];
  const fine = resourceVerbAction(verb, ref);
  return options.fineGrainedInheritanceDisabled ? [fine] : [verb, fine];
}

// Go's strconv.ParseBool, which Argo CD uses for these settings.
function parseGoBool(key: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new InvalidArgumentError(`${key}: invalid boolean ${JSON.stringify(value)}`);
}

function setting(data: Readonly<Record<string, string>>, key: string): string {
  const value = Object.hasOwn(data, key) ? data[key] : undefined;
  return typeof value === 'string' ? value : '';
}

/** `server.rbac.disableApplicationFineGrainedRBACInheritance` from `argocd-cm` data: true unless set false. */
export function fineGrainedInheritanceDisabled(argocdCm: Readonly<Record<string, string>>): boolean {
  const value = setting(argocdCm, RbacSettingKey.disableFineGrainedInheritance);
  return value === '' ? true : parseGoBool(RbacSettingKey.disableFineGrainedInheritance, value);
}

/** The action a rollback needs: `rollback` when `server.rbac.rollback.enforce.enable` is true, else `sync`. */
export function rollbackAction(argocdCm: Readonly<Record<string, string>>): 'rollback' | 'sync' {
  const value = setting(argocdCm, RbacSettingKey.rollbackEnforce);
  return value !== '' && parseGoBool(RbacSettingKey.rollbackEnforce, value) ? 'rollback' : 'sync';
}
