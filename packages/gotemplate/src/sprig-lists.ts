// Sprig's list and dict functions (list.go, dict.go): lists are []interface{} whatever went in,
// dicts are only map[string]interface{} (typed maps are refused by the argument check), merge
// follows dario.cat/mergo, and a bad input panics the way Go does.

import { deepCopy, deepEqual, isEmpty, strval, toInt } from './go-cast.ts';
import { GoInt, GoMap, GoSlice, goKindName, isPlainMap, mapSet, newMap, sliceItems } from './go-values.ts';
import { checkCount } from './limits.ts';
import { def, defv, fail, I, L, M, nilDeref, S, X, B, type FuncTable } from './sprig-define.ts';

/** The elements of a list argument, or Sprig's error for other kinds (a nil list panics in reflect.TypeOf). */
function items(list: unknown, message: (kind: string) => string): readonly unknown[] {
  if (list === null || list === undefined) fail(nilDeref);
  const it = sliceItems(list);
  if (it === undefined) fail(message(goKindName(list)));
  return it;
}

function chunk(size: GoInt, list: unknown): GoSlice {
  const it = items(list, (k) => `Cannot chunk type ${k}`);
  const n = size.value;
  if (n <= 0 && it.length > 0) fail('runtime error: makeslice: len out of range');
  const out: unknown[][] = [];
  for (let i = 0; i < it.length; i += n) out.push(it.slice(i, i + n));
  return new GoSlice('[]interface {}', out);
}

function sliceList(list: unknown, ...indices: unknown[]): unknown {
  const it = items(list, (k) => `list should be type of slice or array but ${k}`);
  if (it.length === 0) return null;
  const start = indices.length > 0 ? toInt(indices[0]) : 0;
  const end = indices.length < 2 ? it.length : toInt(indices[1]);
  if (start < 0 || end < start || end > it.length) fail('reflect: slice index out of range');
  if (Array.isArray(list)) return list.slice(start, end);
  if (list instanceof GoSlice) return new GoSlice(list.elem, list.items.slice(start, end));
  return (list as Uint8Array).slice(start, end);
}

function concat(...lists: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const l of lists) {
    if (l === null || l === undefined) fail(nilDeref);
    const it = sliceItems(l);
    if (it === undefined) fail(`Cannot concat type ${goKindName(l)} as list`);
    out.push(...it);
  }
  checkCount(out.length, 'concat result');
  return out;
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) fail('dig needs at least three arguments');
  const asMap = (v: unknown): Record<string, unknown> => {
    if (isPlainMap(v)) return v;
    fail(
      `interface conversion: interface {} is ${v === null || v === undefined ? 'nil' : typeName(v)}, not map[string]interface {}`,
    );
  };
  let dict = asMap(ps[ps.length - 1]);
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string')
      fail(
        `interface conversion: interface {} is ${k === null || k === undefined ? 'nil' : typeName(k)}, not string`,
      );
    return k;
  });
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!Object.hasOwn(dict, k)) return def;
    const step = dict[k];
    if (i === keys.length - 1) return step;
    dict = asMap(step);
  }
  return def;
}

function typeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt) return v.kind;
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoMap) return v.typeName;
  if (v instanceof GoSlice) return v.typeName;
  return 'map[string]interface {}';
}

/** mergo's isEmptyValue for map elements. */
function mergoEmpty(v: unknown): boolean {
  return isEmpty(v);
}

const isMapKind = (v: unknown): boolean => isPlainMap(v) || v instanceof GoMap;
const isSliceKind = (v: unknown): boolean => sliceItems(v) !== undefined;

/** mergo.Merge / MergeWithOverwrite of map[string]interface{} values, in place. */
function mergeInto(
  dst: Record<string, unknown>,
  src: Record<string, unknown>,
  overwrite: boolean,
  depth: number,
): void {
  if (depth > 100) return;
  for (const [key, srcElement] of Object.entries(src)) {
    const hasDst = Object.hasOwn(dst, key);
    const dstElement = hasDst ? dst[key] : undefined;
    if (srcElement === null || srcElement === undefined) {
      if (overwrite) mapSet(dst, key, null);
      continue;
    }
    if (isMapKind(srcElement)) {
      if (hasDst && isPlainMap(dstElement) && isPlainMap(srcElement))
        mergeInto(dstElement, srcElement, overwrite, depth + 1);
    } else if (isSliceKind(srcElement)) {
      let dstSlice: unknown =
        !hasDst || dstElement === null ? (Array.isArray(srcElement) ? [] : srcElement) : dstElement;
      if (overwrite || Object.keys(dst).length === 0) dstSlice = srcElement;
      mapSet(dst, key, dstSlice);
    }
    if (hasDst && !mergoEmpty(dstElement)) {
      if (isSliceKind(srcElement)) continue;
      if (isMapKind(srcElement) && isMapKind(dstElement)) continue;
    }
    if (overwrite || !hasDst || mergoEmpty(dstElement)) mapSet(dst, key, srcElement);
  }
}

function merge(
  overwrite: boolean,
): (dst: Record<string, unknown> | null, ...srcs: (Record<string, unknown> | null)[]) => unknown {
  return (dst, ...srcs) => {
    const out = dst ?? newMap();
    for (const src of srcs) if (src !== null) mergeInto(out, src, overwrite, 0);
    return out;
  };
}

export function listFuncs(): FuncTable {
  const list = defv([X], L, (...v: unknown[]) => [...v]);
  const push = def([X, X], L, (l: unknown, v: unknown) => [
    ...items(l, (k) => `Cannot push on type ${k}`),
    v,
  ]);
  const prepend = def([X, X], L, (l: unknown, v: unknown) => [
    v,
    ...items(l, (k) => `Cannot prepend on type ${k}`),
  ]);
  const first = def([X], X, (l: unknown) => {
    const it = items(l, (k) => `Cannot find first on type ${k}`);
    return it.length === 0 ? null : it[0];
  });
  const last = def([X], X, (l: unknown) => {
    const it = items(l, (k) => `Cannot find last on type ${k}`);
    return it.length === 0 ? null : it[it.length - 1];
  });
  const rest = def([X], L, (l: unknown) => items(l, (k) => `Cannot find rest on type ${k}`).slice(1));
  const initial = def([X], L, (l: unknown) =>
    items(l, (k) => `Cannot find initial on type ${k}`).slice(0, -1),
  );
  const reverse = def([X], L, (l: unknown) =>
    [...items(l, (k) => `Cannot find reverse on type ${k}`)].reverse(),
  );
  const compact = def([X], L, (l: unknown) =>
    items(l, (k) => `Cannot compact on type ${k}`).filter((x) => !isEmpty(x)),
  );
  const uniq = def([X], L, (l: unknown) => {
    const out: unknown[] = [];
    for (const x of items(l, (k) => `Cannot find uniq on type ${k}`))
      if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  });
  const without = defv([X, X], L, (l: unknown, ...omit: unknown[]) =>
    items(l, (k) => `Cannot find without on type ${k}`).filter((x) => !omit.some((o) => deepEqual(x, o))),
  );
  const has = def([X, X], B, (needle: unknown, haystack: unknown) => {
    if (haystack === null || haystack === undefined) return false;
    return items(haystack, (k) => `Cannot find has on type ${k}`).some((x) => deepEqual(needle, x));
  });
  const slice = defv([X, X], X, sliceList);
  const chunkF = def([I, X], '[][]interface {}', chunk);
  return [
    ['list', list],
    ['tuple', list],
    ['append', push],
    ['push', push],
    ['mustAppend', push],
    ['mustPush', push],
    ['prepend', prepend],
    ['mustPrepend', prepend],
    ['first', first],
    ['mustFirst', first],
    ['rest', rest],
    ['mustRest', rest],
    ['last', last],
    ['mustLast', last],
    ['initial', initial],
    ['mustInitial', initial],
    ['reverse', reverse],
    ['mustReverse', reverse],
    ['compact', compact],
    ['mustCompact', compact],
    ['uniq', uniq],
    ['mustUniq', uniq],
    ['without', without],
    ['mustWithout', without],
    ['has', has],
    ['mustHas', has],
    ['slice', slice],
    ['mustSlice', slice],
    ['concat', defv([X], X, concat)],
    ['dig', defv([X], X, dig, true)],
    ['chunk', chunkF],
    ['mustChunk', chunkF],
    // Dicts.
    [
      'dict',
      defv([X], M, (...v: unknown[]) => {
        const d = newMap();
        for (let i = 0; i < v.length; i += 2) mapSet(d, strval(v[i]), i + 1 < v.length ? v[i + 1] : '');
        return d;
      }),
    ],
    [
      'get',
      def([M, S], X, (d: Record<string, unknown> | null, k: string) =>
        d !== null && Object.hasOwn(d, k) ? d[k] : '',
      ),
    ],
    [
      'set',
      def([M, S, X], M, (d: Record<string, unknown> | null, k: string, v: unknown) => {
        if (d === null) fail('assignment to entry in nil map');
        mapSet(d, k, v);
        return d;
      }),
    ],
    [
      'unset',
      def([M, S], M, (d: Record<string, unknown> | null, k: string) => {
        if (d === null) return newMap();
        if (Object.hasOwn(d, k)) delete d[k];
        return d;
      }),
    ],
    [
      'hasKey',
      def([M, S], B, (d: Record<string, unknown> | null, k: string) => d !== null && Object.hasOwn(d, k)),
    ],
    [
      'pluck',
      defv([S, M], L, (k: string, ...ds: (Record<string, unknown> | null)[]) =>
        ds.filter((d) => d !== null && Object.hasOwn(d, k)).map((d) => d![k]),
      ),
    ],
    [
      'keys',
      defv(
        [M],
        '[]string',
        (...ds: (Record<string, unknown> | null)[]) =>
          new GoSlice(
            'string',
            ds.flatMap((d) => (d === null ? [] : Object.keys(d))),
          ),
      ),
    ],
    [
      'pick',
      defv([M, S], M, (d: Record<string, unknown> | null, ...ks: string[]) => {
        const out = newMap();
        for (const k of ks) if (d !== null && Object.hasOwn(d, k)) mapSet(out, k, d[k]);
        return out;
      }),
    ],
    [
      'omit',
      defv([M, S], M, (d: Record<string, unknown> | null, ...ks: string[]) => {
        const out = newMap();
        for (const [k, v] of Object.entries(d ?? {})) if (!ks.includes(k)) mapSet(out, k, v);
        return out;
      }),
    ],
    ['merge', defv([M, M], X, merge(false))],
    ['mustMerge', defv([M, M], X, merge(false), true)],
    ['mergeOverwrite', defv([M, M], X, merge(true))],
    ['mustMergeOverwrite', defv([M, M], X, merge(true), true)],
    ['values', def([M], L, (d: Record<string, unknown> | null) => Object.values(d ?? {}))],
    ['deepCopy', def([X], X, deepCopy)],
    ['mustDeepCopy', def([X], X, deepCopy, { err: true })],
  ];
}
