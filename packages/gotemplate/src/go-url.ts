// net/url's Parse and URL.String for Sprig's urlParse and urlJoin.

import { utf8Bytes, fromUtf8 } from './utf8.ts';

export interface GoURL {
  scheme: string;
  opaque: string;
  user: { username: string; password: string | undefined } | undefined;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
  forceQuery: boolean;
}

export class URLError extends Error {}

type Mode = 'path' | 'pathSegment' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

function ishex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

function shouldEscape(c: number, mode: Mode): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return false;
  const ch = String.fromCharCode(c);
  if (mode === 'host' || mode === 'zone') {
    if ('!$&\'()*+,;=:[]<>"'.includes(ch)) return false;
  }
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'path':
        return ch === '?';
      case 'pathSegment':
        return ch === '/' || ch === ';' || ch === ',' || ch === '?';
      case 'userPassword':
        return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case 'queryComponent':
        return true;
      case 'fragment':
        return false;
      case 'host':
      case 'zone':
    }
  }
  if (mode === 'fragment' && (ch === '!' || ch === '(' || ch === ')' || ch === '*')) return false;
  return true;
}

export function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    if (shouldEscape(b, mode)) {
      if (b === 0x20 && mode === 'queryComponent') out += '+';
      else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    } else out += String.fromCharCode(b);
  }
  return out;
}

function unescape(s: string, mode: Mode): string {
  const bytes: number[] = [];
  const src = utf8Bytes(s);
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 0x25) {
      const h = String.fromCharCode(src[i + 1] ?? 0) + String.fromCharCode(src[i + 2] ?? 0);
      if (i + 2 >= src.length || !ishex(h[0]!) || !ishex(h[1]!)) {
        let bad = fromUtf8(src.subarray(i));
        if (bad.length > 3) bad = bad.slice(0, 3);
        throw new URLError(`invalid URL escape ${JSON.stringify(bad)}`);
      }
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (c === 0x2b && mode === 'queryComponent') bytes.push(0x20);
    else bytes.push(c);
  }
  return fromUtf8(Uint8Array.from(bytes));
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new URLError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function parseAuthority(authority: string): Pick<GoURL, 'user' | 'host'> {
  const i = authority.lastIndexOf('@');
  const host = i < 0 ? authority : authority.slice(i + 1);
  if (i < 0) return { user: undefined, host: unescape(host, 'host') };
  const userinfo = authority.slice(0, i);
  if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:%@]*$/.test(userinfo)) throw new URLError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0)
    return {
      user: { username: unescape(userinfo, 'userPassword'), password: undefined },
      host: unescape(host, 'host'),
    };
  return {
    user: {
      username: unescape(userinfo.slice(0, colon), 'userPassword'),
      password: unescape(userinfo.slice(colon + 1), 'userPassword'),
    },
    host: unescape(host, 'host'),
  };
}

/** url.Parse; throws URLError with Go's `parse "…": …` text. */
export function parseURL(raw: string): GoURL {
  const wrap = (msg: string): never => {
    throw new URLError(`parse ${JSON.stringify(raw)}: ${msg}`);
  };
  try {
    const hash = raw.indexOf('#');
    const u = hash < 0 ? raw : raw.slice(0, hash);
    const frag = hash < 0 ? '' : raw.slice(hash + 1);
    if (/[\x00-\x1f\x7f]/.test(u)) wrap('net/url: invalid control character in URL');
    const url: GoURL = {
      scheme: '',
      opaque: '',
      user: undefined,
      host: '',
      path: '',
      rawQuery: '',
      fragment: '',
      forceQuery: false,
    };
    if (u === '*') {
      url.path = '*';
      return url;
    }
    let rest: string;
    [url.scheme, rest] = getScheme(u);
    url.scheme = url.scheme.toLowerCase();
    if (rest.endsWith('?') && rest.split('?').length === 2) {
      url.forceQuery = true;
      rest = rest.slice(0, -1);
    } else {
      const q = rest.indexOf('?');
      if (q >= 0) {
        url.rawQuery = rest.slice(q + 1);
        rest = rest.slice(0, q);
      }
    }
    if (!rest.startsWith('/')) {
      if (url.scheme !== '') {
        url.opaque = rest;
        url.fragment = unescape(frag, 'fragment');
        return url;
      }
      const seg = rest.split('/')[0]!;
      if (seg.includes(':')) wrap('first path segment in URL cannot contain colon');
    }
    if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
      const body = rest.slice(2);
      const slash = body.indexOf('/');
      const authority = slash < 0 ? body : body.slice(0, slash);
      rest = slash < 0 ? '' : body.slice(slash);
      Object.assign(url, parseAuthority(authority));
    }
    url.path = unescape(rest, 'path');
    url.fragment = unescape(frag, 'fragment');
    return url;
  } catch (e) {
    if (e instanceof URLError && !e.message.startsWith('parse ')) wrap(e.message);
    throw e;
  }
}

export function userinfoString(user: NonNullable<GoURL['user']>): string {
  let s = escape(user.username, 'userPassword');
  if (user.password !== undefined) s += ':' + escape(user.password, 'userPassword');
  return s;
}

export function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host.slice(1) : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 && /^:\d*$/.test(host.slice(colon)) ? host.slice(0, colon) : host;
}

/** URL.String. */
export function urlString(u: GoURL): string {
  let out = '';
  if (u.scheme !== '') out += u.scheme + ':';
  if (u.opaque !== '') out += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (u.host !== '' || u.path !== '' || u.user !== undefined) out += '//';
      if (u.user !== undefined) out += userinfoString(u.user) + '@';
      if (u.host !== '') out += escape(u.host, 'host');
    }
    const path = escape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    if (out === '' && path.split('/')[0]!.includes(':')) out += './';
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== '') out += '?' + u.rawQuery;
  if (u.fragment !== '') out += '#' + escape(u.fragment, 'fragment');
  return out;
}
