import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, serviceCatalog } from '@capstan/proto';
import {
  bindService,
  createMetrics,
  silentLogger,
  startGrpcServer,
  unimplementedService,
  type CallContext,
} from '@capstan/runtime';

const run = promisify(execFile);
let dir: string;
let pki: { ca: Buffer; cert: Buffer; key: Buffer };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capstan-tls-'));
  const p = (f: string): string => join(dir, f);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=capstan-api',
    '-keyout',
    p('srv.key'),
    '-out',
    p('srv.csr'),
  ]);
  await writeFile(p('ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('srv.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-out',
    p('srv.crt'),
    '-extfile',
    p('ext'),
  ]);
  pki = {
    ca: await readFile(p('ca.crt')),
    cert: await readFile(p('srv.crt')),
    key: await readFile(p('srv.key')),
  };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const version = bindService(serviceCatalog.version.name, serviceCatalog.version.definition, {
  version: async () => ({ version: '9.9.9' }),
});

describe('gRPC transport', () => {
  it('serves TLS when configured; clients with the CA connect, plaintext clients cannot', async () => {
    await using server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      services: [version],
      logger: silentLogger,
      metrics: createMetrics(),
      maxMessageBytes: 1 << 22,
      tls: { cert: pki.cert, key: pki.key },
    });
    const secure = createApiClient({
      address: `127.0.0.1:${server.port}`,
      tls: { ca: pki.ca },
      timeoutMs: 5000,
    });
    const plain = createApiClient({ address: `127.0.0.1:${server.port}`, timeoutMs: 2000, attempts: 1 });
    try {
      expect((await secure.version.version({})).version).toBe('9.9.9');
      await expect(plain.version.version({})).rejects.toMatchObject({ code: 'Unavailable' });
    } finally {
      secure.close();
      plain.close();
    }
  });

  it('drains in-flight calls on close and ends long-running handlers through their abort signal', async () => {
    const base = unimplementedService(serviceCatalog.application.name, serviceCatalog.application.definition);
    let finishedCleanly = false;
    const server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      services: [
        {
          ...base,
          implementation: {
            ...base.implementation,
            // A long call that ends when the server shuts down: it must get an answer, not a reset.
            get: async (_req: unknown, ctx: CallContext) => {
              await new Promise<void>((resolve) =>
                ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
              );
              finishedCleanly = true;
              return { metadata: { name: 'drained' } };
            },
          },
        },
      ],
      logger: silentLogger,
      metrics: createMetrics(),
      maxMessageBytes: 1 << 22,
    });
    const client = createApiClient({ address: `127.0.0.1:${server.port}`, timeoutMs: 10_000 });
    try {
      const inFlight = client.application.get({ name: 'x' });
      await new Promise((r) => setTimeout(r, 200));
      const t0 = Date.now();
      await server.close(3000);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(await inFlight).toMatchObject({ metadata: { name: 'drained' } });
      expect(finishedCleanly).toBe(true);
      const late = (await client.application
        .get({ name: 'late' }, { timeoutMs: 1000 })
        .catch((e: unknown) => e)) as { code?: string };
      expect(['Unavailable', 'DeadlineExceeded']).toContain(late.code);
    } finally {
      client.close();
    }
  });
});
