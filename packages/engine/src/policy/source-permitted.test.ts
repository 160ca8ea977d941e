import { describe, expect, it } from 'vitest';
import { normalizeGitUrl } from './normalize-git-url.ts';
import { isSourcePermitted } from './source-permitted.ts';

describe('normalizeGitUrl', () => {
  it.each([
    ['https://Git.Example/Org/Repo.git', 'https://git.example/org/repo'],
    ['  https://git.example/org/repo  ', 'https://git.example/org/repo'],
    ['git@git.example:org/repo.git', 'git@git.example/org/repo'],
    ['ssh://git@git.example/org/repo.git', 'git@git.example/org/repo'],
    ['https://token@git.example/org/repo', 'https://token@git.example/org/repo'],
    ['git.example:org/repo', 'git.example:org/repo'],
  ])('%s → %s', (url, expected) => {
    expect(normalizeGitUrl(url)).toBe(expected);
  });
});

describe('isSourcePermitted', () => {
  it.each<[string, string[] | undefined, string, boolean]>([
    ['* allows anything', ['*'], 'https://git.example/org/repo.git', true],
    ['no list allows nothing', undefined, 'https://git.example/org/repo', false],
    ['an empty list allows nothing', [], 'https://git.example/org/repo', false],
    [
      'exact, ignoring .git and case',
      ['https://GIT.example/org/repo.git'],
      'https://git.example/Org/Repo',
      true,
    ],
    [
      'scp-like and ssh:// spellings agree',
      ['ssh://git@git.example/org/repo'],
      'git@git.example:org/repo.git',
      true,
    ],
    ['a different repository', ['https://git.example/org/repo1'], 'https://git.example/org/repo2', false],
    ['no prefix matching', ['https://git.example/org/app'], 'https://git.example/org/app1', false],
    ['one of several', ['https://git.example/a', 'https://git.example/b'], 'https://git.example/b', true],
    ['* stays in one segment', ['https://git.example/org/*'], 'https://git.example/org/team/repo', false],
    ['* matches one segment', ['https://git.example/org/*'], 'https://git.example/org/repo.git', true],
    ['*/* matches two', ['https://git.example/org/*/*'], 'https://git.example/org/team/repo', true],
    ['** matches any depth', ['https://git.example/org/**'], 'https://git.example/org/a/b/c', true],
    ['wrong owner', ['https://git.example/org/*.git'], 'https://git.example/other/repo.git', false],
    ['alternatives', ['https://git.example/{infra,apps}/*'], 'https://git.example/apps/web', true],
    [
      'a deny entry rejects what it matches',
      ['!https://git.example/secret/*', '*'],
      'https://git.example/secret/keys',
      false,
    ],
    [
      'a deny entry lets the rest through an allow',
      ['!https://git.example/secret/*', '*'],
      'https://git.example/public/web',
      true,
    ],
    [
      'deny wins whatever the order',
      ['*', '!https://git.example/secret/keys.git'],
      'https://git.example/secret/keys',
      false,
    ],
    [
      'deny with a specific allow',
      ['https://git.example/org/**', '!https://git.example/org/legacy/**'],
      'https://git.example/org/legacy/x/y',
      false,
    ],
    [
      'a lone deny entry allows nothing: an allow must match',
      ['!https://git.example/secret/*'],
      'https://git.example/public/web',
      false,
    ],
    [
      'deny of an scp-like spelling',
      ['!git@git.example:org/repo', '*'],
      'ssh://git@git.example/org/repo.git',
      false,
    ],
  ])('%s', (_name, sourceRepos, url, expected) => {
    expect(isSourcePermitted(sourceRepos === undefined ? {} : { sourceRepos }, url)).toBe(expected);
  });
});
