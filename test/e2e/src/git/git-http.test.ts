import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCommitSha } from '@capstan/git';
import {
  createGitRoot,
  generateSshKeyPair,
  startGitHttpServer,
  type GitHttpServer,
  type GitRepo,
  type GitRoot,
} from '@capstan/testkit';
import { failure, testClient, type TestClient } from './fixtures.ts';

let root: GitRoot;
let server: GitHttpServer;
let authServer: GitHttpServer;
let t: TestClient;
let repo: GitRepo;
let url: string;
const sha: Record<string, string> = {};

beforeAll(async () => {
  root = await createGitRoot();
  repo = await root.createRepo('app', {
    'README.md': '# app\n',
    'manifests/deploy.yaml': 'kind: Deployment\n',
    'manifests/svc.yaml': 'kind: Service\n',
    'bin/run.sh': '#!/bin/sh\necho run\n',
  });
  sha['first'] = await repo.git('rev-parse', 'HEAD');
  await repo.git('tag', '-a', 'v1.0.0', '-m', 'release 1.0.0');
  await repo.git('push', '--quiet', 'origin', 'refs/tags/v1.0.0');
  await repo.write({
    'manifests/deploy.yaml': 'kind: Deployment\nreplicas: 2\n',
    'manifests/cm.yaml': 'kind: ConfigMap\n',
    'hidden/kept.txt': 'exported anyway\n',
    '.gitattributes': 'hidden/ export-ignore\n',
  });
  await repo.remove(['manifests/svc.yaml']);
  await chmod(join(await repo.git('rev-parse', '--show-toplevel'), 'bin/run.sh'), 0o755);
  sha['second'] = await repo.commit('scale to two\n\nwith a body line');
  await repo.tag('light');
  await repo.checkout('feature');
  await repo.write({ 'feature.txt': 'feature\n' });
  sha['feature'] = await repo.commit('feature work');
  await repo.checkout('main');
  server = await startGitHttpServer({ root: root.dir });
  authServer = await startGitHttpServer({
    root: root.dir,
    auth: { username: 'alice', password: 's3cret-pw' },
  });
  url = `${server.baseUrl}/app.git`;
  t = await testClient();
});

afterAll(async () => {
  await t.close();
  await server.close();
  await authServer.close();
  await root.close();
});

describe('refs over HTTP', () => {
  it('lists HEAD, branches and tags, peeling annotated tags to their commit', async () => {
    const refs = await t.client.lsRemote({ url });
    expect(refs.head).toBe(sha['second']);
    expect(refs.headRef).toBe('refs/heads/main');
    expect(Object.fromEntries(refs.branches)).toEqual({ main: sha['second'], feature: sha['feature'] });
    expect(Object.fromEntries(refs.tags)).toEqual({ 'v1.0.0': sha['first'], light: sha['second'] });
  });

  it('resolves branches, tags, HEAD, full and short SHAs', async () => {
    const resolve = (rev: string): Promise<string> => t.client.resolveRevision({ url }, rev);
    expect(await resolve('main')).toBe(sha['second']);
    expect(await resolve('feature')).toBe(sha['feature']);
    expect(await resolve('HEAD')).toBe(sha['second']);
    expect(await resolve('v1.0.0')).toBe(sha['first']);
    expect(await resolve('light')).toBe(sha['second']);
    expect(await resolve('refs/heads/feature')).toBe(sha['feature']);
    expect(await resolve(sha['first']!)).toBe(sha['first']);
    expect(await resolve(sha['feature']!.slice(0, 7))).toBe(sha['feature']);
    expect(await resolve(sha['first']!.slice(0, 4).toUpperCase())).toBe(sha['first']);
    expect(isCommitSha(await resolve('main'))).toBe(true);
  });

  it('names the unknown ref in a NotFound error', async () => {
    const err = await failure(t.client.resolveRevision({ url }, 'no-such-branch'));
    expect(err.code).toBe('NotFound');
    expect(err.message).toContain("'no-such-branch'");
    expect(err.message).toContain(url);
    const short = await failure(t.client.resolveRevision({ url }, 'deadbeef'));
    expect(short.code).toBe('NotFound');
    expect(short.message).toContain("'deadbeef'");
  });

  it('reuses an ls-remote answer within revisionCacheMs unless noCache is asked', async () => {
    const c = await testClient({ revisionCacheMs: 60_000 });
    try {
      await Promise.all([c.client.lsRemote({ url }), c.client.resolveRevision({ url }, 'main')]);
      await c.client.resolveRevision({ url }, 'light');
      expect(c.count('ls-remote')).toBe(1);
      await c.client.resolveRevision({ url }, 'main', { noCache: true });
      expect(c.count('ls-remote')).toBe(2);
    } finally {
      await c.close();
    }
  });

  it('sees a new commit once the cache is bypassed', async () => {
    const c = await testClient({ revisionCacheMs: 0 });
    const other = await root.createRepo('moving', { 'a.txt': 'a\n' });
    const movingUrl = `${server.baseUrl}/moving.git`;
    try {
      const before = await c.client.resolveRevision({ url: movingUrl }, 'main');
      await other.write({ 'a.txt': 'b\n' });
      const after = await other.commit('move');
      expect(before).not.toBe(after);
      expect(await c.client.resolveRevision({ url: movingUrl }, 'main')).toBe(after);
      await c.client.ensureCommit({ url: movingUrl }, after);
      expect((await c.client.readFiles({ url: movingUrl }, after, ['a.txt'])).get('a.txt')?.toString()).toBe(
        'b\n',
      );
    } finally {
      await c.close();
    }
  });
});

describe('basic auth over HTTP', () => {
  const authUrl = (): string => `${authServer.baseUrl}/app.git`;

  it('authenticates with username and password', async () => {
    const creds = { username: 'alice', password: 's3cret-pw' };
    expect(await t.client.resolveRevision({ url: authUrl(), creds }, 'main')).toBe(sha['second']);
    await t.client.test({ url: authUrl(), creds });
    const dir = await t.client.checkout({ url: authUrl(), creds }, sha['first']!);
    expect(await readFile(join(dir, 'manifests/svc.yaml'), 'utf8')).toBe('kind: Service\n');
  });

  it('takes credentials written into the URL without showing them', async () => {
    const withCreds = `${authServer.baseUrl.replace('http://', 'http://alice:s3cret-pw@')}/app.git`;
    expect(await t.client.resolveRevision({ url: withCreds }, 'main', { noCache: true })).toBe(sha['second']);
    const wrong = withCreds.replace('s3cret-pw', 'wrong-pw-in-url');
    const err = await failure(t.client.test({ url: wrong }));
    expect(err.code).toBe('Unauthenticated');
    expect(err.message).not.toContain('wrong-pw-in-url');
    expect(err.message).not.toContain('alice:');
  });

  it('rejects a wrong password as Unauthenticated without echoing it', async () => {
    const err = await failure(
      t.client.resolveRevision(
        { url: authUrl(), creds: { username: 'alice', password: 'hunter2-wrong' } },
        'main',
      ),
    );
    expect(err.code).toBe('Unauthenticated');
    expect(err.message).toContain(authUrl());
    expect(err.message).not.toContain('hunter2-wrong');
    expect(JSON.stringify(err)).not.toContain('hunter2-wrong');
    expect(String((err as { cause?: unknown }).cause)).not.toContain('hunter2-wrong');
  });

  it('rejects missing credentials as Unauthenticated', async () => {
    const err = await failure(t.client.test({ url: authUrl() }));
    expect(err.code).toBe('Unauthenticated');
  });
});

describe('checkouts', () => {
  async function modes(dir: string): Promise<number[]> {
    const out: number[] = [];
    for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
      const s = await lstat(join(e.parentPath, e.name));
      if (!s.isSymbolicLink()) out.push(s.mode);
    }
    return out;
  }

  it('gives the tree read-only, without .git, and reuses it for the same sha', async () => {
    const c = await testClient();
    try {
      const dir = await c.client.checkout({ url }, sha['second']!);
      expect((await readdir(dir)).sort()).toEqual([
        '.gitattributes',
        'README.md',
        'bin',
        'hidden',
        'manifests',
      ]);
      expect(await readFile(join(dir, 'manifests/deploy.yaml'), 'utf8')).toBe(
        'kind: Deployment\nreplicas: 2\n',
      );
      // export-ignore in the repository's own attributes does not hide files from a checkout.
      expect(await readFile(join(dir, 'hidden/kept.txt'), 'utf8')).toBe('exported anyway\n');
      // The executable bit survives; write bits are gone everywhere.
      expect((await stat(join(dir, 'bin/run.sh'))).mode & 0o777).toBe(0o555);
      expect((await stat(join(dir, 'README.md'))).mode & 0o777).toBe(0o444);
      const all = await modes(dir);
      expect(all.length).toBeGreaterThan(5);
      expect(all.every((m) => (m & 0o222) === 0)).toBe(true);
      expect((await stat(dir)).mode & 0o222).toBe(0);
      expect(c.count('checkout')).toBe(1);
      expect(await c.client.checkout({ url: `${url}/` }, sha['second']!)).toBe(dir);
      expect(c.count('checkout')).toBe(1);
      expect(c.count('fetch')).toBe(1);
    } finally {
      await c.close();
    }
  });

  it('extracts two revisions of one repository concurrently', async () => {
    const c = await testClient();
    try {
      const [a, b, a2] = await Promise.all([
        c.client.checkout({ url }, sha['first']!),
        c.client.checkout({ url }, sha['feature']!),
        c.client.checkout({ url }, sha['first']!),
      ]);
      expect(a).toBe(a2);
      expect(a).not.toBe(b);
      expect(await readFile(join(a, 'manifests/svc.yaml'), 'utf8')).toBe('kind: Service\n');
      expect(await readFile(join(b, 'feature.txt'), 'utf8')).toBe('feature\n');
      expect(c.count('checkout')).toBe(2);
      expect(c.count('fetch')).toBe(1);
    } finally {
      await c.close();
    }
  });

  it('collapses concurrent ensureCommit calls for one repository into one fetch', async () => {
    const c = await testClient();
    const before = server.requests.filter((r) => r.path === '/app.git/git-upload-pack').length;
    try {
      await Promise.all(
        [sha['first'], sha['second'], sha['feature'], sha['first'], sha['second']].map((s) =>
          c.client.ensureCommit({ url }, s!),
        ),
      );
      expect(c.count('fetch')).toBe(1);
      // One fetch is a protocol v2 ls-refs plus a fetch command: two POSTs to upload-pack.
      const after = server.requests.filter((r) => r.path === '/app.git/git-upload-pack').length;
      expect(after - before).toBeGreaterThan(0);
      expect(after - before).toBeLessThanOrEqual(2);
      await c.client.ensureCommit({ url }, sha['feature']!);
      expect(c.count('fetch')).toBe(1);
    } finally {
      await c.close();
    }
  });

  it('rejects an unknown commit with NotFound naming it', async () => {
    const missing = 'ab'.repeat(20);
    const err = await failure(t.client.ensureCommit({ url }, missing));
    expect(err.code).toBe('NotFound');
    expect(err.message).toContain(missing);
    const bad = await failure(t.client.checkout({ url }, 'main'));
    expect(bad.code).toBe('InvalidArgument');
  });

  it('evicts the least recently used checkout beyond maxCheckouts once it is old enough', async () => {
    let now = Date.now();
    const clock = { now: () => now, sleep: async () => undefined };
    const c = await testClient({ maxCheckouts: 1, clock });
    try {
      const a = await c.client.checkout({ url }, sha['first']!);
      const b = await c.client.checkout({ url }, sha['second']!);
      // Used within the last minutes: both kept although the bound is 1.
      await stat(a);
      await stat(b);
      now += 11 * 60_000;
      const f = await c.client.checkout({ url }, sha['feature']!);
      await expect(stat(a)).rejects.toThrow();
      await expect(stat(b)).rejects.toThrow();
      await stat(f);
      expect(await c.client.checkout({ url }, sha['first']!)).toBe(a);
      expect(await readFile(join(a, 'README.md'), 'utf8')).toBe('# app\n');
      expect(c.count('checkout')).toBe(4);
    } finally {
      await c.close();
    }
  });
});

describe('reading a revision', () => {
  it('lists every file', async () => {
    expect((await t.client.listFiles({ url }, sha['first']!)).sort()).toEqual([
      'README.md',
      'bin/run.sh',
      'manifests/deploy.yaml',
      'manifests/svc.yaml',
    ]);
  });

  it('reads files, leaving out paths that are not files', async () => {
    const files = await t.client.readFiles({ url }, sha['second']!, [
      'manifests/deploy.yaml',
      'manifests/cm.yaml',
      'manifests/svc.yaml',
      'manifests',
    ]);
    expect([...files.keys()].sort()).toEqual(['manifests/cm.yaml', 'manifests/deploy.yaml']);
    expect(files.get('manifests/deploy.yaml')?.toString('utf8')).toBe('kind: Deployment\nreplicas: 2\n');
  });

  it('lists the paths changed between two commits', async () => {
    expect((await t.client.changedFiles({ url }, sha['first']!, sha['second']!)).sort()).toEqual([
      '.gitattributes',
      'bin/run.sh',
      'hidden/kept.txt',
      'manifests/cm.yaml',
      'manifests/deploy.yaml',
      'manifests/svc.yaml',
    ]);
    expect(await t.client.changedFiles({ url }, sha['second']!, sha['feature']!)).toEqual(['feature.txt']);
  });

  it('gives commit metadata', async () => {
    const meta = await t.client.commitMetadata({ url }, sha['second']!);
    expect(meta).toEqual({
      author: 'Capstan Test <test@capstan.invalid>',
      date: '2026-01-01T00:00:02Z',
      message: 'scale to two\n\nwith a body line',
      tags: ['light'],
      signatureInfo: '',
    });
    expect((await t.client.commitMetadata({ url }, sha['first']!)).tags).toEqual(['v1.0.0']);
  });

  it('reports a signature for signed commits only', async () => {
    const signed = await root.createRepo('signed', { 'a.txt': 'a\n' });
    const keyDir = await mkdtemp(join(tmpdir(), 'capstan-signing-'));
    try {
      const key = await generateSshKeyPair(keyDir);
      const keyFile = join(keyDir, 'signing-key');
      await writeFile(keyFile, key.privateKey, { mode: 0o600 });
      const signing = ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${keyFile}`];
      await signed.git(...signing, 'commit', '--quiet', '--allow-empty', '-S', '-m', 'signed');
      await signed.git('push', '--quiet', 'origin', 'main');
      const signedSha = await signed.git('rev-parse', 'HEAD');
      const signedUrl = `${server.baseUrl}/signed.git`;
      const meta = await t.client.commitMetadata({ url: signedUrl }, signedSha);
      expect(meta.message).toBe('signed');
      // No trusted signers are configured, so the signature is reported but not verified.
      expect(meta.signatureInfo).toMatch(/allowedSignersFile|signature/i);
      const parent = await signed.git('rev-parse', 'HEAD~1');
      expect((await t.client.commitMetadata({ url: signedUrl }, parent)).signatureInfo).toBe('');
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  });
});
