import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { AdaptiveRateLimiter } from './adaptive-rate-limiter.ts';

/** One HTTP exchange, as the `argocd_app_k8s_request_total` counter labels it. */
export interface KubeRequestInfo {
  readonly server: string;
  /** Kubernetes verb: Get, List, Watch, Create, Update, Patch, Delete. */
  readonly verb: string;
  readonly resourceKind: string;
  /** HTTP status; 0 when no response came (connection refused, timeout). */
  readonly status: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface KubeTransportOptions {
  /** The cluster's URL as the metrics label it. @default the KubeConfig's current server */
  readonly server?: string;
  /** Sustained requests per second towards this cluster. @default 50 */
  readonly qps?: number;
  /** Requests allowed at once. @default 100 */
  readonly burst?: number;
  /** Called once per HTTP request sent, retries included. */
  readonly onRequest?: (r: KubeRequestInfo) => void;
  readonly clock?: Clock;
}

export interface KubeRequestOptions {
  readonly query?: URLSearchParams | string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** @default 'application/json' when there is a body */
  readonly contentType?: string;
  /** Socket inactivity timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** For metrics. @default 'unknown' */
  readonly resourceKind?: string;
  /** For metrics; derived from the method when absent (a GET is a Get). */
  readonly verb?: string;
  readonly signal?: AbortSignal;
}

export interface KubeStreamOptions extends Omit<KubeRequestOptions, 'body' | 'contentType'> {
  /** Each newline-terminated line of a 200 response, as it arrives. */
  readonly onLine: (line: string) => void;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

/** Retries after a 429 before the 429 is handed to the caller. */
const maxRetries = 3;
/** A Retry-After longer than this is cut short: the caller's own timeouts should decide past it. */
const maxRetryAfterMs = 30_000;

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * client-node hands out one https.Agent per cluster and user, but without keep-alive: every request would
 * open (and the API server accept) a fresh TLS connection, a handshake each time, which was most of the
 * controller's CPU with many apps. Each of its agents gets a keep-alive twin with the same TLS options.
 */
const keepAliveAgents = new WeakMap<object, HttpAgent>();

function keepAliveAgent(agent: unknown): unknown {
  // Proxy agents (and anything else) are left as they are.
  if (!(agent instanceof HttpAgent) || (agent as { keepAlive?: boolean }).keepAlive === true) return agent;
  let twin = keepAliveAgents.get(agent);
  if (twin === undefined) {
    const options = {
      ...(agent as unknown as { options: Record<string, unknown> }).options,
      keepAlive: true,
      // Idle sockets close well before the API server's idle timeout (90 s), so a request rarely meets a
      // socket the server is closing; requests set their own timeout.
      timeout: 30_000,
    };
    twin = agent instanceof HttpsAgent ? new HttpsAgent(options) : new HttpAgent(options);
    keepAliveAgents.set(agent, twin);
  }
  return twin;
}

/** The request failed on a reused keep-alive socket before any answer (see #exchange). */
class StaleSocketError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
  }
}

const verbs: Readonly<Record<string, string>> = {
  GET: 'Get',
  POST: 'Create',
  PUT: 'Update',
  PATCH: 'Patch',
  DELETE: 'Delete',
};

/** Retry-After is either seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The one way Capstan talks HTTP to a cluster: every request waits its turn in an adaptive rate limiter
 * (so a controller with thousands of apps cannot flood an API server, and backs off when the server
 * says 429) and is reported to `onRequest`, which feeds the request metrics. One per cluster.
 */
export class KubeTransport {
  readonly #kc: KubeConfig;
  readonly #base: string;
  readonly #server: string;
  readonly #limiter: AdaptiveRateLimiter;
  readonly #clock: Clock;
  readonly #onRequest: ((r: KubeRequestInfo) => void) | undefined;
  #requests = 0;

  constructor(kc: KubeConfig, opts: KubeTransportOptions = {}) {
    this.#kc = kc;
    // Servers behind a proxy carry a path prefix (https://proxy/k8s/clusters/x): request paths go after it.
    this.#base = (kc.getCurrentCluster()?.server ?? 'https://localhost').replace(/\/+$/, '');
    this.#server = opts.server ?? this.#base;
    this.#limiter = new AdaptiveRateLimiter({
      ...(opts.qps === undefined ? {} : { qps: opts.qps }),
      ...(opts.burst === undefined ? {} : { burst: opts.burst }),
    });
    this.#clock = opts.clock ?? realClock;
    this.#onRequest = opts.onRequest;
  }

  /** The server label of this transport's metrics. */
  get server(): string {
    return this.#server;
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.#requests;
  }

  /** The limiter's current rate (qps): lower than configured after the server throttled us. */
  get rate(): number {
    return this.#limiter.rate;
  }

  /** Sends one request (retrying it after 429s) and buffers the whole answer. */
  request(method: string, path: string, opts: KubeRequestOptions = {}): Promise<KubeResponse> {
    return this.#exchange(method, path, opts, undefined);
  }

  /**
   * A long-running GET (a watch): lines of a 200 answer go to `onLine` as they arrive, and the promise
   * settles when the server ends the response. Any other status resolves with its buffered body.
   */
  stream(path: string, opts: KubeStreamOptions): Promise<KubeResponse> {
    return this.#exchange('GET', path, { verb: 'Watch', ...opts }, opts.onLine);
  }

  async #exchange(
    method: string,
    path: string,
    opts: KubeRequestOptions,
    onLine: ((line: string) => void) | undefined,
  ): Promise<KubeResponse> {
    for (let attempt = 0; ; attempt++) {
      const wait = this.#limiter.reserve(this.#clock.now());
      if (wait > 0) await this.#clock.sleep(wait);
      opts.signal?.throwIfAborted();
      // Reported when the answer's status arrives, not when its body ends: a watch runs for minutes.
      let reported = false;
      const report = (status: number): void => {
        if (reported) return;
        reported = true;
        this.#report(method, opts, status);
      };
      let res: KubeResponse;
      try {
        res = await this.#send(method, path, opts, { onLine, onStatus: report });
      } catch (err) {
        // A kept-alive socket the server closed just as it was reused: nothing reached the server, so
        // the request is sent again on a fresh connection (once per attempt).
        if (err instanceof StaleSocketError && attempt < maxRetries) continue;
        report(0);
        throw err instanceof StaleSocketError ? (err.cause as Error) : err;
      }
      const now = this.#clock.now();
      if (res.status !== 429) {
        this.#limiter.succeeded(now);
        return res;
      }
      const retryAfter = parseRetryAfter(res.headers['retry-after'], now);
      this.#limiter.throttled(now, Math.min(maxRetryAfterMs, retryAfter ?? 500 * 2 ** attempt));
      if (attempt >= maxRetries) return res;
    }
  }

  #report(method: string, opts: KubeRequestOptions, status: number): void {
    this.#requests++;
    this.#onRequest?.({
      server: this.#server,
      verb: opts.verb ?? verbs[method.toUpperCase()] ?? method,
      resourceKind: opts.resourceKind ?? 'unknown',
      status,
    });
  }

  async #send(
    method: string,
    path: string,
    opts: KubeRequestOptions,
    on: { onLine: ((line: string) => void) | undefined; onStatus: (status: number) => void },
  ): Promise<KubeResponse> {
    const { onLine, onStatus } = on;
    const https: RequestOptions = {};
    await this.#kc.applyToHTTPSOptions(https);
    if (https.agent !== undefined) https.agent = keepAliveAgent(https.agent) as HttpAgent;
    const query = opts.query === undefined ? '' : opts.query.toString();
    const url = new URL(`${this.#base}${path}${query === '' ? '' : `?${query}`}`);
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<KubeResponse>((resolve, reject) => {
      let answered = false;
      const req = send(
        url,
        {
          ...https,
          method,
          timeout: opts.timeoutMs ?? 30_000,
          ...(opts.signal === undefined ? {} : { signal: opts.signal }),
          headers: {
            ...(https.headers as Record<string, string> | undefined),
            accept: 'application/json',
            // An explicit length: Node sends a DELETE's body with neither length nor chunking otherwise,
            // and the API server then never sees the DeleteOptions (dryRun, propagationPolicy).
            ...(payload === undefined
              ? {}
              : {
                  'content-type': opts.contentType ?? 'application/json',
                  'content-length': String(Buffer.byteLength(payload)),
                }),
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          answered = true;
          onStatus(status);
          const chunks: Buffer[] = [];
          let pending = '';
          let failed = false;
          const streaming = onLine !== undefined && status === 200;
          res.on('data', (c: Buffer) => {
            if (!streaming) {
              chunks.push(c);
              return;
            }
            if (failed) return;
            pending += c.toString('utf8');
            let nl: number;
            while ((nl = pending.indexOf('\n')) >= 0) {
              const line = pending.slice(0, nl);
              pending = pending.slice(nl + 1);
              if (line.trim() === '') continue;
              try {
                onLine(line);
              } catch (err) {
                // Settle with the handler's error before tearing down, so it is what the caller sees.
                const error = err instanceof Error ? err : new Error(String(err));
                failed = true;
                reject(error);
                req.destroy(error);
                return;
              }
            }
          });
          res.on('end', () => {
            if (streaming && !failed && pending.trim() !== '') {
              try {
                onLine(pending);
              } catch (err) {
                reject(err instanceof Error ? err : new Error(String(err)));
                return;
              }
            }
            resolve({ status, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers });
          });
          res.on('error', reject);
          // A connection cut mid-answer (the server went away during a watch) ends with neither.
          res.on('close', () => {
            if (!res.complete) reject(new Error(`${method} ${path}: connection closed mid-response`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        const stale = req.reusedSocket && !answered && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        reject(stale ? new StaleSocketError(err) : err);
      });
      req.end(payload);
    });
  }
}
