import { describe, expect, it } from 'vitest';
import { deepFreeze } from './__tests__/fixtures.ts';
import { CopyOnWrite } from './copy-on-write.ts';
import { formatJsonPointer, parseJsonPointer, removeAtPointer } from './json-pointer.ts';

describe('JSON pointers (RFC 6901)', () => {
  it.each<[string, string[] | undefined]>([
    ['', []],
    ['/spec/replicas', ['spec', 'replicas']],
    ['/metadata/annotations/example.com~1stamp', ['metadata', 'annotations', 'example.com/stamp']],
    ['/a~0b', ['a~b']],
    ['/a~01', ['a~1']],
    ['spec/replicas', undefined],
    ['/bad~2escape', undefined],
  ])('parses %j', (pointer, tokens) => {
    expect(parseJsonPointer(pointer)).toEqual(tokens);
    if (tokens !== undefined && tokens.length > 0) expect(formatJsonPointer(tokens)).toBe(pointer);
  });

  const doc = deepFreeze({
    spec: { replicas: 2, ports: [{ port: 80 }, { port: 443 }], keep: { a: 1 } },
    status: {},
  });

  it.each<[string, unknown]>([
    ['/spec/replicas', { spec: { ports: [{ port: 80 }, { port: 443 }], keep: { a: 1 } }, status: {} }],
    ['/spec/ports/0', { spec: { replicas: 2, ports: [{ port: 443 }], keep: { a: 1 } }, status: {} }],
    ['/spec/ports/1/port', { spec: { replicas: 2, ports: [{ port: 80 }, {}], keep: { a: 1 } }, status: {} }],
    ['/status', { spec: { replicas: 2, ports: [{ port: 80 }, { port: 443 }], keep: { a: 1 } } }],
  ])('removes %j without touching the input, sharing what it did not change', (pointer, expected) => {
    const out = removeAtPointer(doc, parseJsonPointer(pointer) ?? [], new CopyOnWrite());
    expect(out).toEqual(expected);
    expect((out['spec'] as { keep: unknown }).keep).toBe(doc.spec.keep);
  });

  it.each([
    '/spec/missing',
    '/spec/ports/2',
    '/spec/ports/-',
    '/spec/ports/01',
    '/spec/replicas/x',
    '/nope/deeper',
  ])('leaves the document as it is for %j, which does not exist', (pointer) => {
    expect(removeAtPointer(doc, parseJsonPointer(pointer) ?? [], new CopyOnWrite())).toBe(doc);
  });
});
