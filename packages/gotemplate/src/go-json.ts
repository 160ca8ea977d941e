// encoding/json for the value model: Marshal (sorted map keys, HTML-safe escaping, Go's number
// text) and Unmarshal into interface{} (float64 numbers, Go's syntax error messages).

import { formatFloat } from './format-float.ts';
import {
  GoComplex,
  GoFunc,
  GoInt,
  GoMap,
  GoObject,
  GoSlice,
  goTypeName,
  isPlainMap,
  mapSet,
  newMap,
} from './go-values.ts';
import { compareBytes } from './utf8.ts';

export class JsonError extends Error {}

export interface MarshalOptions {
  readonly escapeHTML?: boolean;
  readonly indent?: string;
}

function hex4(c: number): string {
  return c.toString(16).padStart(4, '0');
}

export function encodeJsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c < 0x7f) {
      if (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26)) out += `\\u00${c.toString(16)}`;
      else out += s[i];
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += '\\\\';
        continue;
      case 0x0a:
        out += '\\n';
        continue;
      case 0x0d:
        out += '\\r';
        continue;
      case 0x09:
        out += '\\t';
        continue;
      case 0x08:
        out += '\\b';
        continue;
      case 0x0c:
        out += '\\f';
        continue;
      default:
    }
    if (c < 0x20) {
      out += `\\u${hex4(c)}`;
      continue;
    }
    if (c === 0x2028 || c === 0x2029) {
      out += `\\u${hex4(c)}`;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
      out += '\\ufffd';
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    out += s[i];
  }
  return out + '"';
}

function base64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function marshalValue(v: unknown, o: Required<MarshalOptions>, depth: string): string {
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return encodeJsonString(v, o.escapeHTML);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new JsonError(`json: unsupported value: ${formatFloat(v, 'g', -1)}`);
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
    case 'function':
    case 'object':
    case 'symbol':
    case 'undefined':
    default:
  }
  if (v instanceof GoInt) return String(v.value);
  if (v instanceof Uint8Array) return `"${base64(v)}"`;
  if (v instanceof GoComplex || v instanceof GoFunc)
    throw new JsonError(`json: unsupported type: ${goTypeName(v)}`);
  if (v instanceof GoObject) {
    if (v.spec.json !== undefined) return marshalValue(v.spec.json(), o, depth);
    const obj = newMap();
    for (const [k, x] of v.spec.fields ?? []) mapSet(obj, k, x);
    return marshalValue(obj, o, depth);
  }
  const inner = depth + o.indent;
  const nl = o.indent === '' ? '' : '\n';
  const sep = o.indent === '' ? ':' : ': ';
  let items: readonly unknown[] | undefined;
  if (Array.isArray(v)) items = v;
  else if (v instanceof GoSlice) {
    if (v.elem === 'uint8') return `"${base64(Uint8Array.from(v.items, (x) => (x as GoInt).value))}"`;
    items = v.items;
  }
  if (items !== undefined) {
    if (items.length === 0) return '[]';
    return `[${nl}${items.map((x) => inner + marshalValue(x, o, inner)).join(`,${nl}`)}${nl}${depth}]`;
  }
  let entries: [string, unknown][];
  if (v instanceof GoMap) entries = [...v.entries];
  else if (isPlainMap(v)) entries = Object.entries(v);
  else throw new JsonError(`json: unsupported type: ${goTypeName(v)}`);
  if (entries.length === 0) return '{}';
  entries.sort((a, b) => compareBytes(a[0], b[0]));
  const parts = entries.map(
    ([k, x]) => inner + encodeJsonString(k, o.escapeHTML) + sep + marshalValue(x, o, inner),
  );
  return `{${nl}${parts.join(`,${nl}`)}${nl}${depth}}`;
}

/** json.Marshal / MarshalIndent(v, "", indent); throws JsonError like Go's error result. */
export function marshalJson(v: unknown, options: MarshalOptions = {}): string {
  return marshalValue(v, { escapeHTML: options.escapeHTML ?? true, indent: options.indent ?? '' }, '');
}

// Unmarshal ---------------------------------------------------------------------------------

/** The quoteChar of encoding/json's scanner: 'x', '\'', '"', '\n'. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

class JsonParser {
  private i = 0;
  private readonly s: string;
  constructor(s: string) {
    this.s = s;
  }

  private err(context: string): never {
    if (this.i >= this.s.length) throw new JsonError('unexpected end of JSON input');
    const ch = String.fromCodePoint(this.s.codePointAt(this.i)!);
    throw new JsonError(`invalid character ${quoteChar(ch)} ${context}`);
  }

  private ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  parseTop(): unknown {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.err('after top-level value');
    return v;
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case undefined:
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        this.err('looking for beginning of value');
    }
  }

  private literal(word: string, v: unknown): unknown {
    for (let k = 0; k < word.length; k++) {
      if (this.s[this.i] !== word[k]) {
        if (k === 0) this.err('looking for beginning of value');
        this.err(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
      }
      this.i++;
    }
    return v;
  }

  private number(): number {
    const start = this.i;
    if (this.s[this.i] === '-') this.i++;
    const digit = (): boolean => this.i < this.s.length && this.s[this.i]! >= '0' && this.s[this.i]! <= '9';
    if (this.s[this.i] === '0') this.i++;
    else if (digit()) while (digit()) this.i++;
    else this.err('in numeric literal');
    if (this.s[this.i] === '.') {
      this.i++;
      if (!digit()) this.err('after decimal point in numeric literal');
      while (digit()) this.i++;
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      if (!digit()) this.err('in exponent of numeric literal');
      while (digit()) this.i++;
    }
    return Number(this.s.slice(start, this.i));
  }

  private string(): string {
    this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.err('in string literal');
      const c = this.s.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return out;
      }
      if (c < 0x20) this.err('in string literal');
      if (c !== 0x5c) {
        out += this.s[this.i++];
        continue;
      }
      this.i++;
      const e = this.s[this.i];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          let v = 0;
          for (let k = 0; k < 4; k++) {
            this.i++;
            const h = this.s[this.i];
            if (h === undefined || !/[0-9a-fA-F]/.test(h)) this.err('in \\u hexadecimal character escape');
            v = v * 16 + parseInt(h, 16);
          }
          out += String.fromCharCode(v);
          break;
        }
        case undefined:
        default:
          this.err('in string escape code');
      }
      this.i++;
    }
  }

  private array(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      this.err('after array element');
    }
  }

  private object(): Record<string, unknown> {
    this.i++;
    const out = newMap();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.err('looking for beginning of object key string');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.err('after object key');
      this.i++;
      mapSet(out, k, this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      this.err('after object key:value pair');
    }
  }
}

/** json.Unmarshal into interface{}: maps, []interface{}, float64, string, bool, nil. */
export function unmarshalJson(s: string): unknown {
  return new JsonParser(s).parseTop();
}
