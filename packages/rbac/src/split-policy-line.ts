/** The fields of one policy line, or why it does not parse as CSV. */
export type SplitResult = { readonly fields: string[] } | { readonly error: string };

// Go's unicode.IsSpace: the Latin-1 spaces plus the Unicode White_Space characters.
function isGoSpace(c: number): boolean {
  switch (c) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200a;
  }
}

/**
 * Splits one (already trimmed) policy line the way Argo CD reads it: Go's encoding/csv with
 * TrimLeadingSpace and strict quotes. Leading white space of a field is dropped, trailing white space
 * is kept (so `p, alice , …` names the subject "alice " exactly as Argo CD does), a field may be quoted
 * to hold commas (`"a,b"`, with `""` for a quote), and a stray or unclosed quote is an error.
 */
export function splitPolicyLine(line: string): SplitResult {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isGoSpace(line.charCodeAt(i))) i++;
    if (i < n && line.charCodeAt(i) === 0x22 /* " */) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return { error: `extraneous or missing " in quoted-field (column ${n + 1})` };
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 0x22) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return { fields };
      if (line.charCodeAt(i) !== 0x2c /* , */) {
        return { error: `extraneous or missing " in quoted-field (column ${i + 1})` };
      }
      i++;
      continue;
    }
    const comma = line.indexOf(',', i);
    const end = comma < 0 ? n : comma;
    const value = line.slice(i, end);
    const quote = value.indexOf('"');
    if (quote >= 0) return { error: `bare " in non-quoted-field (column ${i + quote + 1})` };
    fields.push(value);
    if (comma < 0) return { fields };
    i = comma + 1;
  }
}
