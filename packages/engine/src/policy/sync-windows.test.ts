import type { ApplicationDestination, OperationState, SyncWindow } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import { canSync } from './can-sync.ts';
import { matchingSyncWindows, type SyncWindowSubject } from './matching-sync-windows.ts';
import { isSyncWindowActive, syncWindowError, syncWindowTimeZone } from './sync-window-active.ts';
import { syncWindowPreventsSync } from './sync-window-prevents-sync.ts';
import { activeSyncWindows, syncWindowsState } from './sync-windows-state.ts';

/** Test overrides may set a field to undefined to remove it from the base object. */
type Loose<T> = { [K in keyof T]?: T[K] | undefined };
function compact<T>(value: Loose<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// Monday 2 March 2026, 10:30 UTC (Paris is UTC+1 and New York UTC−5 until their DST switches).
const NOW = new Date('2026-03-02T10:30:00Z');
const utc = (hhmm: string, day = '2026-03-02'): Date => new Date(`${day}T${hhmm}:00Z`);

const window = (o: Loose<SyncWindow> = {}): SyncWindow =>
  compact<SyncWindow>({ kind: 'allow', schedule: '0 10 * * *', duration: '1h', applications: ['*'], ...o });

describe('isSyncWindowActive', () => {
  it.each<[string, Loose<SyncWindow>, Date, boolean]>([
    ['inside', {}, NOW, true],
    ['at the opening minute', {}, utc('10:00'), true],
    ['just before opening', {}, new Date('2026-03-02T09:59:59Z'), false],
    ['at the closing instant', {}, utc('11:00'), false],
    ['just before closing', {}, new Date('2026-03-02T10:59:59.999Z'), true],
    ['a compound duration', { duration: '1h30m' }, utc('11:29'), true],
    ['after a compound duration', { duration: '1h30m' }, utc('11:30'), false],
    ['across midnight', { schedule: '0 22 * * *', duration: '10h' }, utc('05:00'), true],
    ['across midnight, after', { schedule: '0 22 * * *', duration: '10h' }, utc('08:00'), false],
    ['weekdays, on a Monday', { schedule: '0 9 * * 1-5', duration: '8h' }, NOW, true],
    ['weekdays, on a Sunday', { schedule: '0 9 * * 1-5', duration: '8h' }, utc('10:30', '2026-03-01'), false],
    ['day names', { schedule: '0 9 * * MON', duration: '2h' }, NOW, true],
    ['day-of-month OR day-of-week', { schedule: '0 0 15 * 1', duration: '24h' }, NOW, true],
    ['a zero duration never opens', { duration: '0s' }, utc('10:00'), false],
    ['Paris 10:00 is 09:00 UTC in winter', { timeZone: 'Europe/Paris' }, NOW, false],
    ['Paris window, inside', { timeZone: 'Europe/Paris' }, utc('09:30'), true],
    ['New York 10:00 is 15:00 UTC in winter', { timeZone: 'America/New_York' }, utc('15:15'), true],
    ['New York after its DST switch', { timeZone: 'America/New_York' }, utc('14:15', '2026-03-09'), true],
    ['an unknown zone falls back to UTC', { timeZone: 'Mars/Olympus_Mons' }, NOW, true],
  ])('%s', (_name, o, now, expected) => {
    expect(isSyncWindowActive(window(o), now)).toBe(expected);
  });

  it.each<[string, Loose<SyncWindow>, RegExp]>([
    ['four fields', { schedule: '0 10 * *' }, /schedule/],
    ['six fields', { schedule: '0 0 10 * * *' }, /schedule/],
    ['a descriptor', { schedule: '@daily' }, /schedule/],
    ['an out-of-range minute', { schedule: '61 10 * * *' }, /schedule/],
    ['a bare number duration', { duration: '60' }, /duration/],
    ['no duration', { duration: '' }, /duration/],
  ])('rejects %s', (_name, o, message) => {
    expect(() => isSyncWindowActive(window(o), NOW)).toThrow(message);
  });

  it('reports what is wrong with a window', () => {
    expect(syncWindowError(window())).toBeUndefined();
    expect(syncWindowError(window({ kind: undefined }))).toMatch(/kind/);
    expect(syncWindowError(window({ schedule: 'soon' }))).toMatch(/schedule 'soon'/);
    expect(syncWindowError(window({ duration: '1 hour' }))).toMatch(/duration '1 hour'/);
    expect(syncWindowError(window({ description: 'x'.repeat(256) }))).toMatch(/255/);
    expect(syncWindowTimeZone({ timeZone: '' })).toBe('UTC');
    expect(syncWindowTimeZone({ timeZone: 'Asia/Tokyo' })).toBe('Asia/Tokyo');
  });
});

const subject = (name: string, destination: ApplicationDestination): SyncWindowSubject => ({
  metadata: { name },
  spec: { destination },
});
const web = subject('web-prod', { server: 'https://prod.example:6443', name: 'prod', namespace: 'web' });
const byServer = subject('web-prod', { server: 'https://prod.example:6443', namespace: 'web' });

describe('matchingSyncWindows', () => {
  it.each<[string, Loose<SyncWindow>, SyncWindowSubject, boolean]>([
    ['application glob', { applications: ['web-*'] }, web, true],
    ['application miss', { applications: ['db-*'] }, web, false],
    ['cluster by name', { applications: undefined, clusters: ['prod'] }, web, true],
    ['cluster by server', { applications: undefined, clusters: ['https://prod.*'] }, byServer, true],
    ['cluster miss', { applications: undefined, clusters: ['staging'] }, web, false],
    ['namespace', { applications: undefined, namespaces: ['w*'] }, web, true],
    ['namespace miss', { applications: undefined, namespaces: ['db'] }, web, false],
    ['no lists match nothing', { applications: undefined }, web, false],
    ['empty lists match nothing', { applications: [], clusters: [], namespaces: [] }, web, false],
    ['OR: applications miss, namespace hits', { applications: ['db-*'], namespaces: ['web'] }, web, true],
    ['OR: applications hit, cluster misses', { applications: ['web-*'], clusters: ['staging'] }, web, true],
    [
      'AND: all set lists hit',
      { applications: ['web-*'], clusters: ['prod'], namespaces: ['web'], andOperator: true },
      web,
      true,
    ],
    ['AND: namespace misses', { applications: ['web-*'], namespaces: ['db'], andOperator: true }, web, false],
    [
      'AND: applications miss',
      { applications: ['db-*'], namespaces: ['web'], andOperator: true },
      web,
      false,
    ],
    [
      'AND: cluster misses',
      { applications: ['web-*'], clusters: ['staging'], andOperator: true },
      web,
      false,
    ],
    ['AND: one list only', { applications: undefined, namespaces: ['web'], andOperator: true }, web, true],
    ['AND: no lists', { applications: undefined, andOperator: true }, web, false],
  ])('%s → %s', (_name, o, s, expected) => {
    expect(matchingSyncWindows([window(o)], s)).toHaveLength(expected ? 1 : 0);
  });

  it('keeps project order and tolerates no windows', () => {
    const a = window({ applications: ['web-*'], description: 'a' });
    const b = window({ applications: ['db'], description: 'b' });
    const c = window({ namespaces: ['web'], applications: undefined, description: 'c' });
    expect(matchingSyncWindows([a, b, c], web)).toEqual([a, c]);
    expect(matchingSyncWindows(undefined, web)).toEqual([]);
  });
});

// Windows relative to NOW (10:30): open ones started at 10:00, closed ones open at 12:00.
const openAllow = window({ kind: 'allow' });
const closedAllow = window({ kind: 'allow', schedule: '0 12 * * *' });
const openDeny = window({ kind: 'deny' });
const closedDeny = window({ kind: 'deny', schedule: '0 12 * * *' });

describe('canSync: the decision table', () => {
  it.each<[string, SyncWindow[], boolean, boolean]>([
    // [case, windows, manual, allowed]
    ['no windows', [], false, true],
    ['only closed deny windows', [closedDeny], false, true],
    ['an open allow', [openAllow], false, true],
    ['an open deny, automated', [openDeny], false, false],
    ['an open deny, manual', [openDeny], true, false],
    ['an open deny with manualSync, manual', [{ ...openDeny, manualSync: true }], true, true],
    ['an open deny with manualSync, automated', [{ ...openDeny, manualSync: true }], false, false],
    ['two open denies, one without manualSync', [{ ...openDeny, manualSync: true }, openDeny], true, false],
    ['deny beats allow', [openAllow, openDeny], false, false],
    [
      'a closed deny with manualSync does not matter',
      [
        { ...openDeny, manualSync: true },
        { ...closedDeny, manualSync: false },
      ],
      true,
      true,
    ],
    ['allows exist but none is open', [closedAllow], false, false],
    ['allows exist but none is open, manual', [closedAllow], true, false],
    ['a closed allow with manualSync, manual', [{ ...closedAllow, manualSync: true }], true, true],
    ['a closed allow with manualSync, automated', [{ ...closedAllow, manualSync: true }], false, false],
    [
      'closed allows, one without manualSync',
      [{ ...closedAllow, manualSync: true }, closedAllow],
      true,
      false,
    ],
    ['one open allow among closed ones', [closedAllow, openAllow], false, true],
  ])('%s → %s', (_name, windows, manual, allowed) => {
    expect(canSync({ windows, now: NOW, manual })).toEqual({ allowed });
  });

  describe('syncOverrun', () => {
    const started = (hhmm: string): Date => utc(hhmm);

    it.each<[string, SyncWindow[], Date | undefined, boolean]>([
      [
        'a deny that opened after the operation started, with overrun',
        [{ ...openDeny, syncOverrun: true }],
        started('09:55'),
        true,
      ],
      ['the same without overrun', [openDeny], started('09:55'), false],
      [
        'an operation that started inside the deny',
        [{ ...openDeny, syncOverrun: true }],
        started('10:05'),
        false,
      ],
      ['no start time', [{ ...openDeny, syncOverrun: true }], undefined, false],
      [
        'overrun needs every open deny',
        [
          { ...openDeny, syncOverrun: true },
          { ...openDeny, schedule: '15 10 * * *' },
        ],
        started('09:55'),
        false,
      ],
      [
        'an allow that closed after the operation started, with overrun',
        [window({ kind: 'allow', schedule: '0 9 * * *', syncOverrun: true })],
        started('09:30'),
        true,
      ],
      [
        'the same without overrun',
        [window({ kind: 'allow', schedule: '0 9 * * *' })],
        started('09:30'),
        false,
      ],
      [
        'an operation that started outside the allow',
        [window({ kind: 'allow', schedule: '0 9 * * *', syncOverrun: true })],
        started('08:30'),
        false,
      ],
    ])('%s → %s', (_name, windows, operationStartedAt, allowed) => {
      expect(canSync({ windows, now: NOW, manual: false, operationStartedAt }).allowed).toBe(allowed);
    });
  });

  it('blocks, with the reason, when a window cannot be evaluated', () => {
    const verdict = canSync({
      windows: [openAllow, window({ schedule: 'whenever' })],
      now: NOW,
      manual: true,
    });
    expect(verdict.allowed).toBe(false);
    expect(verdict.error).toMatch(/^invalid sync windows: cannot parse schedule 'whenever'/);
  });
});

describe('syncWindowPreventsSync (every operation step)', () => {
  const op = (automated: boolean, startedAt = '2026-03-02T10:10:00Z'): OperationState => ({
    operation: { sync: {}, initiatedBy: automated ? { automated: true } : { username: 'admin' } },
    phase: 'Running',
    startedAt,
  });
  const deny = { ...openDeny, manualSync: true };

  it('lets a manual operation through a manualSync deny, not an automated one', () => {
    expect(
      syncWindowPreventsSync({ windows: [deny], app: web, operationState: op(false), now: NOW }),
    ).toEqual({ blocked: false });
    expect(syncWindowPreventsSync({ windows: [deny], app: web, operationState: op(true), now: NOW })).toEqual(
      {
        blocked: true,
        message: 'Sync operation blocked by sync window',
      },
    );
  });

  it('lets an overrunning operation finish', () => {
    const overrun = { ...openDeny, syncOverrun: true };
    expect(
      syncWindowPreventsSync({
        windows: [overrun],
        app: web,
        operationState: op(true, '2026-03-02T09:50:00Z'),
        now: NOW,
      }).blocked,
    ).toBe(false);
  });

  it('ignores windows of other apps and reports broken ones', () => {
    const other = { ...openDeny, applications: ['db'] };
    expect(
      syncWindowPreventsSync({ windows: [other], app: web, operationState: op(true), now: NOW }).blocked,
    ).toBe(false);
    const broken = syncWindowPreventsSync({
      windows: [window({ duration: 'x' })],
      app: web,
      operationState: undefined,
      now: NOW,
    });
    expect(broken.blocked).toBe(true);
    expect(broken.message).toMatch(
      /^Sync operation blocked by sync window: invalid sync windows: cannot parse duration/,
    );
  });
});

describe('sync windows state', () => {
  const other = window({ kind: 'deny', applications: ['db'] });

  it('lists assigned and active windows and whether a user may sync', () => {
    expect(syncWindowsState({ windows: [closedAllow, openDeny, other], app: web, now: NOW })).toEqual({
      assignedWindows: [closedAllow, openDeny],
      activeWindows: [openDeny],
      canSync: false,
    });
    expect(
      syncWindowsState({ windows: [{ ...closedAllow, manualSync: true }], app: web, now: NOW }).canSync,
    ).toBe(true);
    expect(syncWindowsState({ windows: undefined, app: web, now: NOW })).toEqual({
      assignedWindows: [],
      activeWindows: [],
      canSync: true,
    });
  });

  it('lists the project windows open now, whoever they apply to', () => {
    expect(activeSyncWindows([closedAllow, openDeny, other], NOW)).toEqual([openDeny, other]);
    expect(() => activeSyncWindows([window({ schedule: '* *' })], NOW)).toThrow(/schedule/);
  });
});
