// encoding/json as expr's toJSON/fromJSON use it: MarshalIndent with two spaces, sorted map keys,
// HTML-safe escapes; Unmarshal into interface{} turns every number into a float64.
import { formatFloat } from './go-format.ts';
import { GoDuration, GoLocation, GoTime } from './go-time.ts';
import { GoAnyMap, GoBytes, GoError, GoFloat, GoNamedInt, GoStruct, GoValue, mkFloat } from './values.ts';

function quoteJSON(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '<':
      case '>':
      case '&':
        out += `\\u00${c.toString(16)}`;
        break;
      default:
        if (c < 0x20) out += `\\u00${c.toString(16).padStart(2, '0')}`;
        else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
        else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
        else out += ch;
    }
  }
  return `${out}"`;
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new GoError(`json: unsupported value: ${formatFloat(f)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go writes 'e' form here and trims the exponent's leading zero: 1e-7, 1e+21 — JS's own form.
    return f.toExponential();
  }
  if (Number.isInteger(f)) return f.toFixed(0);
  return String(f);
}

function encode(v: unknown, indent: string, depth: number): string {
  if (depth > 10_000) throw new GoError('json: unsupported value: encountered a cycle');
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return quoteJSON(v);
    case 'number':
      return Number.isInteger(v) ? String(v) : jsonFloat(v);
    case 'function':
      throw new GoError('json: unsupported type: func()');
    case 'object':
    case 'bigint':
    case 'symbol':
    case 'undefined':
      break;
  }
  const inner = `${indent}  `;
  const list = (items: string[], open: string, close: string): string =>
    items.length === 0
      ? `${open}${close}`
      : `${open}\n${items.map((s) => inner + s).join(',\n')}\n${indent}${close}`;
  if (Array.isArray(v))
    return list(
      v.map((x) => encode(x, inner, depth + 1)),
      '[',
      ']',
    );
  if (v instanceof GoValue) {
    if (v instanceof GoFloat) return jsonFloat(v.value);
    if (v instanceof GoTime) return quoteJSON(v.format('2006-01-02T15:04:05.999999999Z07:00'));
    if (v instanceof GoDuration) return v.ns.toString();
    if (v instanceof GoNamedInt) return String(v.value);
    if (v instanceof GoBytes) return quoteJSON(Buffer.from(v.bytes).toString('base64'));
    if (v instanceof GoLocation) return '{}';
    if (v instanceof GoStruct) {
      return list(
        Object.keys(v.fields).map((k) => `${quoteJSON(k)}: ${encode(v.fields[k], inner, depth + 1)}`),
        '{',
        '}',
      );
    }
    if (v instanceof GoAnyMap) throw new GoError(`json: unsupported type: ${v.goType()}`);
    throw new GoError(`json: unsupported type: ${v.goType()}`);
  }
  const map = v as Record<string, unknown>;
  const keys = Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return list(
    keys.map((k) => `${quoteJSON(k)}: ${encode(map[k], inner, depth + 1)}`),
    '{',
    '}',
  );
}

export function toJSON(v: unknown): string {
  return encode(v, '', 0);
}

function convert(v: unknown): unknown {
  if (typeof v === 'number') return mkFloat(v);
  if (Array.isArray(v)) return v.map(convert);
  if (v !== null && typeof v === 'object') {
    const out = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v)) out[k] = convert((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function fromJSON(s: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (e) {
    const trimmed = s.trim();
    if (trimmed === '' || /end of (JSON|data)/i.test((e as Error).message))
      throw new GoError('unexpected end of JSON input');
    const ch = trimmed[0] ?? '';
    if (!/[{["\-0-9tfn]/.test(ch))
      throw new GoError(`invalid character '${ch}' looking for beginning of value`);
    throw new GoError(`invalid character in JSON input: ${(e as Error).message}`);
  }
  return convert(parsed);
}
