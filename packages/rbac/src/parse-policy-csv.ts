import type { PolicyDiagnostic } from './policy-diagnostic.ts';
import type { PolicyLine } from './policy-line.ts';
import { splitPolicyLine } from './split-policy-line.ts';

export interface ParsedPolicy {
  readonly lines: PolicyLine[];
  readonly diagnostics: PolicyDiagnostic[];
}

/**
 * Parses one policy text (a `policy.csv` value, one `policy.<name>.csv` overlay, or the built-in policy).
 *
 * Blank lines and lines starting with `#` are skipped. `p` lines need exactly six fields and `g` lines
 * exactly three, as in Argo CD. Where Argo CD would refuse the whole policy for one bad line, Capstan
 * reports that line (with its source and line number) and ignores it; it never reads a bad line in a way
 * that grants more: an effect other than `allow`/`deny` (which Casbin treats as neither) is ignored too.
 */
export function parsePolicyCsv(text: string, source: string): ParsedPolicy {
  const lines: PolicyLine[] = [];
  const diagnostics: PolicyDiagnostic[] = [];
  const rawLines = text.split('\n');
  for (let index = 0; index < rawLines.length; index++) {
    const raw = rawLines[index]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const lineNo = index + 1;
    const origin = { source, line: lineNo };
    const report = (severity: 'error' | 'warning', message: string): void => {
      diagnostics.push({ severity, source, line: lineNo, text: raw, message });
    };
    const split = splitPolicyLine(raw);
    if ('error' in split) {
      report('error', `invalid RBAC policy line, ignored: ${split.error}`);
      continue;
    }
    const f = split.fields;
    const kind = f[0];
    if (kind === 'p') {
      if (f.length !== 6) {
        report(
          'error',
          `invalid RBAC policy line, ignored: a "p" line has 6 fields (p, subject, resource, action, object, effect), this one has ${f.length}`,
        );
        continue;
      }
      const effect = f[5]!;
      if (effect !== 'allow' && effect !== 'deny') {
        report(
          'error',
          `invalid RBAC policy line, ignored: effect must be "allow" or "deny", not ${JSON.stringify(effect)}`,
        );
        continue;
      }
      warnAboutFields(f.slice(1, 5), report);
      lines.push({
        kind: 'p',
        subject: f[1]!,
        resource: f[2]!,
        action: f[3]!,
        object: f[4]!,
        effect,
        origin,
      });
    } else if (kind === 'g') {
      if (f.length !== 3) {
        report(
          'error',
          `invalid RBAC policy line, ignored: a "g" line has 3 fields (g, subject, role), this one has ${f.length}`,
        );
        continue;
      }
      warnAboutFields(f.slice(1, 3), report);
      lines.push({ kind: 'g', member: f[1]!, role: f[2]!, origin });
    } else {
      report(
        'error',
        `invalid RBAC policy line, ignored: a line starts with "p" or "g", not ${JSON.stringify(kind ?? '')}`,
      );
    }
  }
  return { lines, diagnostics };
}

// Argo CD keeps trailing white space inside a field, so `p, alice , …` is a policy for "alice ": the line
// loads but never applies. Say so rather than silently trimming (which would grant what Argo CD doesn't).
function warnAboutFields(
  fields: readonly string[],
  report: (severity: 'warning', message: string) => void,
): void {
  for (const field of fields) {
    if (field === '') {
      report('warning', 'a field is empty; it only matches an empty value');
      return;
    }
    if (field !== field.trimEnd()) {
      report('warning', `field ${JSON.stringify(field)} ends with white space, which is part of the value`);
      return;
    }
  }
}
