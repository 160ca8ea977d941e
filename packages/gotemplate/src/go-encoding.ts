// encoding/base64 and encoding/base32 (standard alphabets, padded) with Go's decoding rules and
// error text ("illegal base64 data at input byte 0"), plus hash/adler32.

import { fromUtf8, utf8Bytes } from './utf8.ts';

const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export class CorruptInputError extends Error {
  constructor(kind: string, offset: number) {
    super(`illegal ${kind} data at input byte ${offset}`);
  }
}

export function base64Encode(s: string): string {
  const bytes = utf8Bytes(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += b64[(n >> 18) & 63]! + b64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? b64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? b64[n & 63]! : '=';
  }
  return out;
}

/** base64.StdEncoding.DecodeString, as bytes. */
export function base64DecodeBytes(s: string): Uint8Array {
  const src = utf8Bytes(s);
  const out: number[] = [];
  let si = 0;
  const isNl = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;
  for (;;) {
    const dbuf: number[] = [];
    let dlen = 4;
    let end = false;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        throw new CorruptInputError('base64', si - j);
      }
      const c = src[si++]!;
      const v = c < 128 ? b64.indexOf(String.fromCharCode(c)) : -1;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (isNl(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) throw new CorruptInputError('base64', si - 1);
      if (j === 0 || j === 1) throw new CorruptInputError('base64', si - 1);
      if (j === 2) {
        while (si < src.length && isNl(src[si])) si++;
        if (si === src.length) throw new CorruptInputError('base64', src.length);
        if (src[si] !== 0x3d) throw new CorruptInputError('base64', si - 1);
        si++;
      }
      while (si < src.length && isNl(src[si])) si++;
      if (si < src.length) throw new CorruptInputError('base64', si);
      dlen = j;
      end = true;
      break;
    }
    const n = ((dbuf[0] ?? 0) << 18) | ((dbuf[1] ?? 0) << 12) | ((dbuf[2] ?? 0) << 6) | (dbuf[3] ?? 0);
    if (dlen >= 2) out.push((n >> 16) & 0xff);
    if (dlen >= 3) out.push((n >> 8) & 0xff);
    if (dlen >= 4) out.push(n & 0xff);
    if (end) return Uint8Array.from(out);
  }
}

export function base64Decode(s: string): string {
  return fromUtf8(base64DecodeBytes(s));
}

export function base64EncodeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function base32Encode(s: string): string {
  const bytes = utf8Bytes(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const nChars = [2, 4, 5, 7, 8][chunk.length - 1]!;
    for (let k = 0; k < 8; k++) {
      out += k < nChars ? b32[Number((bits >> BigInt(35 - 5 * k)) & 31n)]! : '=';
    }
  }
  return out;
}

/** base32.StdEncoding.DecodeString. */
export function base32Decode(s: string): string {
  const src = utf8Bytes(s.replace(/[\r\n]/g, ''));
  const olen = src.length;
  let rest = 0;
  const out: number[] = [];
  let end = false;
  while (rest < olen && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8;) {
      if (rest === olen) throw new CorruptInputError('base32', olen - (olen - rest) - j);
      const c = src[rest++]!;
      const left = olen - rest;
      if (c === 0x3d && j >= 2 && left < 8) {
        if (left + j < 7) throw new CorruptInputError('base32', olen);
        for (let k = 0; k < 7 - j; k++) {
          if (left > k && src[rest + k] !== 0x3d) throw new CorruptInputError('base32', olen - left + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) throw new CorruptInputError('base32', olen - left - 1);
        break;
      }
      const v = c < 128 ? b32.indexOf(String.fromCharCode(c)) : -1;
      if (v < 0) throw new CorruptInputError('base32', olen - left - 1);
      dbuf[j] = v;
      j++;
    }
    let bits = 0n;
    for (const d of dbuf) bits = (bits << 5n) | BigInt(d);
    const nBytes = [0, 0, 1, 0, 2, 3, 0, 4, 5][dlen]!;
    for (let k = 0; k < nBytes; k++) out.push(Number((bits >> BigInt(32 - 8 * k)) & 0xffn));
  }
  return fromUtf8(Uint8Array.from(out));
}

export function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of utf8Bytes(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
