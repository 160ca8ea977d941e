// The Template API (parse once, execute many times, template sets) and Go behaviours the
// reference vectors do not pin down: parse error lines, error locations in defined templates,
// formatting corner cases.

import { describe, expect, it } from 'vitest';
import { parseTemplate, TemplateError } from './index.ts';

describe('Template', () => {
  it('parses once and executes many times with different data', () => {
    const t = parseTemplate('{{ .a }}-{{ len .l }}');
    expect(t.execute({ a: 'x', l: [1] })).toBe('x-1');
    expect(t.execute({ a: 'y', l: [] })).toBe('y-0');
  });

  it('keeps defined templates in a set, and can execute any of them', () => {
    const t = parseTemplate(
      '{{ define "row" }}<{{ . }}>{{ end }}{{ range . }}{{ template "row" . }}{{ end }}',
      { name: 'main' },
    );
    expect(t.templateNames()).toEqual(['main', 'row']);
    expect(t.execute(['a', 'b'])).toBe('<a><b>');
    expect(t.execute('z', { template: 'row' })).toBe('<z>');
    expect(() => t.execute({}, { template: 'nope' })).toThrow(
      'template: no template "nope" associated with template "main"',
    );
  });

  it('does not let a called template see the caller variables', () => {
    expect(() => parseTemplate('{{ define "t" }}{{ $x }}{{ end }}{{ $x := 1 }}{{ template "t" }}')).toThrow(
      'template: base:1: undefined variable "$x"',
    );
  });

  it('reports exec errors in a defined template with its name and the line in the whole text', () => {
    const t = parseTemplate('line1\n{{ define "inner" }}\n  {{ .x.y }}{{ end }}{{ template "inner" .v }}', {
      options: ['missingkey=error'],
    });
    expect(() => t.execute({ v: {} })).toThrow(
      'template: base:3:7: executing "inner" at <.x.y>: map has no entry for key "x"',
    );
  });

  it('reports parse errors with the line of the last token read', () => {
    expect(() => parseTemplate('a\nb\n{{ if .x }}\nc')).toThrow('template: base:4: unexpected EOF');
    expect(() => parseTemplate('{{ end }}')).toThrow('template: base:1: unexpected {{end}}');
    expect(() => parseTemplate('{{ .a-b }}')).toThrow("template: base:1: bad character U+002D '-'");
    expect(() => parseTemplate('{{ break }}')).toThrow('template: base:1: {{break}} outside {{range}}');
    expect(() => parseTemplate('{{ with .a }}{{ else if .b }}{{ end }}')).toThrow('unexpected <if> in input');
    expect(() => parseTemplate('{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}')).toThrow(
      'template: base:1: template: multiple definition of template "a"',
    );
    expect(() => parseTemplate('{{- -}}')).toThrow('template: base:1: illegal number syntax: "-"');
  });

  it('rejects unknown options like Go', () => {
    expect(() => parseTemplate('x', { options: ['missingkey=nope'] })).toThrow(
      'unrecognized option: missingkey=nope',
    );
    const e = (() => {
      try {
        parseTemplate('{{');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(TemplateError);
    expect((e as TemplateError).phase).toBe('parse');
    expect((e as TemplateError).code).toBe('InvalidArgument');
  });

  it('computes error columns in bytes', () => {
    expect(() => parseTemplate('é {{ .x.y }}').execute({ x: 1 })).toThrow(
      'template: base:1:8: executing "base"',
    );
  });
});

describe('fmt', () => {
  it.each([
    [
      '{{ printf "%6.2f|%-6s|%6s|%06d|%+d|%x|%X|%o|%b|%c|%q|%U" 3.14159 "ab" "cd" -42 5 -255 255 8 5 65 "hi" 65 }}',
      '  3.14|ab    |    cd|-00042|+5|-ff|FF|10|101|A|"hi"|U+0041',
    ],
    [
      '{{ printf "%e %E %.3g %g %g %v %v" 123456.789 0.000123 1234.5678 100000.0 1000000.0 1e-7 -0.0 }}',
      '1.234568e+05 1.230000E-04 1.23e+03 100000 1e+06 1e-07 -0',
    ],
    ['{{ printf "%.0f %.0f %.0f %.1f" 0.5 1.5 2.5 0.25 }}', '0 2 2 0.2'],
    [
      '{{ printf "%v %d %s" .l .l .l }}',
      '[1 a <nil>] [%!d(float64=1) %!d(string=a) <nil>] [%!s(float64=1) a <nil>]',
    ],
    [
      '{{ printf "%#v %#v %#v" .m "s" 3 }}',
      'map[string]interface {}{"k":[]interface {}{1, "a", interface {}(nil)}} "s" 3',
    ],
    ['{{ printf "%T %T %T" 1 .m nil }}', 'int map[string]interface {} <nil>'],
    ['{{ printf "%5t|%-5v|%x|% x|%#x" true false "hi" "hi" "hi" }}', ' true|false|6869|68 69|0x6869'],
    ['{{ print 1.0 2.5 "x" nil true }}', '1 2.5x<nil> true'],
    ['{{ printf "%3c|%-4q|%08.3f|%+.2e" 65 66 -3.14159 12345.678 }}', "  A|'B' |-003.142|+1.23e+04"],
  ])('%s', (t, out) => {
    expect(parseTemplate(t).execute({ l: [1, 'a', null], m: { k: [1, 'a', null] } })).toBe(out);
  });
});
