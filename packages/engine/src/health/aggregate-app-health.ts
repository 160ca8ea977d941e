import { Annotations } from '@capstan/crds';
import { isHook, isSkipped } from '../sync/hook-types.ts';
import type { HealthStatus, HealthStatusCode, KubeObject, ResourceKey } from '../types.ts';
import { isWorseHealth } from './health-order.ts';

/** Causes named in the application's health message; the rest are counted. */
export const MAX_HEALTH_CAUSES = 3;

/** One resource of an application: its desired and live objects and the live object's health. */
export interface AppHealthEntry extends ResourceKey {
  readonly target?: KubeObject | undefined;
  readonly live?: KubeObject | undefined;
  /** Health of the live object; undefined when its kind has none. */
  readonly health?: HealthStatus | undefined;
}

/** The application whose health is assessed, so that an app managing itself is left out. */
export interface AppIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly uid?: string | undefined;
}

export interface AppHealth extends HealthStatus {
  /** The resources that set the status (all of them, even beyond the ones the message names). */
  readonly causes: readonly ResourceKey[];
}

const APP_GROUP = 'argoproj.io';
const APP_KIND = 'Application';

function isSelf(entry: AppHealthEntry, live: KubeObject, app: AppIdentity | undefined): boolean {
  return (
    app !== undefined &&
    entry.group === APP_GROUP &&
    entry.kind === APP_KIND &&
    live.metadata?.uid === app.uid &&
    entry.name === app.name &&
    entry.namespace === app.namespace
  );
}

/**
 * Why a resource takes no part in the application's health, or undefined when it does. Skip targets, live
 * hooks (ignored ones included), `ignore-healthcheck` and the application itself are left out.
 */
export function excludedFromAppHealth(
  entry: AppHealthEntry,
  app?: AppIdentity,
): 'skip' | 'hook' | 'ignore-healthcheck' | 'self' | undefined {
  if (entry.target !== undefined && isSkipped(entry.target)) return 'skip';
  const live = entry.live;
  if (live === undefined) return undefined;
  if (isHook(live)) return 'hook';
  if (live.metadata?.annotations?.[Annotations.ignoreHealthCheck] === 'true') return 'ignore-healthcheck';
  if (isSelf(entry, live, app)) return 'self';
  return undefined;
}

/** `apps/Deployment:prod/web`; the core group and cluster scope leave their part out. */
export function causeName(key: ResourceKey): string {
  const groupKind = key.group === '' ? key.kind : `${key.group}/${key.kind}`;
  const name = key.namespace === '' ? key.name : `${key.namespace}/${key.name}`;
  return `${groupKind}:${name}`;
}

export function causesMessage(causes: readonly ResourceKey[]): string {
  if (causes.length === 0) return '';
  const named = causes.slice(0, MAX_HEALTH_CAUSES).map(causeName).join(', ');
  const more = causes.length - MAX_HEALTH_CAUSES;
  return `Caused by ${named}${more > 0 ? ` and ${more} more` : ''}`;
}

function keyOf(entry: AppHealthEntry): ResourceKey {
  return { group: entry.group, kind: entry.kind, namespace: entry.namespace, name: entry.name };
}

/**
 * The application's health: the worst health among its resources, with the resources that share it as
 * causes. Missing resources do not count (the sync status already says so) unless every resource is
 * missing, which makes the application Missing; child Applications that are Missing or Unknown do not
 * count either; an application without resources is Healthy.
 */
export function aggregateAppHealth(entries: readonly AppHealthEntry[], app?: AppIdentity): AppHealth {
  let status: HealthStatusCode = 'Healthy';
  let causes: ResourceKey[] = [];
  let hasResources = false;
  let hasLive = false;
  for (const entry of entries) {
    const excluded = excludedFromAppHealth(entry, app);
    if (excluded === 'skip' || excluded === 'hook') continue;
    hasResources = true;
    if (entry.live === undefined) continue;
    hasLive = true;
    if (excluded !== undefined) continue;
    const health = entry.health;
    if (health === undefined) continue;
    if (
      entry.group === APP_GROUP &&
      entry.kind === APP_KIND &&
      (health.status === 'Missing' || health.status === 'Unknown')
    ) {
      continue;
    }
    if (isWorseHealth(status, health.status)) {
      status = health.status;
      causes = [keyOf(entry)];
    } else if (health.status === status && status !== 'Healthy') {
      causes.push(keyOf(entry));
    }
  }
  if (hasResources && !hasLive && isWorseHealth(status, 'Missing')) {
    status = 'Missing';
    causes = [];
  }
  const message = causesMessage(causes);
  return message === '' ? { status, causes } : { status, message, causes };
}
