// Argo CD compares specs with Go's reflect.DeepEqual on decoded structs, where an absent field, null,
// "", 0, false, [] and {} all become the same zero value. JSON objects keep those apart, so a plain
// deep-equal would see a change where Argo CD sees none (and, e.g., re-run an auto-sync forever
// because our stored copy of a source lost an empty list on the way through the API server).

/**
 * Fields whose values are free-form maps rather than structs: their entries are data, so a "" or 0 in
 * them is a real value and is kept.
 */
const FREE_FORM_KEYS: ReadonlySet<string> = new Set([
  'valuesObject',
  'commonLabels',
  'commonAnnotations',
  'labels',
  'annotations',
  'map',
  'options',
]);

function verbatim(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(verbatim);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = verbatim(v);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

function zeroless(value: unknown): unknown {
  if (value === null || value === undefined || value === '' || value === 0 || value === false)
    return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(zeroless);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = FREE_FORM_KEYS.has(k) ? verbatim(v) : zeroless(v);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  return keys.every((k) => Object.hasOwn(rb, k) && deepEqual(ra[k], rb[k]));
}

/** Deep equality of two JSON values as Go would judge the structs they decode into. */
export function goEqual(a: unknown, b: unknown): boolean {
  return deepEqual(zeroless(a), zeroless(b));
}
