import { describe, expect, it } from 'vitest';
import { parseLsRemote } from './parse-ls-remote.ts';
import { parseGitmodules, resolveSubmoduleUrl } from './submodules.ts';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);
const c = 'c'.repeat(40);

describe('parseLsRemote', () => {
  it('reads HEAD, its symref, branches and peeled tags', () => {
    const refs = parseLsRemote(
      [
        'ref: refs/heads/main\tHEAD',
        `${a}\tHEAD`,
        `${a}\trefs/heads/main`,
        `${b}\trefs/heads/feature/x`,
        `${c}\trefs/tags/v1`,
        `${a}\trefs/tags/v1^{}`,
        `${b}\trefs/tags/light`,
        `${c}\trefs/pull/1/head`,
        '',
      ].join('\n'),
    );
    expect(refs.head).toBe(a);
    expect(refs.headRef).toBe('refs/heads/main');
    expect(Object.fromEntries(refs.branches)).toEqual({ main: a, 'feature/x': b });
    expect(Object.fromEntries(refs.tags)).toEqual({ v1: a, light: b });
    expect(refs.all.get('refs/pull/1/head')).toBe(c);
  });

  it('copes with an empty repository', () => {
    const refs = parseLsRemote('');
    expect(refs.head).toBeUndefined();
    expect(refs.branches.size).toBe(0);
  });
});

describe('submodules', () => {
  it('reads .gitmodules entries from git config -z output', () => {
    const out = [
      'submodule.lib.path\nvendor/lib',
      'submodule.lib.url\n../lib.git',
      'submodule.a.b.path\nx',
      'submodule.a.b.url\nhttps://host/x.git',
      'submodule.noUrl.path\ny',
      '',
    ].join('\0');
    expect(parseGitmodules(out)).toEqual([
      { name: 'lib', path: 'vendor/lib', url: '../lib.git' },
      { name: 'a.b', path: 'x', url: 'https://host/x.git' },
    ]);
  });

  it.each([
    ['http://h:1/root/parent.git', '../lib.git', 'http://h:1/root/lib.git'],
    ['http://h:1/parent.git', '../lib.git', 'http://h:1/lib.git'],
    ['http://h:1/parent.git/', './sub', 'http://h:1/parent.git/sub'],
    ['http://h:1/a/b/parent', '../../x.git', 'http://h:1/a/x.git'],
    ['git@host:org/parent.git', '../lib.git', 'git@host:org/lib.git'],
    ['ssh://git@host:2222/org/parent.git', '../other/lib', 'ssh://git@host:2222/org/other/lib'],
    ['http://h/parent.git', 'https://other.host/lib.git', 'https://other.host/lib.git'],
    ['http://h/parent.git', 'git@other:lib.git', 'git@other:lib.git'],
  ])('%s + %s → %s', (parent, url, expected) => {
    expect(resolveSubmoduleUrl(parent, url)).toBe(expected);
  });

  it.each([
    ['http://h/parent.git', '/etc/passwd'],
    ['http://h/parent.git', 'file:///srv/git/secret.git'],
    ['http://h/parent.git', 'ext::sh -c touch% /tmp/pwned'],
    ['http://h/parent.git', '../../../escape'],
    ['/srv/git/parent.git', '../lib.git'],
  ])('refuses %s + %s', (parent, url) => {
    expect(resolveSubmoduleUrl(parent, url)).toBeUndefined();
  });
});
