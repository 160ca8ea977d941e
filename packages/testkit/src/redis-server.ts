import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '@capstan/devtools';
import { requireProgram } from '@capstan/devtools';

export interface TestRedis extends AsyncDisposable {
  /** redis://127.0.0.1:<port>/<db> */
  readonly url: string;
  /** Deletes every key of this test's database. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

async function waitForPing(url: string, timeoutMs: number, proc?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc?.exitCode != null)
      throw new Error(`redis-server exited with code ${proc.exitCode} while starting`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(
          `redis at ${url} did not answer PING within ${timeoutMs} ms: ${(err as Error).message}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
}

async function flushDb(url: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await client.flushdb();
  } finally {
    client.disconnect();
  }
}

function dockerReachable(): boolean {
  return process.env['DOCKER_HOST'] !== undefined || existsSync('/var/run/docker.sock');
}

/**
 * A real Redis for one test file. Uses REDIS_URL when set (CI's server; flushed per test), a testcontainers
 * Redis when a Docker engine is reachable, and otherwise starts `redis-server` on a free loopback port
 * with persistence off.
 */
export async function startRedis(): Promise<TestRedis> {
  const external = process.env['REDIS_URL'];
  if (external !== undefined && external !== '') {
    await waitForPing(external, 5000);
    const flush = (): Promise<void> => flushDb(external);
    return {
      url: external,
      flush,
      stop: async () => undefined,
      [Symbol.asyncDispose]: async () => undefined,
    };
  }
  if (dockerReachable() && process.env['CAPSTAN_TEST_NO_DOCKER'] === undefined) {
    try {
      return await startRedisContainer();
    } catch {
      // A socket without a working engine: fall back to a local redis-server below.
    }
  }
  const bin = requireProgram(
    'redis-server',
    "install it with 'apt-get install redis-server' or set REDIS_URL",
  );
  const dir = await mkdtemp(join(tmpdir(), 'capstan-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc = spawn(
      bin,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--protected-mode',
        'yes',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const url = `redis://127.0.0.1:${port}`;
    try {
      await waitForPing(url, 10_000, proc);
    } catch (err) {
      proc.kill('SIGKILL');
      if (attempt < 3) continue; // the port may have been taken between probe and bind
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    const stop = async (): Promise<void> => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    };
    return { url, flush: () => flushDb(url), stop, [Symbol.asyncDispose]: stop };
  }
}

async function startRedisContainer(): Promise<TestRedis> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('redis:7-alpine')
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  const url = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
  const stop = async (): Promise<void> => void (await container.stop());
  return { url, flush: () => flushDb(url), stop, [Symbol.asyncDispose]: stop };
}
