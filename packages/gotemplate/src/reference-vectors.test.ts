// Every vector of the behavioural reference (go-template.md §8 and go-template-vectors.jsonl),
// rendered with the ApplicationSet function map under the template name "base", as Argo CD does.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applicationSetFuncs, parseTemplate } from './index.ts';

interface Vector {
  id: number;
  t: string;
  d?: unknown;
  opt?: string;
  out?: string;
  err?: string;
  errContains?: string;
  src?: string;
}

const fixturesDir = new URL('./__fixtures__/', import.meta.url);

function loadJsonl(): { fixtures: Record<string, unknown>; cases: Vector[] } {
  const lines = readFileSync(new URL('go-template-vectors.jsonl', fixturesDir), 'utf8').trim().split('\n');
  const header = JSON.parse(lines[0]!) as { fixtures: Record<string, unknown> };
  return { fixtures: header.fixtures, cases: lines.slice(1).map((l) => JSON.parse(l) as Vector) };
}

function loadMarkdownVectors(): { fixtures: Record<string, unknown>; cases: Vector[] } {
  return JSON.parse(readFileSync(new URL('go-template-md-vectors.json', fixturesDir), 'utf8')) as {
    fixtures: Record<string, unknown>;
    cases: Vector[];
  };
}

const funcs = applicationSetFuncs({ now: () => Date.UTC(2024, 2, 5, 10, 0, 0), random: () => 0.5 });

function render(v: Vector, fixtures: Record<string, unknown>): string {
  // A vector without data was run against an empty JSON object.
  const data = typeof v.d === 'string' && v.d.startsWith('@') ? structuredClone(fixtures[v.d]) : (v.d ?? {});
  const tmpl = parseTemplate(v.t, { name: 'base', funcs, options: v.opt === undefined ? [] : [v.opt] });
  return tmpl.execute(data);
}

function check(v: Vector, fixtures: Record<string, unknown>): void {
  if (v.out !== undefined) {
    expect(render(v, fixtures)).toBe(v.out);
  } else if (v.err !== undefined) {
    expect(() => render(v, fixtures)).toThrow(v.err);
    try {
      render(v, fixtures);
    } catch (e) {
      expect((e as Error).message).toBe(v.err);
    }
  } else if (v.errContains !== undefined) {
    expect(() => render(v, fixtures)).toThrow(v.errContains);
  } else {
    throw new Error(`vector ${v.id} has no expectation`);
  }
}

describe('go-template-vectors.jsonl', () => {
  const { fixtures, cases } = loadJsonl();
  it('has every vector of the reference file', () => {
    expect(cases).toHaveLength(131);
  });
  for (const v of cases) {
    it(`#${v.id}${v.src === undefined ? '' : ' (src)'}: ${v.t.slice(0, 60)}`, () => check(v, fixtures));
  }
});

describe('go-template.md section 8', () => {
  const { fixtures, cases } = loadMarkdownVectors();
  it('has every vector of the section', () => {
    expect(cases).toHaveLength(60);
  });
  for (const v of cases) {
    it(`#${v.id}${v.src === undefined ? '' : ' (src)'}: ${v.t.slice(0, 60)}`, () => check(v, fixtures));
  }
});
