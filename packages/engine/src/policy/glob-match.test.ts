import { describe, expect, it } from 'vitest';
import { filepathMatch } from './filepath-match.ts';
import { globMatch } from './glob-match.ts';

describe('globMatch (project and sync-window patterns)', () => {
  it.each<[string, string, string | undefined, boolean]>([
    ['*', 'anything/at/all', undefined, true],
    ['*', '', undefined, true],
    ['team-*', 'team-a', undefined, true],
    ['team-*', 'team', undefined, false],
    ['https://*.example.com', 'https://a.b.example.com', undefined, true],
    ['https://git.example/org/*', 'https://git.example/org/repo', '/', true],
    ['https://git.example/org/*', 'https://git.example/org/sub/repo', '/', false],
    ['https://git.example/org/*/*', 'https://git.example/org/sub/repo', '/', true],
    ['https://git.example/org/**', 'https://git.example/org/sub/deep/repo', '/', true],
    ['a?c', 'abc', undefined, true],
    ['a?c', 'a/c', '/', false],
    ['a?c', 'abbc', undefined, false],
    ['[a-c]x', 'bx', undefined, true],
    ['[a-c]x', 'dx', undefined, false],
    ['[!a-c]x', 'dx', undefined, true],
    ['[!a-c]x', 'ax', undefined, false],
    ['{prod,staging}-*', 'staging-eu', undefined, true],
    ['{prod,staging}-*', 'dev-eu', undefined, false],
    ['!{kube-system,argocd}', '!argocd', undefined, true],
    ['a.b', 'axb', undefined, false],
    ['a+b(c)', 'a+b(c)', undefined, true],
    ['\\*', '*', undefined, true],
    ['\\*', 'x', undefined, false],
    ['', '', undefined, true],
    ['', 'x', undefined, false],
    ['[abc', 'a', undefined, false],
    ['{a,b', 'a', undefined, false],
    ['[z-a]', 'q', undefined, false],
  ])('%j vs %j (separator %j) → %s', (pattern, text, separator, expected) => {
    expect(globMatch(pattern, text, separator)).toBe(expected);
  });
});

describe('filepathMatch (resource lists)', () => {
  it.each<[string, string, boolean]>([
    ['*', '', true],
    ['*', 'Deployment', true],
    ['', '', true],
    ['', 'apps', false],
    ['apps', 'apps', true],
    ['*.k8s.io', 'rbac.authorization.k8s.io', true],
    ['*', 'a/b', false],
    ['Cluster*', 'ClusterRole', true],
    ['Cluster*', 'Role', false],
    ['?ole', 'Role', true],
    ['[CR]ole', 'Role', true],
    ['[^CR]ole', 'Role', false],
    ['[^CR]ole', 'Hole', true],
    ['[a-z]*', 'apps', true],
    ['\\*', '*', true],
    ['{a,b}', 'a', false],
    ['{a,b}', '{a,b}', true],
    ['[', 'x', false],
    ['[]', 'x', false],
    ['[a-]', 'a', false],
    ['x\\', 'x', false],
    ['[z-a]x', 'bx', false],
  ])('%j vs %j → %s', (pattern, name, expected) => {
    expect(filepathMatch(pattern, name)).toBe(expected);
  });
});
