// The notification namespaces: time (injected clock), strings, repo (pure helpers plus a caller-supplied
// provider, faked here), and the legacy sync.GetInfoItem when asked for.
import { describe, expect, it } from 'vitest';
import type { ExprError } from './expr-error.ts';
import { formatValue } from './go-format.ts';
import {
  goFunc,
  notificationEnv,
  queryEscape,
  repoURLToHTTPS,
  fullNameByRepoURL,
  defineNamespace,
  type RepoProvider,
} from './namespaces.ts';
import { compile } from './program.ts';
import { GoError, GoStruct } from './values.ts';

const now = (): number => Date.parse('2026-01-01T10:05:00Z');
const app = {
  metadata: { name: 'guestbook' },
  spec: { source: { repoURL: 'git@github.com:argoproj/argocd-example-apps.git' } },
  status: { sync: { revision: 'abc123' } },
  operation: { info: [{ name: 'reason', value: 'manual' }] },
};

class FakeRepo implements RepoProvider {
  readonly asked: string[] = [];
  getCommitMetadata(sha: string) {
    this.asked.push(sha);
    if (sha === 'missing') throw new GoError(`revision ${sha} not found`);
    return {
      Message: 'fix: typo',
      Author: 'Alice <alice@example.com>',
      Date: '2025-12-31T23:00:00Z',
      Tags: ['v1.2.3'],
    };
  }
  getAppDetails() {
    const helm = new GoStruct(
      '*apiclient.HelmAppSpec',
      { Name: 'guestbook', ValueFiles: ['values.yaml'] },
      {
        GetParameterValueByName: goFunc({
          name: 'GetParameterValueByName',
          params: ['string'],
          call: ([n]) => (n === 'image.tag' ? 'v2' : ''),
        }),
      },
    );
    return { Type: 'Helm', Helm: helm };
  }
}

function run(src: string, repo?: RepoProvider, legacySync = false): unknown {
  return compile(src).run(notificationEnv({ app, now, ...(repo ? { repo } : {}), legacySync }), { now });
}

describe('time namespace', () => {
  it('Now comes from the injected clock and durations/layouts are constants', () => {
    expect(formatValue(run('time.Now()'))).toBe('2026-01-01 10:05:00 +0000 UTC');
    expect(run('time.Now().Sub(time.Parse("2026-01-01T10:00:00Z")) == 5 * time.Minute')).toBe(true);
    expect(run('time.Now().Format(time.RFC3339)')).toBe('2026-01-01T10:05:00Z');
    expect(run('time.Now().Format(time.Kitchen)')).toBe('10:05AM');
    expect(formatValue(run('time.Hour.Hours() + time.Second.Seconds()'))).toBe('2');
  });

  it('Parse is RFC3339 only; nil becomes "" and fails like Go', () => {
    expect(formatValue(run('time.Parse("2024-05-06T07:08:09.123+02:00")'))).toBe(
      '2024-05-06 07:08:09.123 +0200 +0200',
    );
    expect(() => run('time.Parse(app.missing)')).toThrow(
      'parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006"',
    );
    expect(() => run('time.Parse(1)')).toThrow('reflect: Call using int as type string');
    expect(() => run('time.Parse()')).toThrow('invalid number of arguments: expected 1, got 0');
  });
});

describe('strings namespace', () => {
  it('ReplaceAll, ToUpper, ToLower', () => {
    expect(run('strings.ToUpper(app.metadata.name) + strings.ToLower("-X")')).toBe('GUESTBOOK-x');
    expect(run('strings.ReplaceAll(app.metadata.name, "o", "0")')).toBe('guestb00k');
  });
});

describe('repo namespace', () => {
  it('pure helpers', () => {
    expect(repoURLToHTTPS('git@github.com:argoproj/argo-cd.git')).toBe(
      'https://github.com/argoproj/argo-cd.git',
    );
    expect(repoURLToHTTPS('ssh://git@gitlab.com:2222/group/sub/repo.git')).toBe(
      'https://gitlab.com:2222/group/sub/repo.git',
    );
    expect(repoURLToHTTPS('http://user:pw@example.com/a/b')).toBe('https://example.com/a/b');
    expect(fullNameByRepoURL('https://gitlab.com/group/sub/repo.git')).toBe('group/sub');
    expect(fullNameByRepoURL('https://example.com/repo.git')).toBe('/repo');
    expect(queryEscape('a b/c?d=é')).toBe('a+b%2Fc%3Fd%3D%C3%A9');
    expect(run('repo.RepoURLToHTTPS(app.spec.source.repoURL)')).toBe(
      'https://github.com/argoproj/argocd-example-apps.git',
    );
  });

  it('GetCommitMetadata and GetAppDetails come from the caller’s provider', () => {
    const repo = new FakeRepo();
    expect(run('repo.GetCommitMetadata(app.status.sync.revision).Author', repo)).toBe(
      'Alice <alice@example.com>',
    );
    expect(run('repo.GetCommitMetadata("abc123").Date.Year()', repo)).toBe(2025);
    expect(run('"v1.2.3" in repo.GetCommitMetadata("abc123").Tags', repo)).toBe(true);
    expect(repo.asked).toEqual(['abc123', 'abc123', 'abc123']);
    expect(() => run('repo.GetCommitMetadata("missing")', repo)).toThrow('revision missing not found');
    expect(run('repo.GetAppDetails().Type', repo)).toBe('Helm');
    expect(run('repo.GetAppDetails().Helm.GetParameterValueByName("image.tag")', repo)).toBe('v2');
    expect(() => run('repo.GetAppDetails().Helm.Nope', repo)).toThrow(
      'cannot fetch Nope from *apiclient.HelmAppSpec',
    );
  });

  it('without a provider, the lookups are missing functions', () => {
    expect(() => run('repo.GetCommitMetadata("x")')).toThrow('invalid operation: cannot call nil');
  });
});

describe('sync namespace', () => {
  it('is not registered by default, as in Argo CD', () => {
    const e = (() => {
      try {
        run("sync.GetInfoItem(app, 'reason')");
      } catch (err) {
        return err as ExprError;
      }
      return undefined;
    })();
    expect(e?.reason).toBe('cannot fetch GetInfoItem from <nil>');
  });

  it('the legacy GetInfoItem reads operation info when registered', () => {
    expect(run("sync.GetInfoItem(app, 'reason')", undefined, true)).toBe('manual');
    expect(() => run("sync.GetInfoItem(app, 'other')", undefined, true)).toThrow(
      "application 'guestbook' has no info item with name 'other'",
    );
  });

  it('callers can register their own namespaces', () => {
    const env = notificationEnv({
      app,
      now,
      namespaces: {
        math: defineNamespace({
          Double: goFunc({ name: 'Double', params: ['int'], call: ([n]) => (n as number) * 2 }),
        }),
      },
    });
    expect(compile('math.Double(21)').run(env)).toBe(42);
    expect(compile('math.constructor').run(env)).toBeNull();
  });
});
