import { once } from 'node:events';
import type {
  sendUnaryData,
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { toCapstanError } from '@capstan/errors';
import type { Logger } from '../logger.ts';
import type {
  BidiStreamHandler,
  CallContext,
  ClientStreamHandler,
  ServerStreamHandler,
  ServiceBinding,
  UnaryHandler,
} from './handler-types.ts';
import { chain, toServiceStatus, type CallInfo, type Interceptor } from './interceptors.ts';

type AnyCall =
  | ServerUnaryCall<unknown, unknown>
  | ServerReadableStream<unknown, unknown>
  | ServerWritableStream<unknown, unknown>;

export interface AdaptOptions {
  readonly interceptors: readonly Interceptor[];
  readonly logger: Logger;
  /** Aborted when the server shuts down, so long-lived streams end and draining can finish. */
  readonly shutdown: AbortSignal;
}

/**
 * The per-call context. Its signal and logger are made on first use: most calls never read them, and on
 * a hot path (cache hits answered in well under a millisecond) their allocations are what GC pauses
 * are made of.
 */
function context(
  call: AnyCall,
  method: string,
  options: AdaptOptions,
): { ctx: CallContext; dispose: () => void } {
  let controller: AbortController | undefined;
  let logger: Logger | undefined;
  let dispose = (): void => undefined;
  const signal = (): AbortSignal => {
    if (controller !== undefined) return controller.signal;
    const c = new AbortController();
    controller = c;
    if (options.shutdown.aborted) c.abort(options.shutdown.reason);
    const onShutdown = (): void => c.abort(options.shutdown.reason);
    options.shutdown.addEventListener('abort', onShutdown, { once: true });
    const emitter = call as NodeJS.EventEmitter;
    const onCancel = (): void => c.abort(new Error('call cancelled by client'));
    emitter.once('cancelled', onCancel);
    // Removed when the call ends (the adapter calls dispose): the shutdown signal lives as long as the server.
    dispose = () => {
      options.shutdown.removeEventListener('abort', onShutdown);
      emitter.off('cancelled', onCancel);
    };
    return c.signal;
  };
  const ctx: CallContext = {
    method,
    metadata: call.metadata,
    peer: call.getPeer(),
    get signal() {
      return signal();
    },
    get logger() {
      logger ??= options.logger.child({ method });
      return logger;
    },
  };
  return { ctx, dispose: () => dispose() };
}

type Sink = NodeJS.EventEmitter & { write(item: unknown): boolean };

async function writeAll(call: Sink, items: AsyncIterable<unknown>, signal: AbortSignal): Promise<void> {
  for await (const item of items) {
    if (signal.aborted) return;
    if (!call.write(item)) await once(call, 'drain', { signal });
  }
}

/**
 * Turns a promise-based ServiceBinding into grpc-js handlers, running every call through the
 * interceptor chain and sending domain errors as gRPC statuses.
 */
export function adaptService(binding: ServiceBinding, options: AdaptOptions): UntypedServiceImplementation {
  const out: UntypedServiceImplementation = {};
  for (const [key, def] of Object.entries(binding.definition)) {
    const handler = binding.implementation[key];
    if (typeof handler !== 'function') {
      throw new Error(`service ${binding.name} has no implementation for ${key}`);
    }
    const method = def.path.slice(def.path.lastIndexOf('/') + 1);
    const info = (type: CallInfo['type'], call: AnyCall): CallInfo => ({
      service: binding.name,
      method,
      type,
      peer: call.getPeer(),
    });
    const run = (
      type: CallInfo['type'],
      call: AnyCall,
      body: (ctx: CallContext) => Promise<void>,
      fail: (s: { code: number; details: string }) => void,
    ): void => {
      const { ctx, dispose } = context(call, method, options);
      chain(options.interceptors, info(type, call), () => body(ctx))
        .catch((err: unknown) => fail(toServiceStatus(toCapstanError(err))))
        .finally(dispose);
    };

    if (!def.requestStream && !def.responseStream) {
      const h = handler as UnaryHandler<unknown, unknown>;
      out[key] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        run(
          'unary',
          call,
          async (ctx) => callback(null, await h(call.request, ctx)),
          (s) => callback(s),
        );
      };
    } else if (!def.requestStream && def.responseStream) {
      const h = handler as ServerStreamHandler<unknown, unknown>;
      out[key] = (call: ServerWritableStream<unknown, unknown>) => {
        run(
          'server_stream',
          call,
          async (ctx) => {
            await writeAll(call, h(call.request, ctx), ctx.signal);
            call.end();
          },
          (s) => call.emit('error', s),
        );
      };
    } else if (def.requestStream && !def.responseStream) {
      const h = handler as ClientStreamHandler<unknown, unknown>;
      out[key] = (call: ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        run(
          'client_stream',
          call,
          async (ctx) => callback(null, await h(call, ctx)),
          (s) => callback(s),
        );
      };
    } else {
      const h = handler as BidiStreamHandler<unknown, unknown>;
      out[key] = (call: ServerDuplexStream<unknown, unknown>) => {
        run(
          'bidi_stream',
          call,
          async (ctx) => {
            await writeAll(call, h(call, ctx), ctx.signal);
            call.end();
          },
          (s) => call.emit('error', s),
        );
      };
    }
  }
  return out;
}
