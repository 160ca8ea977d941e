// Static types ("natures") the checker knows without an environment: literals, operators and
// builtins. Everything read from the environment is `unknown` and is checked at run time instead.

export type Nature =
  | { readonly k: 'unknown' }
  /** interface{}: a parameter or result that accepts anything (counts as unknown). */
  | { readonly k: 'any' }
  | { readonly k: 'nil' }
  | { readonly k: 'bool' }
  | { readonly k: 'int' }
  | { readonly k: 'float' }
  | { readonly k: 'string' }
  | { readonly k: 'bytes' }
  | { readonly k: 'array'; readonly type: string; readonly elem: Nature }
  | { readonly k: 'map'; readonly type: string; readonly key: Nature; readonly elem: Nature }
  | { readonly k: 'time' }
  | { readonly k: 'duration' }
  | { readonly k: 'location' }
  | { readonly k: 'predicate'; readonly out: Nature }
  | { readonly k: 'func' };

export const N = {
  unknown: { k: 'unknown' } as Nature,
  any: { k: 'any' } as Nature,
  nil: { k: 'nil' } as Nature,
  bool: { k: 'bool' } as Nature,
  int: { k: 'int' } as Nature,
  float: { k: 'float' } as Nature,
  string: { k: 'string' } as Nature,
  bytes: { k: 'bytes' } as Nature,
  time: { k: 'time' } as Nature,
  duration: { k: 'duration' } as Nature,
  location: { k: 'location' } as Nature,
  func: { k: 'func' } as Nature,
  arrayOf(elem: Nature, type = '[]interface {}'): Nature {
    return { k: 'array', type, elem };
  },
  stringMap: {
    k: 'map',
    type: 'map[string]interface {}',
    key: { k: 'string' },
    elem: { k: 'any' },
  } as Nature,
  anyMap: {
    k: 'map',
    type: 'map[interface {}]interface {}',
    key: { k: 'any' },
    elem: { k: 'any' },
  } as Nature,
  groupMap: {
    k: 'map',
    type: 'map[interface {}][]interface {}',
    key: { k: 'any' },
    elem: { k: 'array', type: '[]interface {}', elem: { k: 'any' } },
  } as Nature,
} as const;

export const anyArray: Nature = N.arrayOf(N.any);
export const stringArray: Nature = N.arrayOf(N.string, '[]string');

export function isUnknown(n: Nature): boolean {
  return n.k === 'unknown' || n.k === 'any';
}

export function isNumber(n: Nature): boolean {
  return n.k === 'int' || n.k === 'float';
}

/** Nature.String(): Go's reflect type name; natures without a type (unknown, nil) print "unknown". */
export function natureString(n: Nature): string {
  switch (n.k) {
    case 'unknown':
    case 'nil':
      return 'unknown';
    case 'any':
      return 'interface {}';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'bool':
      return 'bool';
    case 'string':
      return 'string';
    case 'bytes':
      return '[]uint8';
    case 'array':
    case 'map':
      return n.type;
    case 'time':
      return 'time.Time';
    case 'duration':
      return 'time.Duration';
    case 'location':
      return '*time.Location';
    case 'predicate':
      return 'func(interface {}) interface {}';
    case 'func':
      return 'func';
  }
}

/** The reflect.Type string a Validate function sees: unknown is interface {}, nil is <nil>. */
export function reflectTypeString(n: Nature): string {
  if (n.k === 'nil') return '<nil>';
  if (n.k === 'unknown') return 'interface {}';
  return natureString(n);
}

export function assignableTo(n: Nature, to: Nature): boolean {
  if (to.k === 'any') return n.k !== 'unknown';
  if (n.k === 'nil')
    return to.k === 'array' || to.k === 'map' || to.k === 'location' || to.k === 'func' || to.k === 'bytes';
  if (n.k === 'unknown' || to.k === 'unknown') return false;
  if (n.k !== to.k) return false;
  if ((n.k === 'array' || n.k === 'map') && (to.k === 'array' || to.k === 'map')) return n.type === to.type;
  return true;
}

export function comparableTo(l: Nature, r: Nature): boolean {
  return (
    isUnknown(l) ||
    isUnknown(r) ||
    l.k === 'nil' ||
    r.k === 'nil' ||
    (isNumber(l) && isNumber(r)) ||
    (l.k === 'duration' && r.k === 'duration') ||
    (l.k === 'time' && r.k === 'time') ||
    (l.k === 'array' && r.k === 'array') ||
    assignableTo(l, r)
  );
}

export type Check = 'bool' | 'string' | 'integer' | 'number' | 'map' | 'array' | 'time' | 'duration';

export function isAnyOf(n: Nature, checks: readonly Check[]): boolean {
  return checks.some((c) => {
    switch (c) {
      case 'bool':
        return n.k === 'bool';
      case 'string':
        return n.k === 'string';
      case 'integer':
        return n.k === 'int';
      case 'number':
        return isNumber(n);
      case 'map':
        return n.k === 'map';
      case 'array':
        return n.k === 'array';
      case 'time':
        return n.k === 'time';
      case 'duration':
        return n.k === 'duration';
    }
  });
}

export function maybeCompatible(l: Nature, r: Nature, ...checks: Check[]): boolean {
  const lu = isUnknown(l);
  const ru = isUnknown(r);
  return (lu && ru) || (lu && isAnyOf(r, checks)) || (ru && isAnyOf(l, checks));
}

export function elemOf(n: Nature): Nature {
  if (n.k === 'array' || n.k === 'map') return n.elem;
  return N.unknown;
}
