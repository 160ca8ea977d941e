import type { HealthStatus, HealthStatusCode } from '../types.ts';

// Live objects are unstructured JSON: every read here tolerates a missing or mistyped field, the way the
// typed conversion in Argo CD treats an absent field as its zero value.

export type Fields = Readonly<Record<string, unknown>>;

export function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` below `value`, or undefined when any step is missing or not an object. */
export function field(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isFields(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A number, or undefined when absent or not a number. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

function condition(value: unknown): Condition | undefined {
  if (!isFields(value)) return undefined;
  return {
    type: text(value['type']) ?? '',
    status: text(value['status']) ?? '',
    reason: text(value['reason']) ?? '',
    message: text(value['message']) ?? '',
  };
}

/** The entries of a conditions list (`status.conditions` by default), in order. */
export function conditions(obj: unknown, ...path: readonly string[]): Condition[] {
  return parseConditions(list(path.length === 0 ? field(obj, 'status', 'conditions') : field(obj, ...path)));
}

export function parseConditions(values: readonly unknown[]): Condition[] {
  const out: Condition[] = [];
  for (const item of values) {
    const c = condition(item);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** A health status, leaving out an empty message. */
export function health(status: HealthStatusCode, message?: string): HealthStatus {
  return message === undefined || message === '' ? { status } : { status, message };
}
