// The seed's notification triggers (argocd-notifications-cm), evaluated on Applications in each state.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { application, type AppState } from './__fixtures__/application.ts';
import { notificationEnv } from './namespaces.ts';
import { compileTriggers, evaluateTrigger, type TriggerCondition } from './triggers.ts';

const seedPath = new URL(
  '../../../test/seed/manifests/17-configmap-argocd-notifications-cm.yaml',
  import.meta.url,
);

function seedTriggers(): Record<string, TriggerCondition[]> {
  const cm = parseYaml(readFileSync(seedPath, 'utf8')) as { data: Record<string, string> };
  const out: Record<string, TriggerCondition[]> = {};
  for (const [key, value] of Object.entries(cm.data)) {
    if (key.startsWith('trigger.'))
      out[key.slice('trigger.'.length)] = parseYaml(value) as TriggerCondition[];
  }
  return out;
}

const now = (): number => Date.parse('2026-01-01T10:05:00Z');
const set = compileTriggers(seedTriggers());

function fired(
  state: AppState,
): Record<string, { triggered: boolean; oncePer?: string | undefined; error?: string | undefined }> {
  const env = notificationEnv({ app: application(state), now });
  const out: Record<
    string,
    { triggered: boolean; oncePer?: string | undefined; error?: string | undefined }
  > = {};
  for (const [name, trigger] of set.triggers) {
    const [r] = evaluateTrigger(trigger, env, { now });
    out[name] = { triggered: r?.triggered ?? false, oncePer: r?.oncePer, error: r?.error?.reason };
  }
  return out;
}

describe('seed notification triggers', () => {
  it('compiles all three seed triggers with their send lists and oncePer', () => {
    expect(set.errors).toEqual([]);
    expect([...set.triggers.keys()]).toEqual(['on-health-degraded', 'on-sync-failed', 'on-sync-succeeded']);
    const succeeded = set.triggers.get('on-sync-succeeded');
    expect(succeeded?.conditions[0]?.send).toEqual(['app-sync-succeeded']);
    expect(succeeded?.conditions[0]?.oncePer).toBe('app.status.sync.revision');
  });

  it('synced and healthy after a successful sync: only on-sync-succeeded fires, keyed by the revision', () => {
    expect(fired({ phase: 'Succeeded', revision: 'abc123' })).toEqual({
      'on-health-degraded': { triggered: false, oncePer: undefined, error: undefined },
      'on-sync-failed': { triggered: false, oncePer: undefined, error: undefined },
      'on-sync-succeeded': { triggered: true, oncePer: 'abc123', error: undefined },
    });
  });

  it('a failed sync fires on-sync-failed only', () => {
    const r = fired({ phase: 'Failed', sync: 'OutOfSync' });
    expect(r['on-sync-failed']?.triggered).toBe(true);
    expect(r['on-sync-succeeded']?.triggered).toBe(false);
    expect(r['on-health-degraded']?.triggered).toBe(false);
  });

  it('an errored sync fires on-sync-failed too', () => {
    expect(fired({ phase: 'Error' })['on-sync-failed']?.triggered).toBe(true);
  });

  it('degraded health fires on-health-degraded (and the last successful sync still matches)', () => {
    const r = fired({ phase: 'Succeeded', health: 'Degraded' });
    expect(r['on-health-degraded']?.triggered).toBe(true);
    expect(r['on-sync-succeeded']?.triggered).toBe(true);
    expect(r['on-sync-failed']?.triggered).toBe(false);
  });

  it('a running sync fires nothing', () => {
    const r = fired({ phase: 'Running', health: 'Progressing', sync: 'OutOfSync' });
    expect(Object.values(r).map((x) => x.triggered)).toEqual([false, false, false]);
  });

  it('an app that never synced: the unguarded seed conditions error (not triggered), health still evaluates', () => {
    const r = fired({ health: 'Degraded' });
    expect(r['on-sync-failed']).toMatchObject({ triggered: false, error: 'cannot fetch phase from <nil>' });
    expect(r['on-sync-succeeded']).toMatchObject({
      triggered: false,
      error: 'cannot fetch phase from <nil>',
    });
    expect(r['on-health-degraded']).toMatchObject({ triggered: true, error: undefined });
  });

  it('a trigger that fails to compile is reported alone; the others still work', () => {
    const broken = compileTriggers({
      ...seedTriggers(),
      'on-broken': [{ when: 'app.status.sync.status == 1 + "x"', send: ['x'] }],
      'on-bad-oncePer': [{ when: 'true', oncePer: 'app.(', send: ['x'] }],
      'on-empty': [{ when: '', send: ['x'] }],
    });
    expect(broken.errors.map((e) => [e.trigger, e.field, e.error.phase])).toEqual([
      ['on-bad-oncePer', 'oncePer', 'compile'],
      ['on-broken', 'when', 'compile'],
    ]);
    expect(broken.errors[1]?.error.reason).toBe('invalid operation: + (mismatched types int and string)');
    expect([...broken.triggers.keys()]).toEqual([
      'on-empty',
      'on-health-degraded',
      'on-sync-failed',
      'on-sync-succeeded',
    ]);
    const env = notificationEnv({ app: application({ phase: 'Failed' }), now });
    expect(evaluateTrigger(broken.triggers.get('on-sync-failed')!, env)[0]?.triggered).toBe(true);
    expect(evaluateTrigger(broken.triggers.get('on-empty')!, env)[0]?.triggered).toBe(false);
  });

  it('a non-bool result does not fire, and oncePer prints with Go %v (nil → <nil>)', () => {
    const t = compileTriggers({
      truthy: [{ when: '"true"' }],
      once: [{ when: 'true', oncePer: 'app.status.operationState?.syncResult?.revision' }],
      onceNum: [{ when: 'true', oncePer: 'app.metadata.generation * 1.5' }],
    });
    const env = notificationEnv({ app: application({}), now });
    expect(evaluateTrigger(t.triggers.get('truthy')!, env)[0]?.triggered).toBe(false);
    expect(evaluateTrigger(t.triggers.get('once')!, env)[0]?.oncePer).toBe('<nil>');
    expect(evaluateTrigger(t.triggers.get('onceNum')!, env)[0]?.oncePer).toBe('10.5');
  });

  it('runs the default catalogue on-deployed condition with the time namespace', () => {
    const when =
      "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy' and (!time.Parse(app.status.health.lastTransitionTime).Add(1 * time.Minute).Before(time.Parse(app.status.operationState.finishedAt)) or time.Parse(app.status.health.lastTransitionTime).Before(time.Parse(app.status.operationState.startedAt)))";
    const t = compileTriggers({
      'on-deployed': [{ when, oncePer: 'app.status.operationState?.syncResult?.revision' }],
    });
    const trigger = t.triggers.get('on-deployed')!;
    const ok = evaluateTrigger(
      trigger,
      notificationEnv({ app: application({ phase: 'Succeeded', revision: 'r1' }), now }),
    );
    expect(ok[0]).toMatchObject({ triggered: true, oncePer: 'r1' });
    const never = evaluateTrigger(trigger, notificationEnv({ app: application({}), now }));
    expect(never[0]).toMatchObject({ triggered: false, error: undefined });
  });
});
