// KubeTransport against a plain HTTP server on loopback that answers what each test scripts (429s, a
// stream of lines): the rate limiter's reaction to a real server's throttling, over real sockets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeTransport, type Clock, type KubeRequestInfo } from '@capstan/kube';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let handler: Handler;
let seen: { method: string; url: string; body: string; auth: string | undefined }[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString(),
        auth: req.headers.authorization,
      });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

function kubeConfig(path = ''): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'loopback',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'loopback', cluster: 'loopback', user: 'u' }],
    currentContext: 'loopback',
  });
  return kc;
}

/** A clock that records the sleeps asked of it and returns at once, advancing its own time. */
function recordingClock(): Clock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** Answers 429 (with the given Retry-After) `n` times, then 200 with `{"ok":true}`. */
function throttleThenServe(n: number, retryAfter?: string): Handler {
  let left = n;
  return (_req, res) => {
    if (left-- > 0) {
      res.writeHead(429, retryAfter === undefined ? {} : { 'retry-after': retryAfter });
      res.end('{"kind":"Status","code":429}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  };
}

describe('KubeTransport against a loopback HTTP server', () => {
  it('sends the path, query, body and credentials, and counts the request', async () => {
    handler = throttleThenServe(0);
    const calls: KubeRequestInfo[] = [];
    // A server URL with a path prefix (a proxy's): requests go below it.
    const transport = new KubeTransport(kubeConfig('/proxy/c1/'), {
      server: 'https://c1.example',
      onRequest: (r) => calls.push(r),
    });
    const res = await transport.request('POST', '/api/v1/namespaces/a/configmaps', {
      query: new URLSearchParams({ dryRun: 'All' }),
      body: { kind: 'ConfigMap' },
      resourceKind: 'ConfigMap',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/proxy/c1/api/v1/namespaces/a/configmaps?dryRun=All',
        body: '{"kind":"ConfigMap"}',
        auth: 'Bearer secret-token',
      },
    ]);
    expect(calls).toEqual([
      { server: 'https://c1.example', verb: 'Create', resourceKind: 'ConfigMap', status: 200 },
    ]);
    expect(transport.requestCount).toBe(1);
    // A DELETE's body (DeleteOptions: dryRun, propagationPolicy) reaches the server too.
    await transport.request('DELETE', '/api/v1/namespaces/a/configmaps/c', { body: { dryRun: ['All'] } });
    expect(seen[1]).toMatchObject({ method: 'DELETE', body: '{"dryRun":["All"]}' });
    expect(calls[1]?.verb).toBe('Delete');
  });

  it('on 429 halves its rate, waits out Retry-After, retries, and then recovers slowly', async () => {
    handler = throttleThenServe(2, '1');
    const clock = recordingClock();
    const statuses: number[] = [];
    const transport = new KubeTransport(kubeConfig(), {
      qps: 40,
      burst: 40,
      clock,
      onRequest: (r) => statuses.push(r.status),
    });
    const res = await transport.request('GET', '/api/v1/pods');
    expect(res.status).toBe(200);
    expect(statuses).toEqual([429, 429, 200]);
    expect(seen).toHaveLength(3);
    expect(transport.requestCount).toBe(3);
    // Each retry waited the server's one second (plus a token at the lowered rate).
    expect(clock.sleeps).toHaveLength(2);
    for (const ms of clock.sleeps) expect(ms).toBeGreaterThanOrEqual(1_000);
    // 40 → 20 → 10, then one success adds back a fiftieth of 40.
    expect(transport.rate).toBeCloseTo(10.8);
    for (let i = 0; i < 5; i++) expect((await transport.request('GET', '/version')).status).toBe(200);
    expect(transport.rate).toBeCloseTo(14.8);
  });

  it('honours Retry-After in real time', async () => {
    handler = throttleThenServe(1, '1');
    const transport = new KubeTransport(kubeConfig());
    const started = Date.now();
    expect((await transport.request('GET', '/version')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(transport.rate).toBeLessThan(50);
  });

  it('hands back the 429 after three retries', async () => {
    handler = throttleThenServe(100);
    const clock = recordingClock();
    const transport = new KubeTransport(kubeConfig(), { clock });
    const res = await transport.request('GET', '/version');
    expect(res.status).toBe(429);
    expect(seen).toHaveLength(4);
    expect(transport.rate).toBeCloseTo(50 / 16);
    // Without Retry-After it backs off on its own: 0.5 s, 1 s, 2 s.
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(3);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[2]).toBeGreaterThanOrEqual(2_000);
  });

  it('spaces requests beyond the burst at the configured rate', async () => {
    handler = throttleThenServe(0);
    const clock = recordingClock();
    const transport = new KubeTransport(kubeConfig(), { qps: 5, burst: 2, clock });
    for (let i = 0; i < 4; i++) await transport.request('GET', '/version');
    expect(seen).toHaveLength(4);
    // Two from the burst; the 3rd and 4th each wait for a token at 5 qps.
    expect(clock.sleeps).toEqual([200, 200]);
  });

  it('streams a watch line by line, and reports a connection that fails', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED","n":1}\n{"type":"MOD');
      setTimeout(() => res.end('IFIED","n":2}\n'), 50);
    };
    const lines: string[] = [];
    const verbs: string[] = [];
    const transport = new KubeTransport(kubeConfig(), { onRequest: (r) => verbs.push(r.verb) });
    const res = await transport.stream('/api/v1/secrets', { query: 'watch=1', onLine: (l) => lines.push(l) });
    expect(res.status).toBe(200);
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['ADDED', 'MODIFIED']);
    expect(verbs).toEqual(['Watch']);

    const refused = new KubeConfig();
    refused.loadFromOptions({
      clusters: [{ name: 'x', server: 'http://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'x', user: 'u' }],
      currentContext: 'x',
    });
    const statuses: number[] = [];
    const down = new KubeTransport(refused, { onRequest: (r) => statuses.push(r.status) });
    await expect(down.request('GET', '/version')).rejects.toThrow(/ECONNREFUSED/);
    expect(statuses).toEqual([0]);
  });
});
