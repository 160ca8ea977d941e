// Every vector of the reference's table (expr-and-notifications.md §5), from the fixture file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExprError } from './expr-error.ts';
import { formatValue, goTypeName } from './go-format.ts';
import { notificationEnv } from './namespaces.ts';
import { compile } from './program.ts';

interface Case {
  row: number;
  expr: string;
  env: Record<string, unknown>;
  namespaces?: boolean;
  expect: { print: string; type: string } | { error: 'compile' | 'run'; contains: string };
}

const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/reference-vectors.json', import.meta.url), 'utf8'),
) as { cases: Case[] };
const now = (): number => Date.parse('2026-01-01T00:00:00Z');

function envOf(c: Case): Record<string, unknown> {
  if (!c.namespaces) return c.env;
  return { ...notificationEnv({ app: c.env['app'] ?? null, now }), ...c.env };
}

type Outcome = { print: string; type: string } | { error: 'compile' | 'run'; message: string };

function outcome(c: Case): Outcome {
  let program;
  try {
    program = compile(c.expr);
  } catch (e) {
    if (e instanceof ExprError) return { error: 'compile', message: e.reason };
    throw e;
  }
  try {
    const v = program.run(envOf(c), { now });
    return { print: formatValue(v), type: goTypeName(v, 'int') };
  } catch (e) {
    if (e instanceof ExprError) return { error: 'run', message: e.reason };
    throw e;
  }
}

describe('reference vectors', () => {
  it('covers all 58 rows of the table', () => {
    expect(new Set(fixture.cases.map((c) => c.row)).size).toBe(58);
  });

  it.each(fixture.cases.map((c) => [`#${c.row} ${c.expr}`, c] as const))('%s', (_name, c) => {
    const got = outcome(c);
    if ('error' in c.expect) {
      expect(got).toMatchObject({ error: c.expect.error });
      expect((got as { message: string }).message).toContain(c.expect.contains);
    } else {
      expect(got).toEqual(c.expect);
    }
  });
});
