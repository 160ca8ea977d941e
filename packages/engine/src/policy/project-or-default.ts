import type { AppProject } from '@capstan/crds';
import { DEFAULT_PROJECT_NAME, defaultAppProject } from '@capstan/crds';

/** The project an app belongs to: `spec.project`, or `default` when empty. */
export function projectName(project: string | undefined): string {
  return project === undefined || project === '' ? DEFAULT_PROJECT_NAME : project;
}

/**
 * The project to check an app against. The built-in `default` project exists even before it is
 * stored, allowing everything; any other missing project is undefined (the app is invalid).
 */
export function projectOrDefault(input: {
  readonly name: string | undefined;
  readonly stored: AppProject | undefined;
  readonly namespace: string;
}): AppProject | undefined {
  if (input.stored !== undefined) return input.stored;
  return projectName(input.name) === DEFAULT_PROJECT_NAME ? defaultAppProject(input.namespace) : undefined;
}
