// Objects enter Lua as the source of one table constructor, which the Lua parser turns into tables in a
// single native call: far cheaper than thousands of per-field calls across the wasm boundary.

/** Deeper values are refused: the Lua parser allows about 200 nested expressions. */
export const MAX_LITERAL_DEPTH = 100;

/**
 * Nested positional lists each keep up to 50 pending items in registers (a function has 255), so from
 * this depth on arrays are written with explicit `[i]=` keys, which keep none.
 */
const POSITIONAL_ARRAY_DEPTH = 3;

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f]/;

export class LiteralDepthError extends Error {}

/** A Lua string literal whose content no byte of `text` can end early. */
export function luaString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += '\\\\';
    // Always three digits, so a following digit is never read as part of the escape.
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString().padStart(3, '0')}`;
    else out += text[i];
  }
  return `${out}"`;
}

function numberLiteral(value: number): string {
  if (Number.isNaN(value)) return 'nil';
  if (value === Infinity) return '1e999';
  if (value === -Infinity) return '-1e999';
  // Integral values stay Lua integers, so `tostring(replicas)` reads "3", not "3.0".
  return String(value);
}

function write(value: unknown, out: string[], depth: number, arrayDepth: number): void {
  switch (typeof value) {
    case 'string':
      out.push(luaString(value));
      return;
    case 'number':
      out.push(numberLiteral(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(value.toString());
      return;
    case 'object':
      break;
    case 'undefined':
    case 'function':
    case 'symbol':
      // Like JSON, which has no such values.
      out.push('nil');
      return;
  }
  if (value === null) {
    out.push('nil');
    return;
  }
  if (depth >= MAX_LITERAL_DEPTH)
    throw new LiteralDepthError(`object is nested deeper than ${MAX_LITERAL_DEPTH} levels`);
  out.push('{');
  if (Array.isArray(value)) {
    const positional = arrayDepth < POSITIONAL_ARRAY_DEPTH;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (positional) {
        write(item, out, depth + 1, arrayDepth + 1);
        out.push(',');
      } else if (item !== null && item !== undefined) {
        out.push(`[${i + 1}]=`);
        write(item, out, depth + 1, arrayDepth + 1);
        out.push(',');
      }
    }
  } else {
    for (const [key, item] of Object.entries(value)) {
      if (item === null || item === undefined) continue;
      out.push('[', luaString(key), ']=');
      write(item, out, depth + 1, arrayDepth);
      out.push(',');
    }
  }
  out.push('}');
}

/**
 * A Lua expression for a JSON value: objects become tables with string keys, arrays 1-based sequences,
 * null becomes nil (a hole in a list, an absent key in a table). Throws LiteralDepthError when nested
 * deeper than MAX_LITERAL_DEPTH.
 */
export function toLuaLiteral(value: unknown): string {
  const out: string[] = [];
  write(value, out, 0, 0);
  return out.join('');
}
