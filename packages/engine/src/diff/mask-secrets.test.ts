import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { deepFreeze } from './__tests__/fixtures.ts';
import { maskSecretValues } from './mask-secrets.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function secret(body: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'default', ...(annotations === undefined ? {} : { annotations }) },
    type: 'Opaque',
    ...body,
  };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('maskSecretValues', () => {
  it('masks equal values equally and different values differently, across all views', () => {
    const target = secret({ stringData: { password: 'new-pass', user: 'admin' } });
    const live = secret({ data: { password: b64('old-pass'), user: b64('admin') } });
    const masked = maskSecretValues(
      deepFreeze({ target, live, normalizedLive: live, predictedLive: target }),
    );
    const data = (o: KubeObject | null | undefined): unknown => o?.['data'];
    expect(data(masked.target)).toEqual({ password: '++++++++', user: '++++++++' });
    expect(data(masked.live)).toEqual({ password: '++++++++++++', user: '++++++++' });
    expect(data(masked.normalizedLive)).toEqual(data(masked.live));
    expect(data(masked.predictedLive)).toEqual(data(masked.target));
    expect(masked.target).not.toHaveProperty('stringData');
  });

  it('never leaks a value, including inside the last-applied annotation', () => {
    const applied = secret({ data: { token: b64('t0ps3cret') } });
    const live = secret({ data: { token: b64('t0ps3cret') } }, { [LAST_APPLIED]: JSON.stringify(applied) });
    const target = secret({ stringData: { token: 'rotated-value' } });
    const masked = maskSecretValues({ target, live });
    const text = JSON.stringify(masked);
    for (const secretText of ['t0ps3cret', b64('t0ps3cret'), 'rotated-value', b64('rotated-value')]) {
      expect(text).not.toContain(secretText);
    }
    const lastApplied = JSON.parse(masked.live?.metadata?.annotations?.[LAST_APPLIED] ?? '{}') as KubeObject;
    // The applied value equals the live value, so both get the same mask; the target's differs.
    expect(lastApplied['data']).toEqual(masked.live['data']);
    expect(masked.target['data']).not.toEqual(masked.live['data']);
  });

  it('replaces an unreadable last-applied annotation whole', () => {
    const live = secret({ data: { a: b64('x') } }, { [LAST_APPLIED]: '{"data":{"a":"eA=="' });
    const masked = maskSecretValues({ live });
    expect(masked.live?.metadata?.annotations?.[LAST_APPLIED]).toBe('++++++++');
  });

  it('masks listed annotations too', () => {
    const live = secret({ data: {} }, { 'example.com/token': 'abc' });
    const masked = maskSecretValues({ live }, { hideAnnotations: ['example.com/token'] });
    expect(masked.live?.metadata?.annotations?.['example.com/token']).toBe('++++++++');
  });

  it('masks null values and leaves other kinds alone', () => {
    const masked = maskSecretValues({ live: secret({ data: { empty: null } }) });
    expect(masked.live['data']).toEqual({ empty: '++++++++' });
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'visible' } };
    const views = { live: configMap };
    expect(maskSecretValues(views)).toBe(views);
  });
});
