import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRoot, startGitHttpServer, type GitHttpServer, type GitRoot } from '@capstan/testkit';
import { failure, testClient } from './fixtures.ts';

let root: GitRoot;
let server: GitHttpServer;

beforeAll(async () => {
  root = await createGitRoot();
  await root.createRepo('app', { 'a.txt': 'a\n' });
  server = await startGitHttpServer({ root: root.dir });
});

afterAll(async () => {
  await server.close();
  await root.close();
});

async function listen(onConnection: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const s = createServer(onConnection);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const address = s.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server: s, port: address.port };
}

describe('network failures', () => {
  it('reports a closed port as Unavailable, quickly', async () => {
    const { server: s, port } = await listen(() => undefined);
    await new Promise<void>((resolve) => s.close(() => resolve()));
    const t = await testClient({ timeoutMs: 10_000 });
    try {
      const started = Date.now();
      const err = await failure(
        t.client.resolveRevision({ url: `http://127.0.0.1:${port}/app.git` }, 'main'),
      );
      expect(err.code).toBe('Unavailable');
      expect(err.message).toContain(`http://127.0.0.1:${port}/app.git`);
      expect(Date.now() - started).toBeLessThan(3_000);
      const ssh = await failure(
        t.client.test({ url: `ssh://git@127.0.0.1:${port}/app.git`, creds: { insecure: true } }),
      );
      expect(ssh.code).toBe('Unavailable');
      expect(t.events.every((e) => !e.ok)).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('kills git after timeoutMs when the server accepts but never answers', async () => {
    const sockets = new Set<Socket>();
    const { server: s, port } = await listen((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    const timeoutMs = 1_500;
    const t = await testClient({ timeoutMs });
    try {
      const started = Date.now();
      const err = await failure(t.client.lsRemote({ url: `http://127.0.0.1:${port}/app.git` }));
      const elapsed = Date.now() - started;
      expect(err.code).toBe('DeadlineExceeded');
      expect(err.message).toContain('timed out after 1.5s');
      expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 50);
      expect(elapsed).toBeLessThan(timeoutMs + 2_000);
      expect(sockets.size).toBeGreaterThan(0);
      const fetchErr = await failure(
        t.client.ensureCommit({ url: `http://127.0.0.1:${port}/x.git` }, 'a'.repeat(40)),
      );
      expect(fetchErr.code).toBe('DeadlineExceeded');
      expect(t.events.filter((e) => e.type === 'fetch' && !e.ok)).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
      await t.close();
    }
  });
});

describe('missing things', () => {
  it('reports a missing repository as NotFound', async () => {
    const t = await testClient();
    try {
      const err = await failure(t.client.test({ url: `${server.baseUrl}/nope.git` }));
      expect(err.code).toBe('NotFound');
      expect(err.message).toContain(`${server.baseUrl}/nope.git`);
    } finally {
      await t.close();
    }
  });

  it('fetches a commit that no ref reaches any more by its SHA', async () => {
    const repo = await root.createRepo('rewritten', { 'a.txt': 'a\n' });
    await repo.checkout('tmp');
    await repo.write({ 'b.txt': 'b\n' });
    const dangling = await repo.commit('soon gone');
    await repo.git('push', '--quiet', 'origin', '--delete', 'tmp');
    const url = `${server.baseUrl}/rewritten.git`;
    const t = await testClient();
    try {
      const refs = await t.client.lsRemote({ url });
      expect([...refs.branches.values()]).not.toContain(dangling);
      const files = await t.client.readFiles({ url }, dangling, ['b.txt']);
      expect(files.get('b.txt')?.toString()).toBe('b\n');
      const missing = 'c0ffee'.padEnd(40, '0');
      const err = await failure(t.client.ensureCommit({ url }, missing));
      expect(err.code).toBe('NotFound');
      expect(err.message).toContain(missing);
    } finally {
      await t.close();
    }
  });
});
