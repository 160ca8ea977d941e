import { createHash } from 'node:crypto';

/** A stable hash of a JSON-able value: object keys are sorted, so field order never splits the cache. */
export function stableHash(value: unknown): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => [k, canon(x)]),
      );
    }
    return v;
  };
  return createHash('sha256')
    .update(JSON.stringify(canon(value)))
    .digest('hex');
}
