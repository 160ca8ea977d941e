import type { Backoff, Clock } from '@capstan/runtime';

export interface ClientTlsOptions {
  /** CA bundle that signs the server certificate; the system roots are used when absent. */
  readonly ca?: Buffer;
  /** Client certificate and key for mutual TLS. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Overrides the name checked against the server certificate. */
  readonly serverName?: string;
  /** Skip server certificate verification (insecure; for self-signed development setups). */
  readonly insecureSkipVerify?: boolean;
}

export interface ClientOptions {
  /** host:port, or any grpc-js target such as dns:///capstan-repo-server:8081. */
  readonly address: string;
  /** Deadline of each call unless the call passes its own. @default 60_000 */
  readonly timeoutMs?: number;
  /** Attempts of an idempotent unary call that fails with UNAVAILABLE, including the first. @default 3 */
  readonly attempts?: number;
  readonly backoff?: Backoff;
  /** Largest message sent or received. @default 100 MiB */
  readonly maxMessageBytes?: number;
  /** Plaintext when absent. */
  readonly tls?: ClientTlsOptions;
  readonly clock?: Clock;
}

export interface CompiledClientOptions {
  readonly address: string;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly backoff: Backoff | undefined;
  readonly maxMessageBytes: number;
  readonly tls: ClientTlsOptions | undefined;
  readonly clock: Clock | undefined;
}

export function compileClientOptions(options: ClientOptions): CompiledClientOptions {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const attempts = options.attempts ?? 3;
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError(`attempts must be an integer ≥ 1, got ${attempts}`);
  return {
    address: options.address,
    timeoutMs,
    attempts,
    backoff: options.backoff,
    maxMessageBytes: options.maxMessageBytes ?? 100 * 1024 * 1024,
    tls: options.tls,
    clock: options.clock,
  };
}
