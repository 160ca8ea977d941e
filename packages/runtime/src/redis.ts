import { Redis } from 'ioredis';
import { exponentialBackoff } from './backoff.ts';
import type { Logger } from './logger.ts';

export interface RedisOptions {
  readonly url: string;
  readonly logger: Logger;
  /** How long to wait for the first connection before giving up. @default 30_000 */
  readonly connectTimeoutMs?: number;
  /** Name shown by CLIENT LIST, e.g. the service name. */
  readonly connectionName?: string;
}

/** host:port only: URLs may carry passwords and must not reach logs or error messages. */
export function redisTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port === '' ? '6379' : u.port}`;
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Connects to Redis and waits until it is ready. Reconnects forever afterwards with capped backoff;
 * commands issued while disconnected fail fast instead of queueing without bound.
 */
export async function connectRedis(options: RedisOptions): Promise<Redis> {
  const backoff = exponentialBackoff({ initialMs: 100, maxMs: 3000 });
  const target = redisTarget(options.url);
  const logger = options.logger.child({ component: 'redis', target });
  const redis = new Redis(options.url, {
    lazyConnect: true,
    connectionName: options.connectionName ?? 'capstan',
    maxRetriesPerRequest: 3,
    enableOfflineQueue: true,
    retryStrategy: (times) => backoff.delay(times),
  });
  let lastLogged = 0;
  redis.on('error', (err: Error) => {
    // A flapping connection emits an error per retry; one line every 10 s says enough.
    if (Date.now() - lastLogged > 10_000) {
      lastLogged = Date.now();
      logger.warn('redis connection error', { error: err.message });
    }
  });
  const timeoutMs = options.connectTimeoutMs ?? 30_000;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.disconnect();
      reject(new Error(`cannot reach Redis at ${target} within ${timeoutMs} ms`));
    }, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  redis.connect().catch(() => undefined); // failures surface through 'error' and the retry strategy
  await ready;
  logger.info('redis connected');
  return redis;
}
