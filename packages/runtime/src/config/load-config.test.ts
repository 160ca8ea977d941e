import { describe, expect, it } from 'vitest';
import { commonEnv, env } from './env-vars.ts';
import { ConfigError, loadConfig, redactConfig, unknownVariables } from './load-config.ts';

const spec = { ...commonEnv, grpcPort: env.repoServerGrpcPort, repo: env.repoServerAddress };

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const c = loadConfig(spec, {});
    expect(c).toMatchObject({
      logLevel: 'info',
      redisUrl: 'redis://127.0.0.1:6379',
      namespace: 'argocd',
      grpcPort: 8081,
      grpcMaxMessageBytes: 100 * 1024 * 1024,
      repo: '127.0.0.1:8081',
    });
  });

  it('parses and types values from the env object', () => {
    const c = loadConfig(spec, {
      CAPSTAN_LOG_LEVEL: 'debug',
      CAPSTAN_REPO_SERVER_GRPC_PORT: '0',
      CAPSTAN_GRPC_MAX_MESSAGE_BYTES: '2097152',
      CAPSTAN_REPO_SERVER_ADDRESS: 'capstan-repo-server:8081',
    });
    expect(c.logLevel).toBe('debug');
    expect(c.grpcPort).toBe(0);
    expect(c.grpcMaxMessageBytes).toBe(2097152);
    expect(c.repo).toBe('capstan-repo-server:8081');
  });

  it.each([
    [
      'CAPSTAN_REPO_SERVER_GRPC_PORT',
      'abc',
      'CAPSTAN_REPO_SERVER_GRPC_PORT must be a TCP port from 0 to 65535 (0 picks a free port), got "abc"',
    ],
    ['CAPSTAN_REPO_SERVER_GRPC_PORT', '70000', 'got "70000"'],
    ['CAPSTAN_GRPC_MAX_MESSAGE_BYTES', '10', 'must be an integer from 1048576 to 2147483647'],
    ['CAPSTAN_LOG_LEVEL', 'verbose', 'must be one of debug, info, warn, error, got "verbose"'],
    ['CAPSTAN_NAMESPACE', 'Not_A_Namespace', 'a Kubernetes namespace name'],
    ['CAPSTAN_REPO_SERVER_ADDRESS', 'no-port', 'must be host:port'],
  ])('rejects %s=%s naming the variable and the expected form', (name, value, message) => {
    expect(() => loadConfig(spec, { [name]: value })).toThrow(ConfigError);
    try {
      loadConfig(spec, { [name]: value });
    } catch (err) {
      expect((err as ConfigError).variable).toBe(name);
      expect((err as Error).message).toContain(message);
      expect((err as Error).message).toContain(name);
    }
  });

  it('never echoes a secret variable that fails to parse', () => {
    expect(() => loadConfig(spec, { CAPSTAN_REDIS_URL: 'http://:hunter2@redis:6379' })).toThrow(
      /CAPSTAN_REDIS_URL must be a URL starting with redis:\/\/ or rediss:\/\/, got a value that does not parse/,
    );
    try {
      loadConfig(spec, { CAPSTAN_REDIS_URL: 'http://:hunter2@redis:6379' });
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('redacts secrets when configuration is logged, keeping the host', () => {
    const c = loadConfig(spec, { CAPSTAN_REDIS_URL: 'redis://:hunter2@redis.internal:6380/2' });
    const shown = redactConfig(spec, c);
    expect(JSON.stringify(shown)).not.toContain('hunter2');
    expect(shown['redisUrl']).toBe('redis://:***@redis.internal:6380/2');
    expect(shown['logLevel']).toBe('info');
  });

  it('finds CAPSTAN_ variables nobody reads (likely typos)', () => {
    expect(
      unknownVariables([spec], { CAPSTAN_LOG_LEVLE: 'debug', CAPSTAN_LOG_LEVEL: 'info', HOME: '/' }),
    ).toEqual(['CAPSTAN_LOG_LEVLE']);
  });
});
