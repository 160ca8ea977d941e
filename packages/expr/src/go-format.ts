// Go's fmt `%v` and `%T` for expr values: `string(x)`, oncePer keys and error messages all print
// values the way Go does (`<nil>`, `1e+06`, `[1 2]`, `map[a:1]`).
import { GoDuration, GoLocation, GoTime } from './go-time.ts';
import { GoAnyMap, GoBytes, GoFloat, GoFunc, GoNamedInt, GoStruct, GoValue } from './values.ts';

/** Go's `%T`. Integral numbers print as `intName`: `int` for values the language made, `int64` for JSON. */
export function goTypeName(v: unknown, intName = 'int64'): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(v) ? intName : 'float64';
    case 'function':
      return 'func()';
    case 'object':
      if (v instanceof GoValue) return v.goType();
      if (Array.isArray(v)) return '[]interface {}';
      return 'map[string]interface {}';
    case 'bigint':
    case 'symbol':
    case 'undefined':
      return 'unknown';
  }
  return 'unknown';
}

/** strconv.FormatFloat(f, 'g', -1, 64) as `%v` prints it: shortest digits, exponent form when exp < -4 || exp >= 6. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expStr] = Math.abs(f).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expStr);
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) return sign + expForm(digits, exp);
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

function expForm(digits: string, exp: number): string {
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp);
  return `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
}

function sortKeys(keys: unknown[]): unknown[] {
  return keys.sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const sa = formatValue(a);
    const sb = formatValue(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
}

/** fmt.Sprintf("%v", v). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return v;
    case 'number':
      return Number.isInteger(v) ? String(v) : formatFloat(v);
    case 'function':
      return '0x0';
    case 'object':
      break;
    case 'bigint':
      return v.toString();
    case 'symbol':
    case 'undefined':
      return '<nil>';
  }
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  if (v instanceof GoValue) {
    if (v instanceof GoFloat) return formatFloat(v.value);
    if (v instanceof GoTime || v instanceof GoDuration) return v.toString();
    if (v instanceof GoNamedInt) return v.text;
    if (v instanceof GoBytes) return `[${Array.from(v.bytes).join(' ')}]`;
    if (v instanceof GoLocation) return v.name;
    if (v instanceof GoStruct) {
      const body = `{${Object.values(v.fields).map(formatValue).join(' ')}}`;
      return v.typeName.startsWith('*') ? `&${body}` : body;
    }
    if (v instanceof GoAnyMap) {
      const parts = sortKeys([...v.entries.keys()]).map(
        (k) => `${formatValue(k)}:${formatValue(v.entries.get(k))}`,
      );
      return `map[${parts.join(' ')}]`;
    }
    if (v instanceof GoFunc) return '0x0';
    return '?';
  }
  const map = v as Record<string, unknown>;
  const keys = Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${keys.map((k) => `${k}:${formatValue(map[k])}`).join(' ')}]`;
}
