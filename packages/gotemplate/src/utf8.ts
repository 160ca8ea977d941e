// Go strings are byte strings: len, index, slicing, trunc and substr count UTF-8 bytes, not UTF-16
// code units. These helpers give JavaScript strings that view, with a fast path for ASCII.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

const nonAscii = /[^\x00-\x7f]/;

export function isAscii(s: string): boolean {
  return !nonAscii.test(s);
}

export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function fromUtf8(b: Uint8Array): string {
  return decoder.decode(b);
}

export function byteLength(s: string): number {
  if (isAscii(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** s[start:end] in bytes (Go slicing). Cutting through a character leaves a replacement character. */
export function byteSlice(s: string, start: number, end?: number): string {
  if (isAscii(s)) return s.slice(start, end);
  return fromUtf8(utf8Bytes(s).subarray(start, end));
}

/** The byte at a byte index, as Go's s[i]. */
export function byteAt(s: string, i: number): number {
  if (isAscii(s)) return s.charCodeAt(i);
  return utf8Bytes(s)[i] ?? 0;
}

/** Byte offset of a UTF-16 index (used for error columns). */
export function byteOffset(s: string, index: number): number {
  return byteLength(s.slice(0, index));
}

/** Go bytewise string order (UTF-8 order equals code point order). */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
