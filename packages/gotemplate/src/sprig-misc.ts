// Sprig's remaining families: defaults and JSON (defaults.go), reflection, paths, encodings,
// crypto and ids, regular expressions, semantic versions, URLs and fail.

import { createCipheriv, createDecipheriv, createHmac, scryptSync } from 'node:crypto';
import {
  compileGoRegexp,
  findAllString,
  findString,
  GoRegexpError,
  matchString,
  quoteMeta,
  replaceAll,
  split,
  type GoRegexp,
} from '@capstan/gocompat';
import { deepEqual, isEmpty } from './go-cast.ts';
import {
  base32Decode,
  base32Encode,
  base64Decode,
  base64DecodeBytes,
  base64Encode,
  base64EncodeBytes,
  CorruptInputError,
} from './go-encoding.ts';
import { JsonError, marshalJson, unmarshalJson } from './go-json.ts';
import { basePath, cleanPath, dirPath, extPath, isAbsPath } from './go-path.ts';
import { canBackquote, quote } from './go-quote.ts';
import { hostname, parseURL, URLError, urlString, userinfoString, type GoURL } from './go-url.ts';
import type { GoInt } from './go-values.ts';
import { GoSlice, goKindName, goTypeName, mapSet, newMap } from './go-values.ts';
import { checkConstraints, newConstraint, newVersion, semverValue } from './semver.ts';
import { B, def, defv, fail, I, M, nilDeref, S, X, type FuncTable } from './sprig-define.ts';
import { fromUtf8, utf8Bytes } from './utf8.ts';
import type { RandomSource } from './func-env.ts';

const L_ = '[]interface {}';

function mustCompile(re: string): GoRegexp {
  try {
    return compileGoRegexp(re);
  } catch (e) {
    if (e instanceof GoRegexpError)
      fail(`regexp: Compile(${canBackquote(re) ? '`' + re + '`' : quote(re)}): ${e.message}`);
    throw e;
  }
}

function compile(re: string): GoRegexp {
  try {
    return compileGoRegexp(re);
  } catch (e) {
    if (e instanceof GoRegexpError) fail(e.message);
    throw e;
  }
}

function strings(list: string[] | null): GoSlice {
  return new GoSlice('string', list ?? []);
}

function jsonOrEmpty(v: unknown, indent = ''): string {
  try {
    return marshalJson(v, { indent });
  } catch (e) {
    if (e instanceof JsonError) return '';
    throw e;
  }
}

function jsonOrFail(v: unknown, options: { indent?: string; escapeHTML?: boolean }): string {
  try {
    return marshalJson(v, options);
  } catch (e) {
    if (e instanceof JsonError) fail(e.message);
    throw e;
  }
}

function fromJson(s: string, must: boolean): unknown {
  try {
    return unmarshalJson(s);
  } catch (e) {
    if (e instanceof JsonError) {
      if (must) fail(e.message);
      return null;
    }
    throw e;
  }
}

function decodeOrMessage(fn: (s: string) => string, s: string): string {
  try {
    return fn(s);
  } catch (e) {
    if (e instanceof CorruptInputError) return e.message;
    throw e;
  }
}

function urlParse(v: string): Record<string, unknown> {
  let u: GoURL;
  try {
    u = parseURL(v);
  } catch (e) {
    if (e instanceof URLError) fail(`unable to parse url: ${e.message}`);
    throw e;
  }
  const d = newMap();
  mapSet(d, 'scheme', u.scheme);
  mapSet(d, 'host', u.host);
  mapSet(d, 'hostname', hostname(u.host));
  mapSet(d, 'path', u.path);
  mapSet(d, 'query', u.rawQuery);
  mapSet(d, 'opaque', u.opaque);
  mapSet(d, 'fragment', u.fragment);
  mapSet(d, 'userinfo', u.user === undefined ? '' : userinfoString(u.user));
  return d;
}

function urlJoin(d: Record<string, unknown> | null): string {
  const get = (k: string): string => {
    if (d === null || !Object.hasOwn(d, k)) return '';
    const v = d[k];
    if (v === null || v === undefined) fail(nilDeref);
    if (typeof v !== 'string')
      fail(`unable to parse ${k} key, must be of type string, but ${goKindName(v)} found`);
    return v;
  };
  const u: GoURL = {
    scheme: get('scheme'),
    host: get('host'),
    path: get('path'),
    rawQuery: get('query'),
    opaque: get('opaque'),
    fragment: get('fragment'),
    user: undefined,
    forceQuery: false,
  };
  const userinfo = get('userinfo');
  if (userinfo !== '') {
    try {
      u.user = parseURL(`proto://${userinfo}@host`).user;
    } catch (e) {
      if (e instanceof URLError) fail(`unable to parse userinfo in dict: ${e.message}`);
      throw e;
    }
  }
  return urlString(u);
}

const masterPasswordSeed = 'com.lyndir.masterpassword';
const passwordTypeTemplates: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv',
    'CvcvCvcvnoCvcv',
    'CvcvCvcvCvcvno',
    'CvccnoCvcvCvcv',
    'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno',
    'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno',
    'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc',
    'CvcvCvcvCvccno',
    'CvccnoCvccCvcv',
    'CvccCvccnoCvcv',
    'CvccCvccCvcvno',
    'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc',
    'CvcvCvccCvccno',
    'CvccnoCvcvCvcc',
    'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const templateCharacters: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function uint32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function derivePassword(...args: [GoInt, string, string, string, string]): string {
  const [counter, passwordType, password, user, site] = args;
  const templates = passwordTypeTemplates[passwordType];
  if (templates === undefined) return `cannot find password template ${passwordType}`;
  const seed = Buffer.from(masterPasswordSeed);
  const salt = Buffer.concat([seed, uint32be(utf8Bytes(user).length), Buffer.from(user)]);
  const key = scryptSync(Buffer.from(password), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 64 * 1024 * 1024 });
  const msg = Buffer.concat([
    seed,
    uint32be(utf8Bytes(site).length),
    Buffer.from(site),
    uint32be(counter.value),
  ]);
  const mac = createHmac('sha256', key).update(msg).digest();
  const temp = templates[mac[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < temp.length; i++) {
    const chars = templateCharacters[temp[i]!]!;
    out += chars[mac[i + 1]! % chars.length];
  }
  return out;
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password).copy(key, 0, 0, 32);
  return key;
}

function encryptAES(random: RandomSource, password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = Buffer.from(plaintext);
  const padding = 16 - (content.length % 16);
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)]);
  const iv = Buffer.from(random.bytes(16));
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv).setAutoPadding(false);
  const body = Buffer.concat([cipher.update(padded), cipher.final()]);
  return base64EncodeBytes(Buffer.concat([iv, body]));
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  let crypt: Uint8Array;
  try {
    crypt = base64DecodeBytes(crypt64);
  } catch (e) {
    if (e instanceof CorruptInputError) fail(e.message);
    throw e;
  }
  if (crypt.length < 16) fail(`runtime error: slice bounds out of range [:16] with length ${crypt.length}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) fail('crypto/cipher: input not full blocks');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16)).setAutoPadding(
    false,
  );
  const plain = Buffer.concat([decipher.update(body), decipher.final()]);
  if (plain.length === 0) fail('runtime error: index out of range [-1]');
  const pad = plain[plain.length - 1]!;
  if (pad > plain.length) fail(`runtime error: slice bounds out of range [:${plain.length - pad}]`);
  return fromUtf8(plain.subarray(0, plain.length - pad));
}

function uuidv4(random: RandomSource): string {
  const b = random.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function unsupported(name: string): () => never {
  return () => fail(`${name} is not supported by Capstan's template engine`);
}

export function miscFuncs(random: RandomSource): FuncTable {
  const semverCompare = def(
    [S, S],
    B,
    (c: string, v: string) => checkConstraints(newConstraint(c), newVersion(v)),
    { err: true },
  );
  return [
    // Defaults and JSON.
    [
      'default',
      defv([X, X], X, (d: unknown, ...given: unknown[]) =>
        given.length === 0 || isEmpty(given[0]) ? d : given[0],
      ),
    ],
    ['empty', def([X], B, isEmpty)],
    ['coalesce', defv([X], X, (...v: unknown[]) => v.find((x) => !isEmpty(x)) ?? null)],
    ['all', defv([X], B, (...v: unknown[]) => v.every((x) => !isEmpty(x)))],
    ['any', defv([X], B, (...v: unknown[]) => v.some((x) => !isEmpty(x)))],
    ['fromJson', def([S], X, (s: string) => fromJson(s, false))],
    ['mustFromJson', def([S], X, (s: string) => fromJson(s, true), { err: true })],
    ['toJson', def([X], S, (v: unknown) => jsonOrEmpty(v))],
    ['mustToJson', def([X], S, (v: unknown) => jsonOrFail(v, {}), { err: true })],
    ['toPrettyJson', def([X], S, (v: unknown) => jsonOrEmpty(v, '  '))],
    ['mustToPrettyJson', def([X], S, (v: unknown) => jsonOrFail(v, { indent: '  ' }), { err: true })],
    ['toRawJson', def([X], S, (v: unknown) => jsonOrFail(v, { escapeHTML: false }))],
    ['mustToRawJson', def([X], S, (v: unknown) => jsonOrFail(v, { escapeHTML: false }), { err: true })],
    ['ternary', def([X, X, B], X, (t: unknown, f: unknown, v: boolean) => (v ? t : f))],
    // Reflection.
    ['typeOf', def([X], S, (v: unknown) => goTypeName(v))],
    ['typeIs', def([S, X], B, (t: string, v: unknown) => t === goTypeName(v))],
    [
      'typeIsLike',
      def([S, X], B, (t: string, v: unknown) => t === goTypeName(v) || `*${t}` === goTypeName(v)),
    ],
    ['kindOf', def([X], S, (v: unknown) => goKindName(v))],
    ['kindIs', def([S, X], B, (t: string, v: unknown) => t === goKindName(v))],
    ['deepEqual', def([X, X], B, deepEqual)],
    // Paths (filepath is path on Linux).
    ...(['', 'os'] as const).flatMap((p): FuncTable => {
      const n = (s: string): string => (p === '' ? s.toLowerCase() : `os${s}`);
      return [
        [n('Base'), def([S], S, basePath)],
        [n('Dir'), def([S], S, dirPath)],
        [n('Clean'), def([S], S, cleanPath)],
        [n('Ext'), def([S], S, extPath)],
        [p === '' ? 'isAbs' : 'osIsAbs', def([S], B, isAbsPath)],
      ];
    }),
    // Encoding.
    ['b64enc', def([S], S, base64Encode)],
    ['b64dec', def([S], S, (s: string) => decodeOrMessage(base64Decode, s))],
    ['b32enc', def([S], S, base32Encode)],
    ['b32dec', def([S], S, (s: string) => decodeOrMessage(base32Decode, s))],
    // Crypto and ids.
    ['bcrypt', def([S], S, unsupported('bcrypt'))],
    ['htpasswd', def([S, S], S, unsupported('htpasswd'))],
    ['genPrivateKey', def([S], S, unsupported('genPrivateKey'))],
    ['derivePassword', def(['uint32', S, S, S, S], S, derivePassword)],
    ['buildCustomCert', def([S, S], 'sprig.certificate', unsupported('buildCustomCert'), { err: true })],
    ['genCA', def([S, I], 'sprig.certificate', unsupported('genCA'), { err: true })],
    ['genCAWithKey', def([S, I, S], 'sprig.certificate', unsupported('genCAWithKey'), { err: true })],
    [
      'genSelfSignedCert',
      def([S, L_, I], 'sprig.certificate', unsupported('genSelfSignedCert'), { err: true }),
    ],
    [
      'genSelfSignedCertWithKey',
      def([S, L_, I, S], 'sprig.certificate', unsupported('genSelfSignedCertWithKey'), { err: true }),
    ],
    ['genSignedCert', def([S, L_, I, X], 'sprig.certificate', unsupported('genSignedCert'), { err: true })],
    [
      'genSignedCertWithKey',
      def([S, L_, I, X, S], 'sprig.certificate', unsupported('genSignedCertWithKey'), { err: true }),
    ],
    ['encryptAES', def([S, S], S, (p: string, t: string) => encryptAES(random, p, t), { err: true })],
    ['decryptAES', def([S, S], S, decryptAES, { err: true })],
    [
      'randBytes',
      def([I], S, (n: GoInt) => base64EncodeBytes(random.bytes(Math.max(n.value, 0))), { err: true }),
    ],
    ['uuidv4', def([], S, () => uuidv4(random))],
    // Semantic versions.
    ['semver', def([S], '*semver.Version', (v: string) => semverValue(newVersion(v)), { err: true })],
    ['semverCompare', semverCompare],
    // Flow control.
    ['fail', def([S], S, (msg: string) => fail(msg), { err: true })],
    // Regular expressions.
    [
      'regexMatch',
      def([S, S], B, (re: string, s: string) => {
        try {
          return matchString(compileGoRegexp(re), s);
        } catch (e) {
          if (e instanceof GoRegexpError) return false;
          throw e;
        }
      }),
    ],
    ['mustRegexMatch', def([S, S], B, (re: string, s: string) => matchString(compile(re), s), { err: true })],
    [
      'regexFindAll',
      def([S, S, I], '[]string', (re: string, s: string, n: GoInt) =>
        strings(findAllString(mustCompile(re), s, n.value)),
      ),
    ],
    [
      'mustRegexFindAll',
      def(
        [S, S, I],
        '[]string',
        (re: string, s: string, n: GoInt) => strings(findAllString(compile(re), s, n.value)),
        { err: true },
      ),
    ],
    ['regexFind', def([S, S], S, (re: string, s: string) => findString(mustCompile(re), s))],
    ['mustRegexFind', def([S, S], S, (re: string, s: string) => findString(compile(re), s), { err: true })],
    [
      'regexReplaceAll',
      def([S, S, S], S, (re: string, s: string, r: string) => replaceAll(mustCompile(re), s, r, false)),
    ],
    [
      'mustRegexReplaceAll',
      def([S, S, S], S, (re: string, s: string, r: string) => replaceAll(compile(re), s, r, false), {
        err: true,
      }),
    ],
    [
      'regexReplaceAllLiteral',
      def([S, S, S], S, (re: string, s: string, r: string) => replaceAll(mustCompile(re), s, r, true)),
    ],
    [
      'mustRegexReplaceAllLiteral',
      def([S, S, S], S, (re: string, s: string, r: string) => replaceAll(compile(re), s, r, true), {
        err: true,
      }),
    ],
    [
      'regexSplit',
      def([S, S, I], '[]string', (re: string, s: string, n: GoInt) =>
        strings(split(mustCompile(re), s, n.value)),
      ),
    ],
    [
      'mustRegexSplit',
      def(
        [S, S, I],
        '[]string',
        (re: string, s: string, n: GoInt) => strings(split(compile(re), s, n.value)),
        { err: true },
      ),
    ],
    ['regexQuoteMeta', def([S], S, quoteMeta)],
    // URLs.
    ['urlParse', def([S], M, urlParse)],
    ['urlJoin', def([M], S, urlJoin)],
  ];
}
