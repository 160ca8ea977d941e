import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { credentialsFor, repoCredsFromSecret, repositoryFromSecret } from './repository-secret.ts';

const secret = (kind: string, data: Record<string, string>): V1Secret => ({
  metadata: { name: 'x', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': kind } },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

describe('repository Secrets', () => {
  it('read repository and repo-creds secrets, refusing the wrong kind or a missing url', () => {
    expect(
      repositoryFromSecret(
        secret('repository', { url: 'https://git.example/org/app.git', username: 'u', password: 'p' }),
      ),
    ).toMatchObject({
      url: 'https://git.example/org/app.git',
      type: 'git',
      username: 'u',
    });
    expect(() => repositoryFromSecret(secret('repo-creds', { url: 'https://git.example' }))).toThrow(
      /not a repository secret/,
    );
    expect(() => repoCredsFromSecret(secret('repo-creds', {}))).toThrow(/data.url is required/);
    expect(() => repositoryFromSecret(secret('repository', { url: 'x', type: 'svn' }))).toThrow(
      /data.type must be git, helm or oci/,
    );
  });

  it('use a repository’s own credentials, else the longest matching credential template', () => {
    const repos = [
      repositoryFromSecret(
        secret('repository', {
          url: 'https://git.example/org/own.git',
          username: 'own',
          password: 'own-pass',
        }),
      ),
      repositoryFromSecret(secret('repository', { url: 'https://git.example/org/bare.git' })),
    ];
    const templates = [
      repoCredsFromSecret(
        secret('repo-creds', { url: 'https://git.example/', username: 'broad', password: 'b' }),
      ),
      repoCredsFromSecret(
        secret('repo-creds', { url: 'https://git.example/org/', username: 'narrow', password: 'n' }),
      ),
    ];
    expect(credentialsFor('https://git.example/org/own', repos, templates)).toMatchObject({
      username: 'own',
    });
    expect(credentialsFor('https://git.example/org/bare.git', repos, templates)).toMatchObject({
      username: 'narrow',
      inheritedCreds: true,
    });
    expect(credentialsFor('https://git.example/other/x.git', repos, templates)).toMatchObject({
      username: 'broad',
    });
    expect(credentialsFor('https://elsewhere.example/x.git', repos, templates).username).toBeUndefined();
  });
});
