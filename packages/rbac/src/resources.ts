/** The RBAC resources Argo CD checks. */
export const RbacResource = {
  clusters: 'clusters',
  projects: 'projects',
  applications: 'applications',
  applicationSets: 'applicationsets',
  repositories: 'repositories',
  writeRepositories: 'write-repositories',
  certificates: 'certificates',
  accounts: 'accounts',
  gpgKeys: 'gpgkeys',
  logs: 'logs',
  exec: 'exec',
  extensions: 'extensions',
} as const;

/** The plain RBAC actions (fine-grained forms are built by `applicationResourceAction` and friends). */
export const RbacAction = {
  get: 'get',
  create: 'create',
  update: 'update',
  delete: 'delete',
  sync: 'sync',
  rollback: 'rollback',
  override: 'override',
  action: 'action',
  invoke: 'invoke',
} as const;

/**
 * Resources whose object names a project first (`<project>/…`): Argo CD adds that project's role
 * policies when checking them, and project roles may only be granted these.
 */
export const PROJECT_SCOPED_RESOURCES: ReadonlySet<string> = new Set([
  RbacResource.applications,
  RbacResource.applicationSets,
  RbacResource.logs,
  RbacResource.exec,
  RbacResource.clusters,
  RbacResource.repositories,
]);

/**
 * The project a request is about, as Argo CD works it out: the first segment of a project-scoped
 * object with at least two segments (`my-proj/my-app` → `my-proj`), or the object itself for
 * `projects`; undefined for other resources. (A cluster given by its URL yields the scheme, `https:`,
 * exactly as in Argo CD; no project has that name.)
 */
export function requestProject(resource: string, object: string): string | undefined {
  if (resource === RbacResource.projects) return object;
  if (!PROJECT_SCOPED_RESOURCES.has(resource)) return undefined;
  const slash = object.indexOf('/');
  return slash < 0 ? undefined : object.slice(0, slash);
}

/** `proj:<project>:<role>` → its parts; anything else (including more or fewer colons) → undefined. */
export function parseProjectSubject(subject: string): { project: string; role: string } | undefined {
  if (!subject.startsWith('proj:')) return undefined;
  const parts = subject.split(':');
  if (parts.length !== 3) return undefined;
  return { project: parts[1]!, role: parts[2]! };
}

/** The subject of a project role: `proj:<project>:<role>`. */
export function projectRoleSubject(project: string, role: string): string {
  return `proj:${project}:${role}`;
}
