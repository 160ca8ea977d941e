import type { KubeObject } from '../types.ts';
import { groupOf } from '../types.ts';
import { LAST_APPLIED_ANNOTATION } from './diff-resource.ts';
import { isPlainObject, type JsonObject } from './json-value.ts';

/** The views of one resource that may reach a user; any of them may be absent. */
export interface SecretViews {
  readonly target?: KubeObject | null;
  readonly live?: KubeObject | null;
  readonly normalizedLive?: KubeObject | null;
  readonly predictedLive?: KubeObject | null;
}

export interface MaskOptions {
  /** Annotations whose values are masked too (argocd-cm `resource.sensitive.mask.annotations`). */
  readonly hideAnnotations?: readonly string[];
}

const FIRST_MASK = '++++++++';

function isSecret(obj: KubeObject | null | undefined): obj is KubeObject {
  return obj !== null && obj !== undefined && obj.kind === 'Secret' && groupOf(obj.apiVersion) === '';
}

/** A private copy of the fields masking rewrites; everything else stays shared. */
function copyForMasking(obj: JsonObject): JsonObject {
  const out: JsonObject = { ...obj };
  if (isPlainObject(out['data'])) out['data'] = { ...out['data'] };
  if (isPlainObject(out['stringData'])) out['stringData'] = { ...out['stringData'] };
  if (isPlainObject(out['metadata'])) {
    const metadata: JsonObject = { ...out['metadata'] };
    if (isPlainObject(metadata['annotations'])) metadata['annotations'] = { ...metadata['annotations'] };
    out['metadata'] = metadata;
  }
  return out;
}

function foldStringData(obj: JsonObject): void {
  const stringData = obj['stringData'];
  if (stringData === undefined) return;
  if (isPlainObject(stringData)) {
    // Same encoding as the API server, so a value given as stringData masks like the same value in data.
    const data: JsonObject = isPlainObject(obj['data']) ? obj['data'] : {};
    for (const [key, value] of Object.entries(stringData)) {
      data[key] = typeof value === 'string' ? Buffer.from(value, 'utf8').toString('base64') : value;
    }
    obj['data'] = data;
  } else if (obj['data'] === undefined) {
    obj['data'] = FIRST_MASK;
  }
  delete obj['stringData'];
}

function annotationsOf(obj: JsonObject): JsonObject | undefined {
  const metadata = obj['metadata'];
  return isPlainObject(metadata) && isPlainObject(metadata['annotations'])
    ? metadata['annotations']
    : undefined;
}

/** Gives each distinct value of `field[key]` across the documents its own run of `+` (8, 12, 16 …). */
function maskField(
  docs: readonly JsonObject[],
  field: (doc: JsonObject) => JsonObject | undefined,
  keys: Set<string>,
): void {
  for (const key of keys) {
    const masks = new Map<string, string>();
    for (const doc of docs) {
      const map = field(doc);
      if (map === undefined || !(key in map)) continue;
      const raw = map[key];
      const value =
        raw === null || raw === undefined ? '' : typeof raw === 'string' ? raw : JSON.stringify(raw);
      let mask = masks.get(value);
      if (mask === undefined) {
        mask = FIRST_MASK + '++++'.repeat(masks.size);
        masks.set(value, mask);
      }
      map[key] = mask;
    }
  }
}

/**
 * Masks every value of a Secret's `data`/`stringData` (and of the listed annotations) in all views at once:
 * equal values get equal masks across the views and different values different ones, so a diff still shows
 * what changed without showing any value. The last-applied-configuration annotations are masked the same way,
 * or replaced whole when they cannot be read. Non-Secrets are returned as they are.
 */
export function maskSecretValues<T extends SecretViews>(views: T, options: MaskOptions = {}): T {
  const names = ['target', 'live', 'normalizedLive', 'predictedLive'] as const;
  if (!names.some((name) => isSecret(views[name]))) return views;
  const out = { ...views } as Record<string, unknown>;
  const docs: JsonObject[] = [];
  const lastApplied: { owner: JsonObject; doc: JsonObject }[] = [];
  for (const name of names) {
    const view = views[name];
    if (!isSecret(view)) continue;
    const doc = copyForMasking(view);
    out[name] = doc;
    docs.push(doc);
    const annotations = annotationsOf(doc);
    const text = annotations?.[LAST_APPLIED_ANNOTATION];
    if (annotations === undefined || typeof text !== 'string') continue;
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isPlainObject(parsed)) throw new TypeError('not an object');
      const applied = copyForMasking(parsed);
      docs.push(applied);
      lastApplied.push({ owner: doc, doc: applied });
    } catch {
      annotations[LAST_APPLIED_ANNOTATION] = FIRST_MASK;
    }
  }
  const dataKeys = new Set<string>();
  for (const doc of docs) {
    foldStringData(doc);
    const data = doc['data'];
    if (isPlainObject(data)) for (const key in data) dataKeys.add(key);
    else if (data !== undefined && data !== null) doc['data'] = FIRST_MASK;
  }
  maskField(docs, (doc) => (isPlainObject(doc['data']) ? doc['data'] : undefined), dataKeys);
  const hidden = new Set(options.hideAnnotations ?? []);
  maskField(docs, annotationsOf, hidden);
  // A hidden last-applied annotation stays masked whole; otherwise it is rewritten from its masked copy.
  if (hidden.has(LAST_APPLIED_ANNOTATION)) return out as T;
  for (const { owner, doc } of lastApplied) {
    const annotations = annotationsOf(owner);
    if (annotations !== undefined) annotations[LAST_APPLIED_ANNOTATION] = JSON.stringify(doc);
  }
  return out as T;
}
