import { describe, expect, it } from 'vitest';
import { parsePolicyCsv } from './parse-policy-csv.ts';

describe('parsePolicyCsv', () => {
  it('reads p and g lines, skipping comments, blank lines and surrounding white space', () => {
    const { lines, diagnostics } = parsePolicyCsv(
      [
        '# a comment',
        '',
        '  p, role:x, applications, get, */*, allow  ',
        '\tg, alice, role:x\r',
        '   # indented comment',
      ].join('\n'),
      'policy.csv',
    );
    expect(diagnostics).toEqual([]);
    expect(lines).toEqual([
      {
        kind: 'p',
        subject: 'role:x',
        resource: 'applications',
        action: 'get',
        object: '*/*',
        effect: 'allow',
        origin: { source: 'policy.csv', line: 3 },
      },
      { kind: 'g', member: 'alice', role: 'role:x', origin: { source: 'policy.csv', line: 4 } },
    ]);
  });

  it.each([
    ['p, a, applications, get, */*', '6 fields'],
    ['p, a, applications, get, */*, allow, x', '6 fields'],
    ['p, a, applications, get, */*, Allow', 'effect must be'],
    ['p, a, applications, get, */*, DENY', 'effect must be'],
    ['g, a', '3 fields'],
    ['g, a, b, c', '3 fields'],
    ['P, a, applications, get, */*, allow', 'starts with "p" or "g"'],
    ['p2, a, applications, get, */*, allow', 'starts with "p" or "g"'],
    ['this\ttoo', 'starts with "p" or "g"'],
    ['p, a"b, applications, get, */*, allow', 'bare "'],
    ['p, "a, applications, get, */*, allow', 'quoted-field'],
  ])('ignores and reports %j', (text, message) => {
    const { lines, diagnostics } = parsePolicyCsv(
      `p, ok, applications, get, */*, allow\n${text}`,
      'policy.x.csv',
    );
    expect(lines).toHaveLength(1);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      source: 'policy.x.csv',
      line: 2,
      text: text.trim(),
    });
    expect(diagnostics[0]!.message).toContain(message);
  });

  it('keeps lines Argo CD keeps but warns when they cannot mean what they say', () => {
    const { lines, diagnostics } = parsePolicyCsv(
      'p, alice , applications, get, */*, allow\np, , applications, get, */*, allow',
      'policy.csv',
    );
    expect(lines.map((l) => (l.kind === 'p' ? l.subject : ''))).toEqual(['alice ', '']);
    expect(diagnostics.map((d) => [d.severity, d.line])).toEqual([
      ['warning', 1],
      ['warning', 2],
    ]);
  });

  it('accepts quoted fields with commas and doubled quotes', () => {
    const { lines } = parsePolicyCsv('p, "role,admin", projects, delete, "a""b", allow', 'policy.csv');
    expect(lines[0]).toMatchObject({ subject: 'role,admin', object: 'a"b' });
  });
});
