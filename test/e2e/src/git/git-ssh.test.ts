import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitCredentials } from '@capstan/git';
import {
  createGitRoot,
  generateSshKeyPair,
  startGitSshServer,
  type GitRoot,
  type GitSshServer,
  type SshKeyPair,
} from '@capstan/testkit';
import { failure, testClient, type TestClient } from './fixtures.ts';

let root: GitRoot;
let server: GitSshServer;
let keyDir: string;
let key: SshKeyPair;
let otherKey: SshKeyPair;
let t: TestClient;
let head: string;
let tagged: string;

beforeAll(async () => {
  root = await createGitRoot();
  const repo = await root.createRepo('app', { 'app.yaml': 'kind: App\n' });
  tagged = await repo.git('rev-parse', 'HEAD');
  await repo.git('tag', '-a', 'v2', '-m', 'two');
  await repo.git('push', '--quiet', 'origin', 'refs/tags/v2');
  await repo.write({ 'app.yaml': 'kind: App\nversion: 2\n' });
  head = await repo.commit('second');
  keyDir = await mkdtemp(join(tmpdir(), 'capstan-ssh-keys-'));
  [key, otherKey] = await Promise.all([generateSshKeyPair(keyDir), generateSshKeyPair(keyDir)]);
  server = await startGitSshServer({ root: root.dir, authorizedKeys: [key.publicKey] });
  t = await testClient();
});

afterAll(async () => {
  await t.close();
  await server.close();
  await root.close();
  await rm(keyDir, { recursive: true, force: true });
});

const url = (): string => server.urlFor('app');
const creds = (overrides: Partial<GitCredentials> = {}): GitCredentials => ({
  sshPrivateKey: key.privateKey,
  knownHosts: `${server.hostKeyLine}\n`,
  ...overrides,
});

describe('git over SSH with a key', () => {
  it('resolves refs and checks out a revision', async () => {
    const repo = { url: url(), creds: creds() };
    const refs = await t.client.lsRemote(repo);
    expect(refs.head).toBe(head);
    expect(refs.headRef).toBe('refs/heads/main');
    expect(await t.client.resolveRevision(repo, 'main')).toBe(head);
    expect(await t.client.resolveRevision(repo, 'v2')).toBe(tagged);
    expect(await t.client.resolveRevision(repo, head.slice(0, 8))).toBe(head);
    const dir = await t.client.checkout(repo, tagged);
    expect(await readFile(join(dir, 'app.yaml'), 'utf8')).toBe('kind: App\n');
    expect(server.commands.some((c) => c.startsWith("git-upload-pack '/app.git'"))).toBe(true);
  });

  it('shares one mirror between spellings of one URL', async () => {
    const c = await testClient();
    try {
      const repo = { url: url(), creds: creds() };
      await c.client.ensureCommit(repo, head);
      await c.client.ensureCommit({ url: `${url().replace('/app.git', '/app')}/`, creds: creds() }, head);
      expect(c.count('fetch')).toBe(1);
    } finally {
      await c.close();
    }
  });

  it('rejects a key the server does not know as Unauthenticated', async () => {
    const err = await failure(
      t.client.test({ url: url(), creds: creds({ sshPrivateKey: otherKey.privateKey }) }),
    );
    expect(err.code).toBe('Unauthenticated');
    expect(err.message).toContain(url());
    expect(err.message).not.toContain('PRIVATE KEY');
  });

  it('rejects a missing key as Unauthenticated', async () => {
    const err = await failure(t.client.test({ url: url(), creds: { knownHosts: server.hostKeyLine } }));
    expect(err.code).toBe('Unauthenticated');
  });

  it('refuses a server whose host key is not the known one', async () => {
    const wrongHost = `[127.0.0.1]:${server.port} ${otherKey.publicKey.split(' ').slice(0, 2).join(' ')}`;
    const err = await failure(t.client.test({ url: url(), creds: creds({ knownHosts: wrongHost }) }));
    expect(err.code).toBe('Unauthenticated');
    expect(err.message).toMatch(/host key/);
    const unknown = await failure(t.client.test({ url: url(), creds: creds({ knownHosts: '' }) }));
    expect(unknown.code).toBe('Unauthenticated');
    expect(unknown.message).toMatch(/host key/);
  });

  it('skips host key checking only when insecure', async () => {
    await t.client.test({ url: url(), creds: creds({ knownHosts: '', insecure: true }) });
    expect(await t.client.resolveRevision({ url: url(), creds: creds({ insecure: true }) }, 'v2')).toBe(
      tagged,
    );
  });

  it('serves only git-upload-pack/git-receive-pack of repositories inside its root', async () => {
    const err = await failure(t.client.test({ url: server.urlFor('../outside'), creds: creds() }));
    expect(err.code).toBe('NotFound');
    const keyFile = join(keyDir, 'client-key');
    await writeFile(keyFile, key.privateKey, { mode: 0o600 });
    const ssh = ['-F', '/dev/null', '-i', keyFile, '-p', String(server.port), '-o', 'BatchMode=yes'];
    ssh.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', 'git@127.0.0.1', 'ls /');
    const shell = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile('ssh', ssh, (e, _stdout, stderr) =>
        resolve({ code: e === null ? 0 : (e.code as number), stderr }),
      );
    });
    expect(shell.code).toBe(128);
    expect(shell.stderr).toContain('command not allowed');
  });
});
