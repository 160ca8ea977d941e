import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { CapstanError } from '@capstan/errors';

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Raw HTTP to one API server with the KubeConfig's credentials. Lists and watches are read as JSON text
 * (never through client-node's typed models, which drop unknown fields), and over a keep-alive agent so
 * that paging a list and re-opening watches reuse connections instead of paying a TLS handshake each.
 */
export class KubeTransport {
  readonly #kc: KubeConfig;
  readonly #server: URL;
  #agent: HttpsAgent | HttpAgent | undefined;

  constructor(kc: KubeConfig) {
    this.#kc = kc;
    this.#server = new URL(kc.getCurrentCluster()?.server ?? 'https://localhost');
  }

  /** Credentials are applied per request (exec/token plugins refresh); the TLS agent is built once. */
  async #options(): Promise<RequestOptions> {
    const opts: RequestOptions = {};
    await this.#kc.applyToHTTPSOptions(opts);
    if (this.#agent === undefined) {
      this.#agent =
        this.#server.protocol === 'http:'
          ? new HttpAgent({ keepAlive: true })
          : new HttpsAgent({
              keepAlive: true,
              ...(opts.ca === undefined ? {} : { ca: opts.ca }),
              ...(opts.cert === undefined ? {} : { cert: opts.cert }),
              ...(opts.key === undefined ? {} : { key: opts.key }),
              ...(opts.pfx === undefined ? {} : { pfx: opts.pfx }),
              ...(opts.passphrase === undefined ? {} : { passphrase: opts.passphrase }),
              ...(opts.rejectUnauthorized === undefined
                ? {}
                : { rejectUnauthorized: opts.rejectUnauthorized }),
              ...(opts.servername === undefined ? {} : { servername: opts.servername }),
            });
    }
    return { ...opts, agent: this.#agent };
  }

  async #open(
    path: string,
    signal: AbortSignal | undefined,
    idleTimeoutMs: number,
  ): Promise<{ res: IncomingMessage; abort: () => void }> {
    const opts = await this.#options();
    const url = new URL(path, this.#server);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(new CapstanError('Aborted', `GET ${path}: stopped`));
        return;
      }
      const req = send(
        url,
        {
          ...opts,
          method: 'GET',
          timeout: idleTimeoutMs,
          headers: { ...(opts.headers as Record<string, string> | undefined), accept: 'application/json' },
        },
        (res) => resolve({ res, abort: () => req.destroy() }),
      );
      const onAbort = (): void => {
        req.destroy(new CapstanError('Aborted', `GET ${path}: stopped`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => signal?.removeEventListener('abort', onAbort));
      req.on('timeout', () => req.destroy(new Error(`no data for ${idleTimeoutMs} ms`)));
      req.on('error', (err) =>
        reject(
          err instanceof CapstanError
            ? err
            : new CapstanError('Unavailable', `GET ${url.origin}${path}: ${err.message}`, { cause: err }),
        ),
      );
      req.end();
    });
  }

  /** GETs a path and returns status and body text; transport failures reject as Unavailable. */
  async get(path: string, signal?: AbortSignal, timeoutMs = 60_000): Promise<KubeResponse> {
    const { res } = await this.#open(path, signal, timeoutMs);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', (err) =>
        reject(new CapstanError('Unavailable', `GET ${path}: ${err.message}`, { cause: err })),
      );
      res.on('aborted', () => reject(new CapstanError('Unavailable', `GET ${path}: connection lost`)));
    });
  }

  /**
   * Opens a watch and feeds each newline-delimited event to `onLine` until the server ends the stream,
   * the signal aborts, or the connection stays silent for `idleTimeoutMs`. A non-200 answer is returned
   * with its body (a Status object) instead of being streamed. Resolves with how the stream ended.
   */
  async stream(
    path: string,
    signal: AbortSignal | undefined,
    idleTimeoutMs: number,
    onLine: (line: string) => void,
  ): Promise<KubeResponse> {
    const { res } = await this.#open(path, signal, idleTimeoutMs);
    const status = res.statusCode ?? 0;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (status !== 200) {
          chunks.push(Buffer.from(chunk));
          return;
        }
        pending += chunk;
        let nl = pending.indexOf('\n');
        while (nl >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line !== '') onLine(line);
          nl = pending.indexOf('\n');
        }
      });
      const done = (): void => {
        if (status === 200 && pending.trim() !== '') onLine(pending.trim());
        resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
      };
      res.on('end', done);
      res.on('close', () => {
        if (signal?.aborted === true) resolve({ status, body: '' });
        else if (!res.complete) reject(new CapstanError('Unavailable', `watch ${path}: connection lost`));
        else done();
      });
      res.on('error', (err) =>
        signal?.aborted === true
          ? resolve({ status, body: '' })
          : reject(new CapstanError('Unavailable', `watch ${path}: ${err.message}`, { cause: err })),
      );
    });
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.#agent?.destroy();
    this.#agent = undefined;
  }
}
