import type { CopyOnWrite } from './copy-on-write.ts';
import { canonicalJson, hasOwn, isPlainObject, type JsonObject } from './json-value.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function normalizeSecret(obj: JsonObject, cow: CopyOnWrite): JsonObject {
  let out = obj;
  const stringData = obj['stringData'];
  if (isPlainObject(stringData)) {
    // What the API server does on write: stringData is merged into data, base64-encoded, and never stored.
    const data: JsonObject = isPlainObject(obj['data']) ? { ...obj['data'] } : {};
    for (const [key, value] of Object.entries(stringData)) {
      data[key] = typeof value === 'string' ? Buffer.from(value, 'utf8').toString('base64') : value;
    }
    out = cow.omit(out, 'stringData');
    out['data'] = data;
  }
  const data = out['data'];
  if (isPlainObject(data)) {
    // An empty value reads back as "" whether it was written as null or "".
    for (const key in data) {
      if (data[key] === null) {
        out = cow.own(out);
        (cow.ownChild(out, 'data') as JsonObject)[key] = '';
      }
    }
  }
  return out;
}

function normalizeRole(obj: JsonObject, ignoreAggregatedRoles: boolean, cow: CopyOnWrite): JsonObject {
  // An aggregated role's rules are filled in by the controller-manager, so they are not ours to compare.
  if (ignoreAggregatedRoles && isPlainObject(obj['aggregationRule'])) {
    if (obj['rules'] === null) return obj;
    const out = cow.own(obj);
    out['rules'] = null;
    return out;
  }
  const rules = obj['rules'];
  if (Array.isArray(rules) && rules.length === 0) {
    const out = cow.own(obj);
    out['rules'] = null;
    return out;
  }
  return obj;
}

function compareAddress(a: unknown, b: unknown): number {
  const ai = isPlainObject(a) && typeof a['ip'] === 'string' ? a['ip'] : '';
  const bi = isPlainObject(b) && typeof b['ip'] === 'string' ? b['ip'] : '';
  if (ai !== bi) return ai < bi ? -1 : 1;
  const uid = (x: unknown): string =>
    isPlainObject(x) && isPlainObject(x['targetRef']) && typeof x['targetRef']['uid'] === 'string'
      ? x['targetRef']['uid']
      : '';
  const au = uid(a);
  const bu = uid(b);
  return au === bu ? 0 : au < bu ? -1 : 1;
}

function byCanonicalJson(items: readonly unknown[]): unknown[] {
  return items
    .map((item) => ({ item, key: canonicalJson(item) }))
    .sort((x, y) => (x.key === y.key ? 0 : x.key < y.key ? -1 : 1))
    .map((x) => x.item);
}

function normalizeEndpoints(obj: JsonObject, cow: CopyOnWrite): JsonObject {
  const subsets = obj['subsets'];
  if (!Array.isArray(subsets) || subsets.length === 0) return obj;
  // The endpoints controller writes subsets in no stable order; sort every level the same way on both sides.
  const normalized = subsets.map((subset: unknown): unknown => {
    if (!isPlainObject(subset)) return subset;
    const out: JsonObject = { ...subset };
    for (const field of ['addresses', 'notReadyAddresses']) {
      const list = out[field];
      if (Array.isArray(list)) out[field] = list.slice().sort(compareAddress);
    }
    const ports = out['ports'];
    if (Array.isArray(ports)) {
      out['ports'] = byCanonicalJson(
        ports.map((port: unknown): unknown =>
          isPlainObject(port) && (port['protocol'] === undefined || port['protocol'] === '')
            ? { ...port, protocol: 'TCP' }
            : port,
        ),
      );
    }
    return out;
  });
  const out = cow.own(obj);
  out['subsets'] = byCanonicalJson(normalized);
  return out;
}

/**
 * The fixed normalisations of every compared object: no creationTimestamp, Secret stringData folded into data,
 * empty Role rules as null, Endpoints subsets in a canonical order.
 */
export function normalizeKnownTypes(
  obj: JsonObject,
  gk: { readonly group: string; readonly kind: string },
  ignoreAggregatedRoles: boolean,
  cow: CopyOnWrite,
): JsonObject {
  let out = obj;
  const metadata = out['metadata'];
  // Exported manifests often carry `creationTimestamp: null`; it is never the user's to set.
  if (isPlainObject(metadata) && hasOwn(metadata, 'creationTimestamp')) {
    out = cow.own(out);
    out['metadata'] = cow.omit(metadata, 'creationTimestamp');
  }
  if (gk.group === '' && gk.kind === 'Secret') return normalizeSecret(out, cow);
  if (gk.group === RBAC_GROUP && (gk.kind === 'Role' || gk.kind === 'ClusterRole')) {
    return normalizeRole(out, ignoreAggregatedRoles, cow);
  }
  if (gk.group === '' && gk.kind === 'Endpoints') return normalizeEndpoints(out, cow);
  return out;
}
