import type { ApplicationSource, OperationPhase, RevisionHistory, SyncOperation } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import { appendHistory, shouldRecordHistory, type HistoryInput } from './append-history.ts';

const NOW = new Date('2026-03-02T10:30:00Z');
const source: ApplicationSource = {
  repoURL: 'https://git.example/apps',
  path: 'guestbook',
  targetRevision: 'HEAD',
};

function entries(ids: number[]): RevisionHistory[] {
  return ids.map((id) => ({ id, revision: `rev-${id}`, deployedAt: '2026-03-01T00:00:00Z', source }));
}

function input(o: Partial<HistoryInput> = {}): HistoryInput {
  return {
    history: undefined,
    revisionHistoryLimit: undefined,
    operation: { revision: 'abc' },
    phase: 'Succeeded',
    multiSource: false,
    revision: 'abc',
    source,
    startedAt: '2026-03-02T10:29:30Z',
    now: NOW,
    initiatedBy: { username: 'admin' },
    ...o,
  };
}

describe('shouldRecordHistory', () => {
  it.each<[string, SyncOperation | undefined, OperationPhase, boolean]>([
    ['a full successful sync', { revision: 'abc' }, 'Succeeded', true],
    ['a failed sync', { revision: 'abc' }, 'Failed', false],
    ['an errored sync', { revision: 'abc' }, 'Error', false],
    ['a dry run', { dryRun: true }, 'Succeeded', false],
    ['a selective sync', { resources: [{ kind: 'Service', name: 'web' }] }, 'Succeeded', false],
    ['an empty resource list (a full sync)', { resources: [] }, 'Succeeded', true],
    ['no sync operation', undefined, 'Succeeded', false],
  ])('%s → %s', (_name, op, phase, expected) => {
    expect(shouldRecordHistory(op, phase)).toBe(expected);
  });

  it('§10.8 self-heal writes no history (it is a selective sync)', () => {
    const selfHeal: SyncOperation = {
      revision: 'abc',
      autoHealAttemptsCount: 1,
      resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }],
    };
    expect(appendHistory(input({ operation: selfHeal }))).toBeUndefined();
  });
});

describe('appendHistory', () => {
  it('starts at id 0 and records what was deployed, when and by whom', () => {
    expect(appendHistory(input())).toEqual([
      {
        id: 0,
        revision: 'abc',
        source,
        deployedAt: '2026-03-02T10:30:00Z',
        deployStartedAt: '2026-03-02T10:29:30Z',
        initiatedBy: { username: 'admin' },
      },
    ]);
  });

  it('continues from the last id, even across gaps', () => {
    expect(appendHistory(input({ history: entries([3, 7]) }))?.map((h) => h.id)).toEqual([3, 7, 8]);
  });

  it.each<[number | undefined, number[], number[]]>([
    [undefined, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    [undefined, [0, 1, 2], [0, 1, 2, 3]],
    [3, [0, 1, 2, 3, 4], [3, 4, 5]],
    [1, [4], [5]],
    [0, [4], []],
    [-2, [4], []],
  ])('keeps the newest revisionHistoryLimit (%s) entries', (limit, before, after) => {
    const out = appendHistory(input({ history: entries(before), revisionHistoryLimit: limit }));
    expect(out?.map((h) => h.id)).toEqual(after);
  });

  it('records revisions and sources for a multi-source app', () => {
    const sources: ApplicationSource[] = [
      source,
      { repoURL: 'https://charts.example', chart: 'redis', targetRevision: '19.*' },
    ];
    const out = appendHistory(
      input({ multiSource: true, revisions: ['abc', '19.0.1'], sources, revision: '', source: undefined }),
    );
    expect(out?.[0]).toMatchObject({ id: 0, revisions: ['abc', '19.0.1'], sources });
    expect(out?.[0]?.revision).toBeUndefined();
    expect(out?.[0]?.sources).not.toBe(sources);
  });

  it('does not change the history it was given', () => {
    const history = entries([0]);
    appendHistory(input({ history }));
    expect(history).toHaveLength(1);
  });
});
