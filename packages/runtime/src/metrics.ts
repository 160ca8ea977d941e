import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** A Prometheus registry with process metrics and the gRPC server metrics every service exports. */
export interface Metrics {
  readonly registry: Registry;
  readonly grpcHandled: Counter<'grpc_service' | 'grpc_method' | 'grpc_type' | 'grpc_code'>;
  readonly grpcHandlingSeconds: Histogram<'grpc_service' | 'grpc_method' | 'grpc_type'>;
}

export function createMetrics(defaultLabels: Readonly<Record<string, string>> = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ ...defaultLabels });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    // Names follow go-grpc-prometheus, which Argo CD exports, so existing dashboards keep working.
    grpcHandled: new Counter({
      name: 'grpc_server_handled_total',
      help: 'Total number of RPCs completed on the server, regardless of success or failure.',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type', 'grpc_code'],
      registers: [registry],
    }),
    grpcHandlingSeconds: new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'Histogram of response latency of RPCs handled by the server.',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type'],
      buckets: [0.001, 0.0025, 0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30, 120],
      registers: [registry],
    }),
  };
}

/** A named readiness check for /healthz; it resolves when healthy and rejects with the reason otherwise. */
export type HealthCheck = () => Promise<void>;

export interface MetricsServer extends AsyncDisposable {
  readonly port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: Metrics;
  readonly checks?: Readonly<Record<string, HealthCheck>>;
  /** @default 2000 */
  readonly checkTimeoutMs?: number;
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Serves GET /metrics (Prometheus text) and GET /healthz (200 "ok" or 503 naming the failing checks). */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const checks = Object.entries(options.checks ?? {});
  const timeoutMs = options.checkTimeoutMs ?? 2000;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      options.metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(body),
        () => res.writeHead(500).end('metrics unavailable\n'),
      );
      return;
    }
    if (path === '/healthz') {
      void Promise.allSettled(checks.map(([, check]) => withTimeout(check(), timeoutMs))).then((results) => {
        const failed = results.flatMap((r, i) =>
          r.status === 'rejected' ? [`${checks[i]?.[0]}: ${(r.reason as Error).message}`] : [],
        );
        if (failed.length === 0) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        else res.writeHead(503, { 'content-type': 'text/plain' }).end(`${failed.join('\n')}\n`);
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { port: (server.address() as AddressInfo).port, close, [Symbol.asyncDispose]: close };
}
