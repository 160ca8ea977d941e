import { pino, type Logger as PinoLogger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type Fields = Readonly<Record<string, unknown>>;

/** The logging port every component takes; `child` adds fields (component, app, cluster…) to each line. */
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

/**
 * Keys whose values never reach a log line, wherever they appear one or two levels deep. Callers should
 * not log secrets at all; this is the safety net.
 */
const redactedKeys = [
  'password',
  'token',
  'bearerToken',
  'sshPrivateKey',
  'tlsClientCertKey',
  'keyData',
  'clientSecret',
  'secret',
  'authorization',
  'cookie',
];
const redactPaths = redactedKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

function wrap(p: PinoLogger): Logger {
  return {
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
    child: (fields) => wrap(p.child(fields)),
  };
}

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Fields on every line, typically { service }. */
  readonly base?: Fields;
  /** Where lines go. @default stdout */
  readonly destination?: NodeJS.WritableStream;
}

/** A JSON-lines logger (pino): one object per line with time, level, msg and fields. */
export function createLogger(options: LoggerOptions): Logger {
  const p = pino(
    {
      level: options.level,
      base: { ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '***' },
      serializers: { err: pino.stdSerializers.err },
    },
    // Synchronous writes: the last lines before process.exit (shutdown, fatal errors) must not be lost.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return wrap(p);
}

/** Swallows everything; for pure-logic tests that need a Logger argument. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
