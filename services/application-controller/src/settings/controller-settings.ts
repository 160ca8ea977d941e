import {
  parseHealthCustomizations,
  parseResourceCustomizations,
  parseGoDuration,
  type HealthCustomizations,
  type OverrideIgnoreDiff,
  type TrackingMethod,
} from '@capstan/engine';
import { parse as parseYaml } from 'yaml';

/** A `resource.exclusions` / `resource.inclusions` rule of argocd-cm: globs on group, kind and cluster. */
export interface ResourceFilterRule {
  readonly apiGroups: readonly string[];
  readonly kinds: readonly string[];
  readonly clusters: readonly string[];
}

/** What the controller reads from argocd-cm. Every field has Argo CD's default. */
export interface ControllerSettings {
  /** `timeout.reconciliation`: how often every app is compared even without events. */
  readonly reconciliationMs: number;
  /** `timeout.hard.reconciliation`: hard refresh period; 0 = off. */
  readonly hardReconciliationMs: number;
  readonly instanceLabelKey: string;
  readonly trackingMethod: TrackingMethod;
  readonly installationId: string;
  readonly systemIgnoreDifferences: Readonly<Record<string, OverrideIgnoreDiff>>;
  readonly healthCustomizations: HealthCustomizations;
  readonly exclusions: readonly ResourceFilterRule[];
  readonly ignoreResourceStatusField: 'all' | 'crd' | 'none';
  /** Problems found while reading argocd-cm; each key that failed is left at its default. */
  readonly errors: readonly string[];
}

export const defaultSettings: ControllerSettings = Object.freeze({
  reconciliationMs: 120_000,
  hardReconciliationMs: 0,
  instanceLabelKey: 'app.kubernetes.io/instance',
  trackingMethod: 'annotation',
  installationId: '',
  systemIgnoreDifferences: {},
  healthCustomizations: {},
  exclusions: [],
  ignoreResourceStatusField: 'all',
  errors: [],
});

function duration(value: string | undefined, key: string, fallback: number, errors: string[]): number {
  if (value === undefined || value.trim() === '') return fallback;
  const ms = parseGoDuration(value.trim());
  if (ms === undefined || ms < 0) {
    errors.push(`${key}: ${JSON.stringify(value)} is not a duration like 180s or 3m`);
    return fallback;
  }
  return ms;
}

function filterRules(text: string | undefined, key: string, errors: string[]): ResourceFilterRule[] {
  if (text === undefined || text.trim() === '') return [];
  try {
    const parsed: unknown = parseYaml(text);
    if (!Array.isArray(parsed)) throw new Error('expected a list');
    return parsed.map((r: Record<string, unknown>) => ({
      apiGroups: Array.isArray(r['apiGroups']) ? r['apiGroups'].map(String) : [],
      kinds: Array.isArray(r['kinds']) ? r['kinds'].map(String) : [],
      clusters: Array.isArray(r['clusters']) ? r['clusters'].map(String) : [],
    }));
  } catch (err) {
    errors.push(`${key}: ${(err as Error).message}`);
    return [];
  }
}

/**
 * Reads argocd-cm. A bad value never stops the controller: that key keeps its default and the problem
 * is reported (logged, and shown on apps as a condition would be too noisy).
 */
export function parseControllerSettings(
  data: Readonly<Record<string, string>> | undefined,
): ControllerSettings {
  if (data === undefined) return defaultSettings;
  const errors: string[] = [];
  const method = data['application.resourceTrackingMethod']?.trim();
  let trackingMethod: TrackingMethod = 'annotation';
  if (method === 'label' || method === 'annotation+label' || method === 'annotation') trackingMethod = method;
  else if (method !== undefined && method !== '')
    errors.push(`application.resourceTrackingMethod: unknown method ${JSON.stringify(method)}`);
  let systemIgnoreDifferences: Readonly<Record<string, OverrideIgnoreDiff>> = {};
  try {
    systemIgnoreDifferences = parseResourceCustomizations(data).ignoreDifferences;
  } catch (err) {
    errors.push((err as Error).message);
  }
  let healthCustomizations: HealthCustomizations = {};
  try {
    healthCustomizations = parseHealthCustomizations(data);
  } catch (err) {
    errors.push((err as Error).message);
  }
  const statusField = data['resource.compareoptions'];
  let ignoreResourceStatusField: 'all' | 'crd' | 'none' = 'all';
  if (statusField !== undefined) {
    const m = /ignoreResourceStatusField:\s*(all|crd|none|off)/.exec(statusField);
    if (m?.[1] === 'crd') ignoreResourceStatusField = 'crd';
    else if (m?.[1] === 'none' || m?.[1] === 'off') ignoreResourceStatusField = 'none';
  }
  return {
    reconciliationMs: duration(data['timeout.reconciliation'], 'timeout.reconciliation', 120_000, errors),
    hardReconciliationMs: duration(
      data['timeout.hard.reconciliation'],
      'timeout.hard.reconciliation',
      0,
      errors,
    ),
    instanceLabelKey: data['application.instanceLabelKey']?.trim() || 'app.kubernetes.io/instance',
    trackingMethod,
    installationId: data['installationID']?.trim() ?? '',
    systemIgnoreDifferences,
    healthCustomizations,
    exclusions: filterRules(data['resource.exclusions'], 'resource.exclusions', errors),
    ignoreResourceStatusField,
    errors,
  };
}
