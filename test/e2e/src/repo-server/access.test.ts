import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFor, repoCredsFromSecret, repositoryFromSecret } from '@capstan/kube';
import type { common } from '@capstan/proto';
import {
  createGitRoot,
  freePort,
  generateSshKeyPair,
  startGitHttpServer,
  startGitSshServer,
  type GitHttpServer,
  type GitRoot,
  type GitSshServer,
} from '@capstan/testkit';
import { deployment, startRepoServerFixture, type RepoServerFixture } from './fixture.ts';

let f: RepoServerFixture;
let privateRoot: GitRoot;
let privateHttp: GitHttpServer;
let ssh: GitSshServer;
let keys: { good: string; wrong: string };
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'capstan-access-'));
  privateRoot = await createGitRoot();
  await privateRoot.createRepo('private', { 'app/deploy.yaml': deployment('private-app') });
  privateHttp = await startGitHttpServer({
    root: privateRoot.dir,
    auth: { username: 'deployer', password: 's3cret-token' },
  });
  const good = await generateSshKeyPair(work);
  const wrong = await generateSshKeyPair(work);
  keys = { good: good.privateKey, wrong: wrong.privateKey };
  ssh = await startGitSshServer({ root: privateRoot.dir, authorizedKeys: [good.publicKey] });
  const knownHosts = join(work, 'known_hosts');
  await writeFile(knownHosts, `${ssh.hostKeyLine}\n`);
  f = await startRepoServerFixture({ CAPSTAN_SSH_KNOWN_HOSTS_FILE: knownHosts });
});
afterAll(async () => {
  await f?.[Symbol.asyncDispose]();
  await ssh?.close();
  await privateHttp?.close();
  await privateRoot?.close();
  await rm(work, { recursive: true, force: true });
});

const secret = (kind: string, data: Record<string, string>): V1Secret => ({
  metadata: {
    name: `s-${Math.random()}`,
    namespace: 'argocd',
    labels: { 'argocd.argoproj.io/secret-type': kind },
  },
  stringData: data,
});

const render = (repo: common.Repository, url: string) =>
  f.client.generateManifest({
    repo,
    source: { repoURL: url, targetRevision: 'main', path: 'app' },
    appName: 'private',
    namespace: 'default',
    noRevisionCache: true,
  });

describe('repository credentials', () => {
  it('uses credentials from a repo-creds template (longest URL prefix) when the repository Secret has none', async () => {
    const url = `${privateHttp.baseUrl}/private.git`;
    const record = credentialsFor(
      url,
      [repositoryFromSecret(secret('repository', { url }))],
      [
        repoCredsFromSecret(
          secret('repo-creds', { url: privateHttp.baseUrl, username: 'deployer', password: 'wrong' }),
        ),
        repoCredsFromSecret(
          secret('repo-creds', {
            url: `${privateHttp.baseUrl}/priv`,
            username: 'deployer',
            password: 's3cret-token',
          }),
        ),
      ],
    );
    const res = await render(
      {
        repo: record.url,
        ...(record.username ? { username: record.username } : {}),
        ...(record.password ? { password: record.password } : {}),
      },
      url,
    );
    expect(res.manifests?.[0]).toContain('private-app');
  });

  it('refuses a wrong password as Unauthenticated, and never echoes it', async () => {
    const url = `${privateHttp.baseUrl}/private.git`;
    const err = (await render({ repo: url, username: 'deployer', password: 'not-the-token' }, url).catch(
      (e: unknown) => e,
    )) as Error & { code: string };
    expect(['Unauthenticated', 'PermissionDenied']).toContain(err.code);
    expect(err.message).not.toContain('not-the-token');
    expect(err.message).toContain(url);
  });

  it('clones over SSH with a key, checking the host key against known_hosts', async () => {
    const url = ssh.urlFor('private');
    const res = await render({ repo: url, sshPrivateKey: keys.good }, url);
    expect(res.manifests?.[0]).toContain('private-app');
    const wrongKey = (await render({ repo: url, sshPrivateKey: keys.wrong }, url).catch(
      (e: unknown) => e,
    )) as Error & { code: string };
    expect(wrongKey.code).toBe('Unauthenticated');
    expect(wrongKey.message).not.toContain('PRIVATE KEY');
  });

  it('answers Unavailable quickly for an unreachable remote', async () => {
    const url = `http://127.0.0.1:${await freePort()}/nothing.git`;
    const t0 = Date.now();
    await expect(render({ repo: url }, url)).rejects.toMatchObject({ code: 'Unavailable' });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('TestRepository verifies access, and reports rejected credentials', async () => {
    const url = `${privateHttp.baseUrl}/private.git`;
    expect(
      await f.client.testRepository({ repo: { repo: url, username: 'deployer', password: 's3cret-token' } }),
    ).toEqual({ verified: true });
    await expect(
      f.client.testRepository({ repo: { repo: url, username: 'deployer', password: 'nope' } }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/Unauthenticated|PermissionDenied/) });
  });
});
