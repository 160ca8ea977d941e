import { deepEqual, hasOwn, isPlainObject, omitKey, type JsonObject } from './json-value.ts';

// A managedFields `fieldsV1` tree: `f:<field>`, `k:<json key>` (keyed list item), `v:<json value>` (set item),
// `i:<index>` and `.` (the node itself), each mapping to a subtree; `{}` or `{".": {}}` is a leaf.
type FieldsNode = JsonObject;

function isLeaf(node: unknown): boolean {
  if (!isPlainObject(node)) return true;
  for (const key in node) if (key !== '.') return false;
  return true;
}

function prune(fields: FieldsNode, live: unknown, target: unknown): [unknown, unknown] {
  if (isPlainObject(live) && isPlainObject(target)) return pruneMap(fields, live, target);
  if (Array.isArray(live) && Array.isArray(target)) return pruneList(fields, live, target);
  return [live, target];
}

function pruneMap(fields: FieldsNode, live: JsonObject, target: JsonObject): [JsonObject, JsonObject] {
  let l = live;
  let t = target;
  for (const key in fields) {
    if (!key.startsWith('f:')) continue;
    const name = key.slice(2);
    if (!hasOwn(l, name) || !hasOwn(t, name)) continue;
    const lv = l[name];
    const tv = t[name];
    const sub = fields[key];
    if (isLeaf(sub)) {
      // Only fields that differ are dropped (the owned ∩ modified set): equal fields stay visible in the diff.
      if (deepEqual(lv, tv)) continue;
      l = omitKey(l, name);
      t = omitKey(t, name);
      continue;
    }
    const [nl, nt] = prune(sub as FieldsNode, lv, tv);
    if (nl !== lv) {
      if (l === live) l = { ...live };
      l[name] = nl;
    }
    if (nt !== tv) {
      if (t === target) t = { ...target };
      t[name] = nt;
    }
  }
  return [l, t];
}

function findItem(list: readonly unknown[], key: string): number {
  try {
    if (key.startsWith('k:')) {
      const wanted: unknown = JSON.parse(key.slice(2));
      if (!isPlainObject(wanted)) return -1;
      return list.findIndex(
        (item) => isPlainObject(item) && Object.entries(wanted).every(([k, v]) => deepEqual(item[k], v)),
      );
    }
    if (key.startsWith('i:')) {
      const index = Number(key.slice(2));
      return Number.isInteger(index) && index >= 0 && index < list.length ? index : -1;
    }
  } catch {
    return -1;
  }
  // `v:` names a set member by its value: it is equal on both sides by definition, so never "modified".
  return -1;
}

function pruneList(fields: FieldsNode, live: unknown[], target: unknown[]): [unknown[], unknown[]] {
  let l = live;
  let t = target;
  const dropLive = new Set<number>();
  const dropTarget = new Set<number>();
  for (const key in fields) {
    const li = findItem(live, key);
    const ti = li < 0 ? -1 : findItem(target, key);
    if (li < 0 || ti < 0) continue;
    const sub = fields[key];
    if (isLeaf(sub)) {
      if (!deepEqual(live[li], target[ti])) {
        dropLive.add(li);
        dropTarget.add(ti);
      }
      continue;
    }
    const [nl, nt] = prune(sub as FieldsNode, live[li], target[ti]);
    if (nl !== live[li]) {
      if (l === live) l = live.slice();
      l[li] = nl;
    }
    if (nt !== target[ti]) {
      if (t === target) t = target.slice();
      t[ti] = nt;
    }
  }
  if (dropLive.size > 0) l = l.filter((_, i) => !dropLive.has(i));
  if (dropTarget.size > 0) t = t.filter((_, i) => !dropTarget.has(i));
  return [l, t];
}

/**
 * `managedFieldsManagers`: fields that a trusted manager (an HPA, a webhook, another controller) owns in the
 * live object and that differ from the target are removed from both sides, so that manager's changes are not
 * drift. Ownership is read from the live object's `metadata.managedFields`.
 */
export function stripManagedFields(
  live: JsonObject,
  target: JsonObject,
  managers: readonly string[],
): { live: JsonObject; target: JsonObject } {
  const metadata = live['metadata'];
  const entries = isPlainObject(metadata) ? metadata['managedFields'] : undefined;
  if (managers.length === 0 || !Array.isArray(entries)) return { live, target };
  let l = live;
  let t = target;
  for (const entry of entries) {
    if (!isPlainObject(entry) || typeof entry['manager'] !== 'string') continue;
    if (!managers.includes(entry['manager'])) continue;
    const fields = entry['fieldsV1'];
    if (!isPlainObject(fields)) continue;
    [l, t] = pruneMap(fields, l, t);
  }
  return { live: l, target: t };
}
