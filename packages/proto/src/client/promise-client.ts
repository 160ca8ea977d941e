import type { Client } from '@grpc/grpc-js';
import {
  ChannelCredentials,
  Metadata,
  makeGenericClientConstructor,
  status,
  type CallOptions,
  type ClientReadableStream,
  type ClientWritableStream,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { CapstanError, errorCodeFromGrpcStatus } from '@capstan/errors';
import { exponentialBackoff, retry, type ServiceDefinitionLike } from '@capstan/runtime';
import { compileClientOptions, type ClientOptions, type CompiledClientOptions } from './client-options.ts';

export interface CallOpts {
  /** Overrides the client's default deadline for this call. */
  readonly timeoutMs?: number;
  readonly metadata?: Metadata;
  readonly signal?: AbortSignal;
  /** Unary calls are retried on UNAVAILABLE only when the method is safe to repeat. @default per client */
  readonly idempotent?: boolean;
}

type MethodFor<M> = M extends {
  readonly requestStream: infer CS;
  readonly responseStream: infer SS;
  readonly requestSerialize: (value: infer Req) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => infer Res;
}
  ? CS extends true
    ? SS extends true
      ? never
      : (requests: AsyncIterable<Req> | Iterable<Req>, opts?: CallOpts) => Promise<Res>
    : SS extends true
      ? (request: Req, opts?: CallOpts) => AsyncIterable<Res>
      : (request: Req, opts?: CallOpts) => Promise<Res>
  : never;

/** A promise-based client of a generated service; gRPC failures arrive as CapstanErrors. */
export type PromiseClient<D extends ServiceDefinitionLike> = { readonly [K in keyof D]: MethodFor<D[K]> } & {
  close(): void;
};

/** gRPC status → domain error, keeping the server's (already sanitized) message. */
export function fromServiceError(err: ServiceError | Error): CapstanError {
  const code = (err as Partial<ServiceError>).code;
  if (typeof code !== 'number') return new CapstanError('Unavailable', err.message, { cause: err });
  const details = (err as ServiceError).details;
  const message = details === '' || details === undefined ? err.message : details;
  if (code === status.CANCELLED) return new CapstanError('Aborted', message, { cause: err });
  return new CapstanError(errorCodeFromGrpcStatus(code), message, { cause: err });
}

export function channelCredentials(o: CompiledClientOptions): ChannelCredentials {
  if (o.tls === undefined) return ChannelCredentials.createInsecure();
  return ChannelCredentials.createSsl(
    o.tls.ca ?? null,
    o.tls.key ?? null,
    o.tls.cert ?? null,
    o.tls.insecureSkipVerify === true ? { checkServerIdentity: () => undefined } : {},
  );
}

export function channelOptions(o: CompiledClientOptions): Record<string, string | number> {
  return {
    'grpc.max_receive_message_length': o.maxMessageBytes,
    'grpc.max_send_message_length': o.maxMessageBytes,
    // Spread calls over every replica behind a headless Service instead of pinning one connection.
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    'grpc.keepalive_time_ms': 30_000,
    ...(o.tls?.serverName === undefined ? {} : { 'grpc.ssl_target_name_override': o.tls.serverName }),
  };
}

type Raw = Record<string, (...args: unknown[]) => unknown>;

function callOptions(o: CompiledClientOptions, opts: CallOpts | undefined): CallOptions {
  return { deadline: Date.now() + (opts?.timeoutMs ?? o.timeoutMs) };
}

function cancelOn(signal: AbortSignal | undefined, call: { cancel(): void }): void {
  if (signal === undefined) return;
  if (signal.aborted) call.cancel();
  else signal.addEventListener('abort', () => call.cancel(), { once: true });
}

/**
 * Creates a promise-based client for one generated service. Pass `channelOverride` to share one
 * channel among the clients of several services on the same server.
 */
export function createPromiseClient<D extends ServiceDefinitionLike>(
  serviceName: string,
  definition: D,
  options: ClientOptions & {
    /** Methods (by definition key) whose unary calls may be retried without asking. */
    readonly idempotent?: (method: string) => boolean;
    /** Share this client's channel (several services of one server over one connection). */
    readonly channelOverride?: Client;
  },
): PromiseClient<D> {
  const channelOverride = options.channelOverride;
  const o = compileClientOptions(options);
  const Ctor = makeGenericClientConstructor(definition as unknown as ServiceDefinition, serviceName);
  const client = new Ctor(o.address, channelCredentials(o), {
    ...channelOptions(o),
    ...(channelOverride === undefined ? {} : { channelOverride: channelOverride.getChannel() }),
  });
  const raw = client as unknown as Raw;
  const backoff = o.backoff ?? exponentialBackoff({ initialMs: 100, maxMs: 2000 });
  const out: Record<string, unknown> = { close: () => client.close() };

  for (const [key, def] of Object.entries(definition)) {
    const fn = raw[key]?.bind(client);
    if (fn === undefined) continue;
    if (!def.requestStream && !def.responseStream) {
      const once = (request: unknown, opts: CallOpts | undefined): Promise<unknown> =>
        new Promise((resolve, reject) => {
          const call = fn(
            request,
            opts?.metadata ?? new Metadata(),
            callOptions(o, opts),
            (err: ServiceError | null, res: unknown) =>
              err === null ? resolve(res) : reject(fromServiceError(err)),
          ) as { cancel(): void };
          cancelOn(opts?.signal, call);
        });
      const safe = options.idempotent?.(key) ?? false;
      const retryable = (err: unknown): boolean => (err as CapstanError).code === 'Unavailable';
      out[key] = (request: unknown, opts?: CallOpts) => {
        const first = once(request, opts);
        if (!(opts?.idempotent ?? safe) || o.attempts < 2) return first;
        // The common case (success) settles on the first call with no retry machinery in its path.
        return first.catch((err: unknown) => {
          if (!retryable(err)) throw err;
          // Attempt 1 is the call that just failed; retry sleeps its backoff before attempt 2.
          return retry((attempt) => (attempt === 1 ? Promise.reject(err as Error) : once(request, opts)), {
            attempts: o.attempts,
            backoff,
            ...(o.clock === undefined ? {} : { clock: o.clock }),
            ...(opts?.signal === undefined ? {} : { signal: opts.signal }),
            retryable,
          });
        });
      };
    } else if (!def.requestStream && def.responseStream) {
      out[key] = (request: unknown, opts?: CallOpts) => {
        const call = fn(
          request,
          opts?.metadata ?? new Metadata(),
          callOptions(o, opts),
        ) as ClientReadableStream<unknown>;
        cancelOn(opts?.signal, call);
        return (async function* () {
          try {
            for await (const item of call) yield item;
          } catch (err) {
            throw fromServiceError(err as ServiceError);
          }
        })();
      };
    } else if (def.requestStream && !def.responseStream) {
      out[key] = (requests: AsyncIterable<unknown> | Iterable<unknown>, opts?: CallOpts) =>
        new Promise((resolve, reject) => {
          const call = fn(
            opts?.metadata ?? new Metadata(),
            callOptions(o, opts),
            (err: ServiceError | null, res: unknown) =>
              err === null ? resolve(res) : reject(fromServiceError(err)),
          ) as ClientWritableStream<unknown>;
          cancelOn(opts?.signal, call);
          void (async () => {
            try {
              for await (const r of requests) {
                if (!call.write(r)) await new Promise((res) => call.once('drain', res));
              }
              call.end();
            } catch (err) {
              call.cancel();
              reject(
                err instanceof CapstanError
                  ? err
                  : new CapstanError('Aborted', 'request stream failed', { cause: err }),
              );
            }
          })();
        });
    }
  }
  return out as PromiseClient<D>;
}
