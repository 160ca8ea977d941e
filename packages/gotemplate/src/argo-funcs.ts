// The functions Argo CD adds to Sprig for ApplicationSets: normalize, slugify, toYaml, fromYaml,
// fromYamlArray (applicationset/utils in Argo CD), re-created from their documented behaviour.

import { fromYaml, fromYamlArray, toYaml } from './go-yaml.ts';
import { goTypeName, GoInt } from './go-values.ts';
import { def, defv, fail, L, M, S, X, type FuncTable } from './sprig-define.ts';

/**
 * Argo CD's SanitizeName (the `normalize` function and every `*Normalized` parameter): lower
 * case, every character outside [-a-z0-9.] becomes '-', cut to 253 bytes, '-' and '.' trimmed.
 */
export function normalize(name: string): string {
  const lower = /^[\x00-\x7f]*$/.test(name)
    ? name.toLowerCase()
    : [...name]
        .map((r) => {
          const l = r.toLowerCase();
          return [...l].length === 1 ? l : r;
        })
        .join('');
  let s = lower.replace(/[^-a-z0-9.]/gu, '-');
  if (s.length > 253) s = s.slice(0, 253);
  return s.replace(/^[-.]+|[-.]+$/g, '');
}

/** gosimple/slug.Make on an already normalized name, with MaxLength and smart truncation. */
export function slugify(name: string, maxLength = 50, smartTruncate = true): string {
  let slug = normalize(name);
  if (!smartTruncate && maxLength > 0 && slug.length >= maxLength) slug = slug.slice(0, maxLength);
  slug = slug.replace(/[^a-zA-Z0-9_-]/g, '-').replace(/-+/g, '-');
  slug = slug.replace(/^[-_]+|[-_]+$/g, '');
  if (maxLength > 0 && smartTruncate && slug.length > maxLength) {
    for (let i = maxLength; i >= 0; i--) {
      if (slug[i] === '-') return slug.slice(0, i);
    }
    return slug.slice(0, maxLength);
  }
  return slug;
}

function conversion(v: unknown, want: string): string {
  return `interface conversion: interface {} is ${v === null || v === undefined ? 'nil' : goTypeName(v)}, not ${want}`;
}

/** slugify [maxSize int] [smart bool] name: arguments are type-asserted like Argo CD does. */
function slugifyArgs(...args: unknown[]): string {
  let maxSize = 50;
  let smart = true;
  let name = '';
  args.forEach((arg, idx) => {
    if (idx === args.length - 1) {
      if (typeof arg !== 'string') fail(conversion(arg, 'string'));
      name = arg;
    } else if (idx === 0) {
      if (!(arg instanceof GoInt) || arg.kind !== 'int') fail(conversion(arg, 'int'));
      maxSize = arg.value;
    } else if (idx === 1) {
      if (typeof arg !== 'boolean') fail(conversion(arg, 'bool'));
      smart = arg;
    }
  });
  return slugify(name, maxSize, smart);
}

export function argoFuncs(): FuncTable {
  return [
    ['normalize', def([S], S, normalize)],
    ['slugify', defv([X], S, slugifyArgs)],
    ['toYaml', def([X], S, toYaml, { err: true })],
    ['fromYaml', def([S], M, fromYaml, { err: true })],
    ['fromYamlArray', def([S], L, fromYamlArray, { err: true })],
  ];
}
