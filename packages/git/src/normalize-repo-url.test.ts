import { describe, expect, it } from 'vitest';
import { isCommitSha, isShortShaCandidate } from './is-commit-sha.ts';
import { normalizeRepoUrl } from './normalize-repo-url.ts';

describe('normalizeRepoUrl', () => {
  it.each([
    ['https://GitHub.com/Org/Repo.git', 'https://github.com/Org/Repo'],
    ['HTTPS://github.com/org/repo/', 'https://github.com/org/repo'],
    ['https://github.com/org/repo.git/', 'https://github.com/org/repo'],
    ['  https://github.com/org/repo  ', 'https://github.com/org/repo'],
    ['https://github.com:443/org/repo', 'https://github.com/org/repo'],
    ['http://127.0.0.1:8080/app.git', 'http://127.0.0.1:8080/app'],
    ['https://user:s3cret@github.com/org/repo.git', 'https://github.com/org/repo'],
    ['https://token@github.com/org/repo', 'https://github.com/org/repo'],
    ['git@github.com:org/repo.git', 'ssh://git@github.com/org/repo'],
    ['git@GitHub.com:org/repo', 'ssh://git@github.com/org/repo'],
    ['github.com:org/repo.git', 'ssh://github.com/org/repo'],
    ['git@host:/srv/git/repo.git', 'ssh://git@host/srv/git/repo'],
    ['ssh://git@GitHub.com:22/org/repo.git', 'ssh://git@github.com/org/repo'],
    ['ssh://git@host:2222/org/repo.git', 'ssh://git@host:2222/org/repo'],
    ['ssh://git:pw@host/org/repo', 'ssh://git@host/org/repo'],
    ['git://host/org/repo.git', 'git://host/org/repo'],
    ['/srv/git/repo.git/', '/srv/git/repo'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeRepoUrl(input)).toBe(expected);
  });

  it('gives two spellings of one repository the same identity', () => {
    expect(normalizeRepoUrl('git@github.com:argoproj/argocd-example-apps.git')).toBe(
      normalizeRepoUrl('ssh://git@github.com/argoproj/argocd-example-apps'),
    );
    expect(normalizeRepoUrl('https://github.com/argoproj/argocd-example-apps.git')).toBe(
      normalizeRepoUrl('https://GITHUB.com/argoproj/argocd-example-apps/'),
    );
  });

  it('keeps path case and the difference between repositories', () => {
    expect(normalizeRepoUrl('https://host/Org/Repo')).not.toBe(normalizeRepoUrl('https://host/org/repo'));
    expect(normalizeRepoUrl('https://host/org/repo')).not.toBe(normalizeRepoUrl('https://host/org/repo2'));
  });
});

describe('isCommitSha', () => {
  it('accepts 40 and 64 hex characters only', () => {
    expect(isCommitSha('a'.repeat(40))).toBe(true);
    expect(isCommitSha('A0'.repeat(20))).toBe(true);
    expect(isCommitSha('b'.repeat(64))).toBe(true);
    expect(isCommitSha('a'.repeat(39))).toBe(false);
    expect(isCommitSha('a'.repeat(41))).toBe(false);
    expect(isCommitSha('g'.repeat(40))).toBe(false);
    expect(isCommitSha('main')).toBe(false);
  });

  it('tells which revisions could be abbreviated SHAs', () => {
    expect(isShortShaCandidate('abcd')).toBe(true);
    expect(isShortShaCandidate('abc')).toBe(false);
    expect(isShortShaCandidate('deadbeef')).toBe(true);
    expect(isShortShaCandidate('a'.repeat(40))).toBe(false);
    expect(isShortShaCandidate('v1.0')).toBe(false);
  });
});
