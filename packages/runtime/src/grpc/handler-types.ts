import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from '../logger.ts';

/** What a handler knows about the call it serves. */
export interface CallContext {
  readonly method: string;
  readonly metadata: Metadata;
  readonly peer: string;
  /** Aborts when the client cancels, the deadline passes, or the server shuts down. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;
export type ServerStreamHandler<Req, Res> = (request: Req, ctx: CallContext) => AsyncIterable<Res>;
export type ClientStreamHandler<Req, Res> = (requests: AsyncIterable<Req>, ctx: CallContext) => Promise<Res>;
export type BidiStreamHandler<Req, Res> = (
  requests: AsyncIterable<Req>,
  ctx: CallContext,
) => AsyncIterable<Res>;

/** The shape of one method of a ts-proto grpc-js service definition. */
export interface MethodDefinitionLike {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly requestSerialize: (value: never) => Buffer;
  readonly requestDeserialize: (bytes: Buffer) => unknown;
  readonly responseSerialize: (value: never) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => unknown;
}

export type ServiceDefinitionLike = Readonly<Record<string, MethodDefinitionLike>>;

type HandlerFor<M> = M extends {
  readonly requestStream: infer CS;
  readonly responseStream: infer SS;
  readonly requestDeserialize: (bytes: Buffer) => infer Req;
  readonly responseSerialize: (value: infer Res) => Buffer;
}
  ? CS extends true
    ? SS extends true
      ? BidiStreamHandler<Req, Res>
      : ClientStreamHandler<Req, Res>
    : SS extends true
      ? ServerStreamHandler<Req, Res>
      : UnaryHandler<Req, Res>
  : never;

/**
 * A promise-based implementation of a generated service: unary methods return promises, server streams
 * return async iterables, client streams receive async iterables. Errors are thrown, never passed to callbacks.
 */
export type ServiceImplementation<D extends ServiceDefinitionLike> = {
  readonly [K in keyof D]: HandlerFor<D[K]>;
};

/** A service ready to be served: its fully qualified name, generated definition and implementation. */
export interface ServiceBinding {
  readonly name: string;
  readonly definition: ServiceDefinitionLike;
  readonly implementation: Readonly<Record<string, unknown>>;
}

export function bindService<D extends ServiceDefinitionLike>(
  name: string,
  definition: D,
  implementation: ServiceImplementation<D>,
): ServiceBinding {
  return { name, definition, implementation };
}
