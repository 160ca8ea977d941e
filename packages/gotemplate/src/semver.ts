// Masterminds/semver v3 as Sprig's semver and semverCompare use it: lenient version parsing
// ("v1.2" is 1.2.0), and constraints with =, !=, <, >, ~, ^, wildcards, hyphen ranges, commas
// and ||, where prereleases only satisfy constraints that carry a prerelease themselves.

import { GoFuncError, GoInt, GoObject, type GoMethod } from './go-values.ts';

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: string;
  readonly metadata: string;
  readonly original: string;
}

const versionRegex =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

function parseSegment(s: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    throw new GoFuncError(
      `Error parsing version segment: strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`,
    );
  }
  return n;
}

export function newVersion(v: string): Version {
  const m = versionRegex.exec(v);
  if (m === null) throw new GoFuncError('Invalid Semantic Version');
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  for (const part of pre === '' ? [] : pre.split('.')) {
    if (/^[0-9]+$/.test(part) && part.length > 1 && part[0] === '0')
      throw new GoFuncError('Version segment starts with 0');
  }
  return {
    major: parseSegment(m[1]!),
    minor: m[2] === undefined ? 0 : parseSegment(m[2].slice(1)),
    patch: m[3] === undefined ? 0 : parseSegment(m[3].slice(1)),
    pre,
    metadata,
    original: v,
  };
}

export function versionString(v: Version): string {
  let s = `${v.major}.${v.minor}.${v.patch}`;
  if (v.pre !== '') s += `-${v.pre}`;
  if (v.metadata !== '') s += `+${v.metadata}`;
  return s;
}

function compareSegment(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return 1;
  const sNum = /^[0-9]+$/.test(s);
  const oNum = /^[0-9]+$/.test(o);
  if (!sNum && !oNum) return s > o ? 1 : -1;
  if (!oNum) return -1;
  if (!sNum) return 1;
  return Number(s) > Number(o) ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  const l = Math.max(sp.length, op.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

export function compareVersions(v: Version, o: Version): number {
  const d =
    compareSegment(v.major, o.major) || compareSegment(v.minor, o.minor) || compareSegment(v.patch, o.patch);
  if (d !== 0) return d;
  if (v.pre === '' && o.pre === '') return 0;
  if (v.pre === '') return 1;
  if (o.pre === '') return -1;
  return comparePrerelease(v.pre, o.pre);
}

// Constraints -------------------------------------------------------------------------------

interface Constraint {
  con: Version;
  orig: string;
  op: string;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

const cvRegex =
  'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const ops = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const constraintRegex = new RegExp(`^\\s*(${ops})\\s*(${cvRegex})\\s*$`);
const constraintRangeRegex = new RegExp(`\\s*(${cvRegex})\\s+-\\s+(${cvRegex})\\s*`, 'g');
const findConstraintRegex = new RegExp(`(${ops})\\s*(${cvRegex})`, 'g');
const validConstraintRegex = new RegExp(
  `^(\\s*(${ops})\\s*(${cvRegex})\\s*)((?:\\s+|,\\s*)(${ops})\\s*(${cvRegex})\\s*)*$`,
);

const isX = (x: string): boolean => x === 'x' || x === '*' || x === 'X';

function parseConstraint(c: string): Constraint {
  if (c.length === 0) {
    return { con: newVersion('0.0.0'), orig: c, op: '', minorDirty: false, patchDirty: false, dirty: true };
  }
  const m = constraintRegex.exec(c);
  if (m === null) throw new GoFuncError(`improper constraint: ${c}`);
  const major = m[3]!;
  const minor = m[4] ?? '';
  const patch = m[5] ?? '';
  const pre = m[6] ?? '';
  let ver = m[2]!;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, '')) || minor === '') {
    minorDirty = true;
    dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (isX(patch.replace(/^\./, '')) || patch === '') {
    dirty = true;
    patchDirty = true;
    ver = `${major}${minor}.0${pre}`;
  }
  let con: Version;
  try {
    con = newVersion(ver);
  } catch {
    throw new GoFuncError('constraint Parser Error');
  }
  return { con, orig: m[2]!, op: m[1]!, minorDirty, patchDirty, dirty };
}

function rewriteRange(i: string): string {
  return i.replace(
    constraintRangeRegex,
    (_all, a: string, ...rest: unknown[]) => `>= ${a}, <= ${rest[9] as string} `,
  );
}

export type Constraints = Constraint[][];

export function newConstraint(c: string): Constraints {
  c = rewriteRange(c);
  return c.split('||').map((v) => {
    if (!validConstraintRegex.test(v)) throw new GoFuncError(`improper constraint: ${v}`);
    const cs = v.match(findConstraintRegex) ?? [v];
    return cs.map(parseConstraint);
  });
}

const lt = (v: Version, o: Version): boolean => compareVersions(v, o) < 0;

function check(v: Version, c: Constraint): boolean {
  const preGuard = v.pre !== '' && c.con.pre === '';
  switch (c.op) {
    case '':
    case '=':
      if (preGuard) return false;
      if (c.dirty) return tilde(v, c);
      return compareVersions(v, c.con) === 0;
    case '!=':
      if (c.dirty) {
        if (preGuard) return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return compareVersions(v, c.con) !== 0;
    case '>':
      if (preGuard) return false;
      if (!c.dirty) return compareVersions(v, c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return compareVersions(v, c.con) === 1;
    case '<':
      if (preGuard) return false;
      return compareVersions(v, c.con) < 0;
    case '>=':
    case '=>':
      if (preGuard) return false;
      return compareVersions(v, c.con) >= 0;
    case '<=':
    case '=<':
      if (preGuard) return false;
      if (!c.dirty) return compareVersions(v, c.con) <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      if (preGuard) return false;
      return tilde(v, c);
    case '^':
      return caret(v, c, preGuard);
    default:
      return false;
  }
}

function tilde(v: Version, c: Constraint): boolean {
  if (v.pre !== '' && c.con.pre === '') return false;
  if (lt(v, c.con)) return false;
  if (c.con.major === 0 && c.con.minor === 0 && c.con.patch === 0 && !c.minorDirty && !c.patchDirty)
    return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function caret(v: Version, c: Constraint, preGuard: boolean): boolean {
  if (preGuard) return false;
  if (lt(v, c.con)) return false;
  if (c.con.major > 0 || c.minorDirty) return v.major === c.con.major;
  if (c.con.major === 0 && v.major > 0) return false;
  if (c.con.minor > 0 || c.patchDirty) return v.minor === c.con.minor;
  if (c.con.minor === 0 && v.minor > 0) return false;
  return c.con.patch === v.patch;
}

export function checkConstraints(cs: Constraints, v: Version): boolean {
  return cs.some((group) => group.every((c) => check(v, c)));
}

// The template value *semver.Version ----------------------------------------------------------

function m(params: string[], ret: string, fn: (v: GoObject, ...a: never[]) => unknown): GoMethod {
  return { sig: { params, ret }, fn: fn };
}

const ver = (o: GoObject): Version => o.state as Version;

const versionMethods: ReadonlyMap<string, GoMethod> = new Map([
  ['Major', m([], 'uint64', (o) => new GoInt('uint64', ver(o).major))],
  ['Minor', m([], 'uint64', (o) => new GoInt('uint64', ver(o).minor))],
  ['Patch', m([], 'uint64', (o) => new GoInt('uint64', ver(o).patch))],
  ['Prerelease', m([], 'string', (o) => ver(o).pre)],
  ['Metadata', m([], 'string', (o) => ver(o).metadata)],
  ['Original', m([], 'string', (o) => ver(o).original)],
  ['String', m([], 'string', (o) => versionString(ver(o)))],
  ['LessThan', m(['*semver.Version'], 'bool', (o, p: GoObject) => compareVersions(ver(o), ver(p)) < 0)],
  ['GreaterThan', m(['*semver.Version'], 'bool', (o, p: GoObject) => compareVersions(ver(o), ver(p)) > 0)],
  ['Equal', m(['*semver.Version'], 'bool', (o, p: GoObject) => compareVersions(ver(o), ver(p)) === 0)],
  [
    'Compare',
    m(['*semver.Version'], 'int', (o, p: GoObject) => new GoInt('int', compareVersions(ver(o), ver(p)))),
  ],
  [
    'IncPatch',
    m([], 'semver.Version', (o) => {
      const v = ver(o);
      return semverValue(
        v.pre !== '' ? { ...v, pre: '', metadata: '' } : { ...v, patch: v.patch + 1, pre: '', metadata: '' },
      );
    }),
  ],
  [
    'IncMinor',
    m([], 'semver.Version', (o) =>
      semverValue({ ...ver(o), minor: ver(o).minor + 1, patch: 0, pre: '', metadata: '' }),
    ),
  ],
  [
    'IncMajor',
    m([], 'semver.Version', (o) =>
      semverValue({ ...ver(o), major: ver(o).major + 1, minor: 0, patch: 0, pre: '', metadata: '' }),
    ),
  ],
]);

export function semverValue(v: Version): GoObject {
  return new GoObject(
    {
      typeName: '*semver.Version',
      kind: 'ptr',
      methods: versionMethods,
      stringer: () => versionString(v),
      json: () => versionString(v),
      key: () => versionString(v),
    },
    v,
  );
}
