// The seed's notification templates (argocd-notifications-cm `template.*`), rendered the way the
// notifications controller renders them: each string field of the template is a Go template over
// `{ app, context }`, with the notifications function map and Go's default missingkey behaviour.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { notificationsFuncs, parseTemplate } from './index.ts';

const seedFile = fileURLToPath(
  new URL('../../../test/seed/manifests/17-configmap-argocd-notifications-cm.yaml', import.meta.url),
);
const configMap = parseYaml(readFileSync(seedFile, 'utf8')) as { data: Record<string, string> };
const funcs = notificationsFuncs({ now: () => Date.parse('2026-11-27T10:00:00Z') });

/** Renders a template's Slack attachments for an Application and parses them as Slack would. */
function slackAttachments(name: string, app: unknown): { color: string; title: string; text: string }[] {
  const body = parseYaml(configMap.data[`template.${name}`] ?? '') as { slack: { attachments: string } };
  const text = parseTemplate(body.slack.attachments, { name, funcs }).execute({ app, context: {} });
  return JSON.parse(text) as { color: string; title: string; text: string }[];
}

const application = (status: Record<string, unknown>): unknown => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'my-application', namespace: 'argocd' },
  spec: { project: 'production', destination: { namespace: 'production' } },
  status,
});

describe('the seed notification templates', () => {
  it('renders app-sync-succeeded for a synced app, naming it and its revision', () => {
    const [a] = slackAttachments(
      'app-sync-succeeded',
      application({
        sync: { status: 'Synced', revision: '4f2c9a1e' },
        health: { status: 'Healthy' },
        operationState: { phase: 'Succeeded', message: 'successfully synced (all tasks run)' },
      }),
    );
    expect(a).toEqual({
      color: '#18BE52',
      title: 'Sync Succeeded: my-application',
      text: 'Application my-application synced successfully.\nRevision: 4f2c9a1e',
    });
  });

  it('renders app-sync-failed with the operation message', () => {
    const [a] = slackAttachments(
      'app-sync-failed',
      application({
        sync: { status: 'OutOfSync', revision: '4f2c9a1e' },
        operationState: { phase: 'Failed', message: 'one or more objects failed to apply' },
      }),
    );
    expect(a?.title).toBe('Sync Failed: my-application');
    expect(a?.text).toBe(
      'Application my-application sync failed.\nRevision: 4f2c9a1e\nMessage: one or more objects failed to apply',
    );
    expect(a?.color).toBe('#E96D76');
  });

  it('renders app-health-degraded, and a missing field prints as Go prints it (<no value>)', () => {
    const [a] = slackAttachments('app-health-degraded', application({ health: { status: 'Degraded' } }));
    expect(a?.title).toBe('Health Degraded: my-application');
    const [failed] = slackAttachments('app-sync-failed', application({ sync: { status: 'Unknown' } }));
    expect(failed?.text).toContain('Revision: <no value>');
  });
});
