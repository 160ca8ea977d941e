import type { Time } from '@capstan/crds';

/**
 * Kubernetes stores `metav1.Time` with whole seconds; writing the same precision keeps what we compute
 * from a value equal to what we compute after it has been through the API server.
 */
export function toK8sTime(date: Date): Time {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// RFC 3339 as Go's time.RFC3339 layout parses it (fractional seconds tolerated); Date.parse alone
// would also accept loose forms such as "2026-01-02" that Kubernetes never writes.
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an RFC 3339 timestamp, or undefined when absent or malformed. */
export function parseK8sTime(text: string | undefined): number | undefined {
  if (text === undefined || !rfc3339.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
