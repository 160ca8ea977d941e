import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnService, startRedis, toolEnv, type ServiceName, type TestRedis } from '@capstan/testkit';

let redis: TestRedis | undefined;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
const redisUrl = (): string => redis?.url ?? '';

async function runWith(
  name: ServiceName,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const proc = spawnService(name, env);
  let stderr = '';
  let stdout = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  proc.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  const [code] = (await once(proc, 'exit')) as [number | null];
  return { code, stderr, stdout };
}

describe('configuration errors', () => {
  it.each([
    [
      'repo-server',
      'CAPSTAN_REPO_SERVER_GRPC_PORT',
      'abc',
      'must be a TCP port from 0 to 65535 (0 picks a free port), got "abc"',
    ],
    ['api-server', 'CAPSTAN_LOG_LEVEL', 'loud', 'must be one of debug, info, warn, error, got "loud"'],
    [
      'application-controller',
      'CAPSTAN_GRPC_MAX_MESSAGE_BYTES',
      '12',
      'must be an integer from 1048576 to 2147483647, got "12"',
    ],
    ['applicationset-controller', 'CAPSTAN_REPO_SERVER_ADDRESS', 'repo server', 'must be host:port'],
    [
      'notifications',
      'CAPSTAN_REDIS_URL',
      'http://redis:6379',
      'must be a URL starting with redis:// or rediss://',
    ],
  ] as const)('%s exits non-zero with one line naming %s', async (name, variable, value, expected) => {
    const { code, stderr, stdout } = await runWith(name, { [variable]: value });
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(lines[0]).toContain(expected);
    expect(stdout).toBe('');
  });

  it('exits non-zero with a clear line when Redis cannot be reached', async () => {
    const { code, stdout } = await runWith('repo-server', {
      CAPSTAN_REDIS_URL: 'redis://:topsecret@127.0.0.1:1',
      CAPSTAN_REPO_SERVER_GRPC_PORT: '0',
      CAPSTAN_REPO_SERVER_METRICS_PORT: '0',
      CAPSTAN_LISTEN_ADDRESS: '127.0.0.1',
      CAPSTAN_REDIS_CONNECT_TIMEOUT_MS: '1000',
    });
    expect(code).toBe(1);
    expect(stdout).toContain('cannot reach Redis at 127.0.0.1:1');
    expect(stdout).not.toContain('topsecret');
  });

  it('repo-server refuses to start without its rendering tools, naming the setting', async () => {
    const { code, stdout } = await runWith('repo-server', {
      ...toolEnv(),
      CAPSTAN_HELM_PATH: '/nonexistent/helm',
      CAPSTAN_REDIS_URL: redisUrl(),
      CAPSTAN_REPO_SERVER_GRPC_PORT: '0',
      CAPSTAN_REPO_SERVER_METRICS_PORT: '0',
      CAPSTAN_LISTEN_ADDRESS: '127.0.0.1',
    });
    expect(code).toBe(1);
    expect(stdout).toContain('CAPSTAN_HELM_PATH: /nonexistent/helm not found');
  });
});
