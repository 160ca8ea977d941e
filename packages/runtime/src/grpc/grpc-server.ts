import { readFile } from 'node:fs/promises';
import { Server, ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { adaptService } from './adapt-service.ts';
import { indexDescriptorSet, type DescriptorIndex } from './descriptor-index.ts';
import type { ServiceBinding } from './handler-types.ts';
import { errorInterceptor, loggingInterceptor, metricsInterceptor } from './interceptors.ts';
import { addReflection } from './reflection-service.ts';

export interface ServerTlsOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** When set, clients must present a certificate signed by this CA. */
  readonly clientCa?: Buffer;
}

export interface GrpcServerOptions {
  readonly host: string;
  readonly port: number;
  readonly services: readonly ServiceBinding[];
  /** Descriptor set (buf build output) covering `services` and grpc.health.v1, for server reflection. */
  readonly descriptorSet?: URL | Buffer;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly maxMessageBytes: number;
  readonly tls?: ServerTlsOptions;
}

export interface GrpcServer extends AsyncDisposable {
  readonly port: number;
  /** Names served, including grpc.health.v1.Health and the reflection services. */
  readonly serviceNames: readonly string[];
  /** Stops accepting calls, lets in-flight ones finish for up to `timeoutMs`, then cancels the rest. */
  close(timeoutMs?: number): Promise<void>;
}

const healthService = 'grpc.health.v1.Health';

async function descriptorIndex(descriptorSet: URL | Buffer | undefined): Promise<DescriptorIndex> {
  if (descriptorSet === undefined) return { files: new Map(), fileBySymbol: new Map() };
  return indexDescriptorSet(Buffer.isBuffer(descriptorSet) ? descriptorSet : await readFile(descriptorSet));
}

/**
 * Starts a gRPC server with Capstan's single interceptor chain (logging → metrics → error mapping),
 * grpc.health.v1 and server reflection. Health reports SERVING for '' and each service once bound.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const logger = options.logger.child({ component: 'grpc' });
  const shutdown = new AbortController();
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': options.maxMessageBytes,
  });
  const interceptors = [
    loggingInterceptor(logger),
    metricsInterceptor(options.metrics),
    errorInterceptor(logger),
  ];
  for (const binding of options.services) {
    const impl = adaptService(binding, { interceptors, logger, shutdown: shutdown.signal });
    server.addService(binding.definition as unknown as ServiceDefinition, impl);
  }

  const names = options.services.map((s) => s.name);
  const health = new HealthImplementation(Object.fromEntries(['', ...names].map((n) => [n, 'NOT_SERVING'])));
  health.addToServer(server);
  addReflection(server, await descriptorIndex(options.descriptorSet), [...names, healthService]);

  const credentials =
    options.tls === undefined
      ? ServerCredentials.createInsecure()
      : ServerCredentials.createSsl(
          options.tls.clientCa ?? null,
          [{ cert_chain: options.tls.cert, private_key: options.tls.key }],
          options.tls.clientCa !== undefined,
        );
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, credentials, (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  for (const n of ['', ...names]) health.setStatus(n, 'SERVING');

  let closing: Promise<void> | undefined;
  const close = (timeoutMs = 4000): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const n of ['', ...names]) health.setStatus(n, 'NOT_SERVING');
      shutdown.abort(new Error('server shutting down'));
      const force = setTimeout(() => {
        logger.warn('drain timed out; cancelling in-flight calls', { timeoutMs });
        server.forceShutdown();
        resolve();
      }, timeoutMs);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    return closing;
  };
  return {
    port,
    serviceNames: [
      ...names,
      healthService,
      'grpc.reflection.v1.ServerReflection',
      'grpc.reflection.v1alpha.ServerReflection',
    ],
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}
