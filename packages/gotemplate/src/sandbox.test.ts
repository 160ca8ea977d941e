// Hostile templates: JavaScript internals stay unreachable, and runaway templates end with a clear
// error inside their limits (steps, template recursion, range size, output size, nesting).

import { describe, expect, it } from 'vitest';
import { applicationSetFuncs, defaultLimits, parseTemplate, TemplateError } from './index.ts';

const funcs = applicationSetFuncs();

function render(t: string, data: unknown = {}, options: string[] = []): string {
  return parseTemplate(t, { funcs, options }).execute(data);
}

function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

describe('JavaScript internals are missing keys', () => {
  const data = { a: { b: 'c' }, list: [1, 2], s: 'str' };

  it.each(['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])(
    '.%s behaves as a missing key',
    (key) => {
      expect(render(`{{ .${key} }}|{{ .a.${key} }}|{{ index . "${key}" }}`, data)).toBe(
        '<no value>|<no value>|<no value>',
      );
      expect(render(`{{ if .${key} }}yes{{ else }}no{{ end }}`, data)).toBe('no');
      expect(failure(() => render(`{{ .${key} }}`, data, ['missingkey=error'])).message).toBe(
        `template: base:1:3: executing "base" at <.${key}>: map has no entry for key "${key}"`,
      );
    },
  );

  it('lists, strings and functions have no fields', () => {
    expect(failure(() => render('{{ .list.length }}', data)).message).toContain(
      "can't evaluate field length in type interface {}",
    );
    expect(failure(() => render('{{ (print .s).constructor }}', data)).message).toContain(
      "can't evaluate field constructor in type string",
    );
    expect(failure(() => render('{{ constructor }}')).message).toBe(
      'template: base:1: function "constructor" not defined',
    );
    expect(failure(() => render('{{ template "constructor" }}')).message).toContain(
      'template "constructor" not defined',
    );
  });

  it('hasKey, get, dig and dict never see inherited properties', () => {
    expect(
      render(
        '{{ hasKey .a "constructor" }} {{ get .a "toString" }}| {{ dig "__proto__" "x" "none" . }}',
        data,
      ),
    ).toBe('false | none');
    expect(render('{{ $d := dict "__proto__" "own" }}{{ index $d "__proto__" }} {{ len $d }}')).toBe('own 1');
  });

  it('writing __proto__ as a key never changes a prototype', () => {
    const target: Record<string, unknown> = JSON.parse('{"a": 1}') as Record<string, unknown>;
    const out = render(
      '{{ $_ := set . "__proto__" (dict "polluted" true) }}{{ .polluted }} {{ len . }}',
      target,
    );
    expect(out).toBe('<no value> 2');
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const merged = render(
      '{{ mergeOverwrite (dict) (fromJson "{\\"__proto__\\": {\\"polluted\\": 1}}") | toJson }}',
    );
    expect(merged).toBe('{"__proto__":{"polluted":1}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('limits', () => {
  it('has sensible defaults', () => {
    expect(defaultLimits).toMatchObject({
      maxSteps: 1_000_000,
      maxTemplateDepth: 100,
      maxOutputSize: 5 * 1024 * 1024,
    });
  });

  it('stops {{range}} over a huge int at once', () => {
    const start = performance.now();
    const e = failure(() => render('{{ range 1000000000 }}x{{ end }}'));
    expect(performance.now() - start).toBeLessThan(1000);
    expect(e.phase).toBe('limit');
    expect(e.code).toBe('ResourceExhausted');
    expect(e.message).toBe(
      'template: base:1:9: executing "base" at <1000000000>: range over 1000000000 elements exceeds the limit of 100000 iterations',
    );
  });

  it('stops runaway nested loops at the step limit', () => {
    const start = performance.now();
    const e = failure(() => render('{{ range 100000 }}{{ range 100000 }}{{ . }}{{ end }}{{ end }}'));
    expect(performance.now() - start).toBeLessThan(5000);
    expect(e.phase).toBe('limit');
    expect(e.message).toContain('execution exceeded the limit of 1000000 steps');
  });

  it('stops recursive templates at the depth limit', () => {
    const e = failure(() =>
      render('{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" . }}'),
    );
    expect(e.phase).toBe('limit');
    expect(e.message).toContain('exceeded maximum template depth (100)');
  });

  it('stops a 10 MB output at the output limit', () => {
    const start = performance.now();
    const e = failure(() => render('{{ range 10000 }}{{ repeat 1000 "x" }}{{ end }}'));
    expect(performance.now() - start).toBeLessThan(5000);
    expect(e.phase).toBe('limit');
    expect(e.message).toContain(`output exceeds the limit of ${5 * 1024 * 1024} characters`);
  });

  it('refuses huge values built by functions', () => {
    expect(failure(() => render('{{ repeat 1000000000 "x" }}')).message).toContain(
      'error calling repeat: repeat result of 1000000000 characters exceeds the limit',
    );
    expect(failure(() => render('{{ until 1000000000 }}')).phase).toBe('limit');
    expect(failure(() => render('{{ seq 1000000000 }}')).phase).toBe('limit');
    expect(failure(() => render('{{ indent 100000000 "a" }}')).phase).toBe('limit');
  });

  it('refuses deeply nested templates at parse time', () => {
    const parens = `{{ ${'('.repeat(5000)}1${')'.repeat(5000)} }}`;
    expect(failure(() => parseTemplate(parens)).message).toBe(
      'template: base:1: max expression depth exceeded',
    );
    const ifs = `${'{{ if true }}'.repeat(5000)}x${'{{ end }}'.repeat(5000)}`;
    expect(failure(() => parseTemplate(ifs)).message).toBe('template: base:1: max expression depth exceeded');
  });

  it('turns data nested too deeply to print into a limit error', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const e = failure(() => render('{{ . }}', deep));
    expect(e.phase).toBe('limit');
  });

  it('limits can be overridden per template and per execution', () => {
    const t = parseTemplate('{{ range 50 }}x{{ end }}', { limits: { maxRangeIterations: 10 } });
    expect(failure(() => t.execute({})).message).toContain('exceeds the limit of 10 iterations');
    expect(t.execute({}, { limits: { maxRangeIterations: 100 } })).toBe('x'.repeat(50));
    const small = parseTemplate('{{ repeat 100 "x" }}', { funcs, limits: { maxOutputSize: 50 } });
    expect(failure(() => small.execute({})).phase).toBe('limit');
  });
});
