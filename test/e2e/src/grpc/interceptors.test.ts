import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapstanError, NotFoundError, PermissionDeniedError, UnavailableError } from '@capstan/errors';
import type { application } from '@capstan/proto';
import { createApiClient, descriptorSetPath, serviceCatalog, type ApiClient } from '@capstan/proto';
import {
  createLogger,
  createMetrics,
  startGrpcServer,
  unimplementedService,
  type CallContext,
  type GrpcServer,
  type Metrics,
} from '@capstan/runtime';

const logs: string[] = [];
let server: GrpcServer;
let metrics: Metrics;
let client: ApiClient;
let listCalls = 0;
let deadlineSeenByServer = false;

beforeAll(async () => {
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const logger = createLogger({ level: 'debug', destination: sink });
  metrics = createMetrics();
  const { name, definition } = serviceCatalog.application;
  const base = unimplementedService(name, definition);
  const app = (n: string): Record<string, unknown> => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: n },
  });
  const binding = {
    ...base,
    implementation: {
      ...base.implementation,
      get: async (req: { name?: string }) => {
        if (req.name === 'missing') throw new NotFoundError('application "missing" not found');
        if (req.name === 'boom') throw new Error('git clone https://user:s3cret@git.example/repo failed');
        return app(req.name ?? '');
      },
      list: async () => {
        listCalls += 1;
        if (listCalls < 3) throw new UnavailableError('warming up');
        return { metadata: { resourceVersion: '7' }, items: [app('a'), app('b')] };
      },
      getResource: async (_req: unknown, ctx: CallContext) => {
        await new Promise<void>((resolve) =>
          ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        deadlineSeenByServer = true;
        return { manifest: '' };
      },
      watch: async function* (req: { name?: string }) {
        yield { type: 'ADDED', application: app('a') };
        if (req.name === 'forbidden')
          throw new PermissionDeniedError('permission denied: applications, get, default/secret');
        yield { type: 'MODIFIED', application: app('a') };
        yield { type: 'DELETED', application: app('a') };
      },
      getManifestsWithFiles: async (
        requests: AsyncIterable<{ query?: unknown; chunk?: { chunk: Buffer } }>,
      ) => {
        let bytes = 0;
        let sawQuery = false;
        for await (const r of requests) {
          if (r.query !== undefined) sawQuery = true;
          bytes += r.chunk?.chunk.length ?? 0;
        }
        return { manifests: [JSON.stringify({ sawQuery, bytes })] };
      },
    },
  };
  server = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    services: [binding],
    descriptorSet: descriptorSetPath,
    logger,
    metrics,
    maxMessageBytes: 4 * 1024 * 1024,
  });
  client = createApiClient({ address: `127.0.0.1:${server.port}`, timeoutMs: 5000 });
});

afterAll(async () => {
  client?.close();
  await server?.close(1000);
});

describe('the gRPC interceptor chain', () => {
  it('maps domain errors to their status and keeps their message', async () => {
    const err = await client.application.get({ name: 'missing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CapstanError);
    expect(err).toMatchObject({ code: 'NotFound', message: 'application "missing" not found' });
  });

  it('turns unexpected exceptions into INTERNAL without leaking their text, and logs them server-side', async () => {
    const err = (await client.application.get({ name: 'boom' }).catch((e: unknown) => e)) as CapstanError;
    expect(err.code).toBe('Internal');
    expect(err.message).toBe('internal error');
    const logged = logs.filter((l) => l.includes('unhandled exception in grpc handler'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('ApplicationService/Get');
  });

  it('answers unary calls, and records each outcome in grpc_server_handled_total', async () => {
    const res = await client.application.get({ name: 'guestbook' });
    expect(res).toMatchObject({ metadata: { name: 'guestbook' } });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /grpc_server_handled_total\{grpc_service="capstan.application.v1.ApplicationService",grpc_method="Get",grpc_type="unary",grpc_code="NotFound"\} 1/,
    );
    expect(text).toMatch(/grpc_method="Get",grpc_type="unary",grpc_code="OK"\} 1/);
    expect(text).toMatch(/grpc_method="Get",grpc_type="unary",grpc_code="Internal"\} 1/);
  });

  it('retries idempotent reads on UNAVAILABLE through the client module', async () => {
    const res = await client.application.list({});
    expect(res.items).toHaveLength(2);
    expect(listCalls).toBe(3);
  });

  it('streams server responses and ends a stream with the handler’s domain error', async () => {
    const seen: string[] = [];
    for await (const e of client.application.watch({ name: '' })) seen.push(e.type ?? '');
    expect(seen).toEqual(['ADDED', 'MODIFIED', 'DELETED']);

    const partial: string[] = [];
    const err = await (async () => {
      for await (const e of client.application.watch({ name: 'forbidden' })) partial.push(e.type ?? '');
    })().catch((e: unknown) => e);
    expect(partial).toEqual(['ADDED']);
    expect(err).toMatchObject({ code: 'PermissionDenied' });
  });

  it('receives client streams', async () => {
    const chunks = function* (): Generator<application.ApplicationManifestQueryWithFilesWrapper> {
      yield { query: { name: 'x' } };
      for (let i = 0; i < 4; i++) yield { chunk: { chunk: Buffer.alloc(1000, i) } };
    };
    const res = await client.application.getManifestsWithFiles(chunks());
    expect(JSON.parse(res.manifests?.[0] ?? '')).toEqual({ sawQuery: true, bytes: 4000 });
  });

  it('enforces the client deadline and tells the handler through its abort signal', async () => {
    const err = await client.application.getResource({}, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DeadlineExceeded' });
    await new Promise((r) => setTimeout(r, 100));
    expect(deadlineSeenByServer).toBe(true);
  });

  it('answers UNIMPLEMENTED, naming the method, for contracts not built yet', async () => {
    const err = await client.application.delete({ name: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'Unimplemented',
      message: 'capstan.application.v1.ApplicationService/Delete is not implemented yet',
    });
  });
});
