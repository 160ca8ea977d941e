import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createGitClient, type GitClient, type GitClientOptions } from '@capstan/git';
import { silentLogger } from '@capstan/runtime';

const run = promisify(execFile);

export type RequestEvent = Parameters<NonNullable<GitClientOptions['onRequest']>>[0];

export interface TestClient {
  readonly client: GitClient;
  readonly cacheDir: string;
  readonly events: RequestEvent[];
  count(type: RequestEvent['type']): number;
  close(): Promise<void>;
}

/** A client on its own cache folder, recording every request it makes. */
export async function testClient(overrides: Partial<GitClientOptions> = {}): Promise<TestClient> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'capstan-git-cache-'));
  const events: RequestEvent[] = [];
  const client = createGitClient({
    cacheDir,
    timeoutMs: 20_000,
    logger: silentLogger,
    onRequest: (e) => events.push(e),
    ...overrides,
  });
  return {
    client,
    cacheDir,
    events,
    count: (type) => events.filter((e) => e.type === type).length,
    // Checkouts are read-only: write permission comes back before the folder can go.
    close: async () => {
      await run('chmod', ['-R', 'u+w', cacheDir]);
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the error a promise rejects with; fails if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
