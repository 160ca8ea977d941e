// String helpers behind Sprig's string functions, following the Go libraries Sprig uses:
// strings.Title/TrimSpace/ToUpper, huandu/xstrings (snakecase, kebabcase, camelcase) and
// Masterminds/goutils (abbrev, initials, wrap, swapcase, untitle, nospace).

const isUpper = (r: string): boolean => /\p{Lu}/u.test(r);
const isLower = (r: string): boolean => /\p{Ll}/u.test(r);
const isTitleCase = (r: string): boolean => /\p{Lt}/u.test(r);
const isLetter = (r: string): boolean => /\p{L}/u.test(r);
const isNumber = (r: string): boolean => /\p{N}/u.test(r);
const isDigitU = (r: string): boolean => /\p{Nd}/u.test(r);
const isPunct = (r: string): boolean => /\p{P}/u.test(r);

/** unicode.IsSpace. */
export function isSpaceRune(r: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/u.test(r);
}

/** unicode.ToUpper / ToLower / ToTitle of one rune (JavaScript's full case mapping kept to one rune). */
function mapRune(r: string, f: (s: string) => string): string {
  const m = f(r);
  return [...m].length === 1 ? m : r;
}

export const toUpperRune = (r: string): string => mapRune(r, (s) => s.toUpperCase());
export const toLowerRune = (r: string): string => mapRune(r, (s) => s.toLowerCase());

/** strings.ToUpper. */
export function goToUpper(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toUpperCase();
  return [...s].map(toUpperRune).join('');
}

/** strings.ToLower. */
export function goToLower(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  return [...s].map(toLowerRune).join('');
}

/** strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  return s.replace(
    /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$/gu,
    '',
  );
}

/** strings.Trim(s, cutset). */
export function goTrim(s: string, cutset: string): string {
  const set = new Set([...cutset]);
  const rs = [...s];
  let a = 0;
  let b = rs.length;
  while (a < b && set.has(rs[a]!)) a++;
  while (b > a && set.has(rs[b - 1]!)) b--;
  return rs.slice(a, b).join('');
}

function isTitleSeparator(r: string): boolean {
  const c = r.codePointAt(0)!;
  if (c <= 0x7f) return !/[0-9a-zA-Z_]/.test(r);
  if (isLetter(r) || isDigitU(r)) return false;
  return isSpaceRune(r);
}

/** strings.Title. */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const r of s) {
    out += isTitleSeparator(prev) ? toUpperRune(r) : r;
    prev = r;
  }
  return out;
}

/** goutils.Uncapitalize: lower-cases the first rune of each whitespace-separated word. */
export function untitle(s: string): string {
  let next = true;
  let out = '';
  for (const r of s) {
    if (isSpaceRune(r)) {
      next = true;
      out += r;
    } else if (next) {
      out += toLowerRune(r);
      next = false;
    } else out += r;
  }
  return out;
}

/** goutils.SwapCase: word-based; a lower-case letter starting a word becomes title case. */
export function swapCase(s: string): string {
  let out = '';
  for (const r of s) {
    // Title case (after whitespace) and upper case are the same for the letters that have both.
    if (isUpper(r) || isTitleCase(r)) out += toLowerRune(r);
    else if (isLower(r)) out += toUpperRune(r);
    else out += r;
  }
  return out;
}

/** Latin-1 view of a byte, as goutils' byte loops produce with WriteRune(rune(b)). */
function byteRune(b: number): string {
  return String.fromCharCode(b);
}

/** goutils.DeleteWhiteSpace: works on bytes, so non-ASCII text is re-encoded byte by byte. */
export function deleteWhiteSpace(s: string, bytes: Uint8Array): string {
  if (s === '') return s;
  let out = '';
  let removed = false;
  for (const b of bytes) {
    if (isSpaceRune(byteRune(b))) removed = true;
    else out += byteRune(b);
  }
  return removed ? out : s;
}

/** goutils.Initials: the first byte of each whitespace-separated word. */
export function initials(s: string, bytes: Uint8Array): string {
  if (s === '') return s;
  let out = '';
  let lastWasGap = true;
  for (const b of bytes) {
    if (isSpaceRune(byteRune(b))) lastWasGap = true;
    else if (lastWasGap) {
      out += byteRune(b);
      lastWasGap = false;
    }
  }
  return out;
}

/** goutils.AbbreviateFull (byte based); returns undefined where it would return an error. */
export function abbreviateFull(str: string, offset: number, maxWidth: number): string | undefined {
  if (str === '') return '';
  if (maxWidth < 4) return undefined;
  if (str.length <= maxWidth) return str;
  if (offset > str.length) offset = str.length;
  if (str.length - offset < maxWidth - 3) offset = str.length - (maxWidth - 3);
  const marker = '...';
  if (offset <= 4) return str.slice(0, maxWidth - 3) + marker;
  if (maxWidth < 7) return undefined;
  if (offset + maxWidth - 3 < str.length) {
    return marker + (abbreviateFull(str.slice(offset), 0, maxWidth - 3) ?? '');
  }
  return marker + str.slice(str.length - (maxWidth - 3));
}

/** goutils.WrapCustom (byte based). */
export function wrapCustom(
  str: string,
  wrapLength: number,
  newLineStr: string,
  wrapLongWords: boolean,
): string {
  if (str === '') return '';
  if (newLineStr === '') newLineStr = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const len = str.length;
  let offset = 0;
  let out = '';
  while (len - offset > wrapLength) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const spaceToWrapAt = str.slice(offset, end).lastIndexOf(' ') + offset;
    if (spaceToWrapAt >= offset) {
      out += str.slice(offset, spaceToWrapAt) + newLineStr;
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      out += str.slice(offset, wrapLength + offset) + newLineStr;
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const index = str.slice(e).indexOf(' ');
      if (index === -1) {
        out += str.slice(offset);
        offset = len;
      } else {
        const at = index + e;
        out += str.slice(offset, at) + newLineStr;
        offset = at + 1;
      }
    }
  }
  return out + str.slice(offset);
}

// xstrings ----------------------------------------------------------------------------------

const isConnector = (r: string): boolean => r === '-' || r === '_' || isSpaceRune(r);

function isAlphabet(r: string): boolean {
  if (!isLetter(r)) return false;
  const c = r.codePointAt(0)!;
  if (c < 0x3400) return true;
  if (c >= 0x4e00 && c <= 0x9fcc) return false;
  if (c >= 0x3400 && c <= 0x4d85) return false;
  if (c >= 0x20000 && c <= 0x2b81d) return false;
  return true;
}

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';

function nextWord(runes: string[], start: number): [WordType, number] {
  if (start >= runes.length) return ['invalid', start];
  let i = start;
  const r = runes[i]!;
  i++;
  const takeWhile = (pred: (x: string) => boolean): void => {
    while (i < runes.length && pred(runes[i]!)) i++;
  };
  if (isConnector(r)) {
    takeWhile(isConnector);
    return ['connector', i];
  }
  if (isPunct(r)) {
    takeWhile(isPunct);
    return ['punct', i];
  }
  if (isUpper(r)) {
    if (i >= runes.length) return ['upper', i];
    const n = runes[i]!;
    if (isUpper(n)) {
      let prev = i;
      i++;
      while (i < runes.length && isUpper(runes[i]!)) {
        prev = i;
        i++;
      }
      // "HTTPStatus" splits into "HTTP" and "Status".
      if (i < runes.length && isAlphabet(runes[i]!)) i = prev;
    } else if (isAlphabet(n)) {
      i++;
      takeWhile((x) => isAlphabet(x) && !isUpper(x));
    }
    return ['upper', i];
  }
  if (isAlphabet(r)) {
    takeWhile((x) => isAlphabet(x) && !isUpper(x));
    return ['alphabet', i];
  }
  if (isNumber(r)) {
    takeWhile(isNumber);
    return ['number', i];
  }
  takeWhile((x) => !(isConnector(x) || isAlphabet(x) || isNumber(x) || isPunct(x)));
  return ['other', i];
}

function lowerWord(wt: WordType, word: string, connector: string): string {
  if (wt !== 'upper' && wt !== 'connector') return word;
  let out = '';
  for (const r of word) out += isConnector(r) ? connector : isUpper(r) ? toLowerRune(r) : r;
  return out;
}

/** xstrings camelCaseToLowerCase: snake_case and kebab-case. */
export function camelCaseToLowerCase(str: string, connector: string): string {
  if (str === '') return '';
  const runes = [...str];
  let out = '';
  let pos = 0;
  const next = (): [WordType, string] => {
    const [wt, end] = nextWord(runes, pos);
    const word = runes.slice(pos, end).join('');
    pos = end;
    return [wt, word];
  };
  let [wt, word] = next();
  while (pos < runes.length) {
    if (wt !== 'connector') out += lowerWord(wt, word, connector);
    const prev = wt;
    const last = word;
    [wt, word] = next();
    switch (prev) {
      case 'number':
        while (wt === 'alphabet' || wt === 'number') {
          out += lowerWord(wt, word, connector);
          [wt, word] = next();
        }
        if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
        break;
      case 'connector':
        out += lowerWord(prev, last, connector);
        break;
      case 'punct':
        break;
      case 'alphabet':
      case 'invalid':
      case 'other':
      case 'upper': {
        if (wt !== 'number') {
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        if (pos >= runes.length) break;
        const lastNum = word;
        [wt, word] = next();
        if (wt !== 'alphabet') {
          out += lowerWord('number', lastNum, connector);
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        out += connector + lowerWord('number', lastNum, connector);
        while (wt === 'alphabet' || wt === 'number') {
          out += lowerWord(wt, word, connector);
          [wt, word] = next();
        }
        if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out += connector;
      }
    }
  }
  return out + lowerWord(wt, word, connector);
}

/** xstrings.ToPascalCase (Sprig's camelcase): words joined, each starting upper case. */
export function toPascalCase(str: string): string {
  if (str === '') return '';
  const runes = [...str];
  let out = '';
  let i = 0;
  let r0 = '';
  for (; i < runes.length; i++) {
    r0 = runes[i]!;
    if (!isConnector(r0)) {
      r0 = toUpperRune(r0);
      i++;
      break;
    }
    out += r0;
    r0 = '';
  }
  if (i >= runes.length) return out + r0;
  for (; i < runes.length; i++) {
    const r1 = r0;
    r0 = runes[i]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = toUpperRune(r0);
    else out += r1;
  }
  return out + r0;
}
