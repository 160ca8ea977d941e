import { describe, expect, it } from 'vitest';
import { lastAppliedAnnotation, lastAppliedOf, withLastApplied } from './last-applied.ts';

describe('withLastApplied', () => {
  it('records the manifest as kubectl does: sorted keys, annotations {}, HTML escaped, newline', () => {
    const obj = {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { namespace: 'apps', name: 'c' },
      data: { url: 'http://x/?a=1&b=<2>' },
    };
    const modified = withLastApplied(obj);
    const recorded = (modified['metadata'] as { annotations: Record<string, string> }).annotations[
      lastAppliedAnnotation
    ];
    expect(recorded).toBe(
      '{"apiVersion":"v1","data":{"url":"http://x/?a=1\\u0026b=\\u003c2\\u003e"},"kind":"ConfigMap",' +
        '"metadata":{"annotations":{},"name":"c","namespace":"apps"}}\n',
    );
    expect(JSON.parse(recorded ?? '')).toEqual({ ...obj, metadata: { ...obj.metadata, annotations: {} } });
    expect(obj.metadata).toEqual({ namespace: 'apps', name: 'c' }); // the input is not touched
  });

  it('leaves a stale last-applied annotation of the manifest out of the new one', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', annotations: { keep: 'yes', [lastAppliedAnnotation]: '{"old":true}' } },
    };
    const modified = withLastApplied(obj);
    const annotations = (modified['metadata'] as { annotations: Record<string, string> }).annotations;
    expect(Object.keys(annotations).sort()).toEqual(['keep', lastAppliedAnnotation]);
    expect(JSON.parse(annotations[lastAppliedAnnotation] ?? '')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', annotations: { keep: 'yes' } },
    });
  });
});

describe('lastAppliedOf', () => {
  const live = (annotation?: string) => ({
    metadata: {
      name: 'c',
      ...(annotation === undefined ? {} : { annotations: { [lastAppliedAnnotation]: annotation } }),
    },
  });

  it('parses the annotation, and treats a missing, empty or corrupt one as never applied', () => {
    expect(lastAppliedOf(live('{"data":{"a":"1"}}\n'))).toEqual({ data: { a: '1' } });
    expect(lastAppliedOf(live())).toBeUndefined();
    expect(lastAppliedOf(live(''))).toBeUndefined();
    expect(lastAppliedOf(live('{not json'))).toBeUndefined();
    expect(lastAppliedOf(live('[1]'))).toBeUndefined();
  });
});
