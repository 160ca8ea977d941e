import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { Readable } from 'node:stream';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { createGunzip } from 'node:zlib';
import {
  DeadlineExceededError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
  isCapstanError,
  type CapstanError,
} from '@capstan/errors';
import type { HelmRepoCredentials } from './helm-repo-types.ts';
import { displayUrl } from './repo-url.ts';

export interface HttpGetOptions {
  readonly url: URL;
  readonly credentials: HelmRepoCredentials;
  /**
   * The only origin that receives the username/password and the client certificate: the repository's.
   * A chart URL or a redirect to any other origin is fetched without them (Helm's `--pass-credentials`
   * off). CA data and `insecure` are trust settings, not secrets, and apply to every origin.
   */
  readonly credentialOrigin: string;
  /** Deadline of the whole exchange: redirects, headers and body. */
  readonly timeoutMs: number;
  /** Largest body accepted, counted after gzip decoding when `decodeGzip` is set. */
  readonly maxBytes: number;
  /** Ask for and decode a gzip body (index.yaml); archives are fetched byte for byte. */
  readonly decodeGzip: boolean;
  /** What is fetched, for messages: 'index.yaml of https://…', 'chart nginx-1.2.3 from https://…'. */
  readonly subject: string;
  /** The message of the NotFoundError a 404 or 410 becomes. */
  readonly notFoundMessage: string;
  /** Receives the body chunk by chunk; awaited, so it may write to disk. */
  readonly onChunk: (chunk: Buffer) => void | Promise<void>;
}

const maxRedirects = 10;
const userAgent = 'capstan-repo-server (helm repository client)';

class SetupError extends Error {}

/** The certificates of a PEM bundle; throws when there is none, as Node would silently trust nothing. */
function pemCertificates(bundle: string): string[] {
  const blocks = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no PEM certificate in caData');
  for (const block of blocks) new X509Certificate(block);
  return blocks;
}

function tlsOptions(url: URL, options: HttpGetOptions, trusted: boolean): RequestOptions {
  if (url.protocol !== 'https:') return {};
  const c = options.credentials;
  const clientCert =
    trusted &&
    c.tlsClientCertData !== undefined &&
    c.tlsClientCertData !== '' &&
    c.tlsClientCertKey !== undefined
      ? { cert: c.tlsClientCertData, key: c.tlsClientCertKey }
      : {};
  return {
    rejectUnauthorized: c.insecure !== true,
    ...(c.caData === undefined || c.caData === ''
      ? {}
      : { ca: [...rootCertificates, ...pemCertificates(c.caData)] }),
    ...clientCert,
  };
}

function requestOptions(url: URL, options: HttpGetOptions, signal: AbortSignal): RequestOptions {
  const trusted = url.origin === options.credentialOrigin;
  const { username = '', password = '' } = options.credentials;
  const headers: Record<string, string> = {
    'user-agent': userAgent,
    accept: '*/*',
    'accept-encoding': options.decodeGzip ? 'gzip' : 'identity',
  };
  if (trusted && (username !== '' || password !== '')) {
    headers['authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return {
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: `${url.pathname}${url.search}`,
    headers,
    signal,
    ...tlsOptions(url, options, trusted),
  };
}

function send(url: URL, options: HttpGetOptions, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    try {
      const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = make(requestOptions(url, options, signal), (res) => {
        // Errors while reading surface through the body iterator; this keeps one arriving after we
        // stopped reading (a redirect or error body left behind) from becoming an uncaught exception.
        res.on('error', () => undefined);
        resolve(res);
      });
      req.on('error', reject);
      req.end();
    } catch (err) {
      // Thrown while building the request: the TLS material (CA, client certificate) does not load.
      reject(new SetupError('request setup failed', { cause: err }));
    }
  });
}

function statusError(status: number, url: URL, options: HttpGetOptions): CapstanError {
  const details = { url: displayUrl(url), status };
  const { username = '', password = '' } = options.credentials;
  const sentCredentials = url.origin === options.credentialOrigin && (username !== '' || password !== '');
  switch (status) {
    case 401:
      return new UnauthenticatedError(
        `${options.subject}: ${displayUrl(url)} refused ${sentCredentials ? 'the credentials' : 'anonymous access'} (HTTP 401)`,
        { details },
      );
    case 403:
      return new PermissionDeniedError(`${options.subject}: ${displayUrl(url)} denied access (HTTP 403)`, {
        details,
      });
    case 404:
    case 410:
      return new NotFoundError(options.notFoundMessage, { details });
    default:
      return new UnavailableError(`${options.subject}: ${displayUrl(url)} answered HTTP ${status}`, {
        details,
      });
  }
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** A failure below HTTP, described by its code only: error texts may carry more than we want to show. */
function transportError(err: unknown, url: URL, options: HttpGetOptions): CapstanError {
  const where = url.origin;
  if (err instanceof SetupError) {
    return new InvalidArgumentError(
      `${options.subject}: the TLS settings (caData, tlsClientCertData, tlsClientCertKey) do not load` +
        (errorCode(err.cause) === '' ? '' : ` (${errorCode(err.cause)})`),
      { cause: err.cause },
    );
  }
  const code = errorCode(err);
  const details = { url: displayUrl(url), code };
  let what: string;
  if (code === 'ECONNREFUSED') what = `connection refused by ${where}`;
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') what = `cannot resolve host ${url.hostname}`;
  else if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_|EPROTO|HANDSHAKE/.test(code))
    what = `TLS with ${where} failed (${code})`;
  else if (code.startsWith('Z_')) what = `${where} sent a corrupt gzip body (${code})`;
  else what = `cannot reach ${where}${code === '' ? '' : ` (${code})`}`;
  return new UnavailableError(`${options.subject}: ${what}`, { cause: err, details });
}

async function readBody(res: IncomingMessage, url: URL, options: HttpGetOptions): Promise<number> {
  const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const tooLarge = (): CapstanError =>
    new ResourceExhaustedError(`${options.subject} is larger than the ${options.maxBytes}-byte limit`, {
      details: { url: displayUrl(url), maxBytes: options.maxBytes },
    });
  const declared = Number(res.headers['content-length']);
  if (
    (encoding === 'identity' || !options.decodeGzip) &&
    Number.isFinite(declared) &&
    declared > options.maxBytes
  ) {
    res.destroy();
    throw tooLarge();
  }
  let body: Readable = res;
  if (options.decodeGzip && (encoding === 'gzip' || encoding === 'x-gzip')) {
    const gunzip = createGunzip();
    res.on('error', (err) => gunzip.destroy(err));
    body = res.pipe(gunzip);
  } else if (options.decodeGzip && encoding !== 'identity' && encoding !== '') {
    res.destroy();
    throw new UnavailableError(
      `${options.subject}: ${displayUrl(url)} sent an unsupported encoding "${encoding}"`,
    );
  }
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > options.maxBytes) {
      res.destroy();
      body.destroy();
      throw tooLarge();
    }
    await options.onChunk(chunk);
  }
  return bytes;
}

/**
 * GETs a URL over HTTP(S), following up to 10 redirects, and streams the body to `onChunk`. Failures
 * become domain errors: 401 Unauthenticated, 403 PermissionDenied, 404/410 NotFound, other statuses and
 * transport failures (refused, DNS, TLS, resets) Unavailable, the deadline DeadlineExceeded, a body over
 * `maxBytes` ResourceExhausted. No message carries the password or the Authorization header.
 */
export async function httpGet(
  options: HttpGetOptions,
): Promise<{ readonly url: URL; readonly bytes: number }> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  let url = options.url;
  try {
    for (let hop = 0; ; hop++) {
      const res = await send(url, options, controller.signal);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location !== undefined) {
        res.resume();
        if (hop >= maxRedirects) {
          throw new UnavailableError(
            `${options.subject}: more than ${maxRedirects} redirects from ${displayUrl(url)}`,
          );
        }
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new UnavailableError(`${options.subject}: ${displayUrl(url)} redirects to a non-HTTP URL`);
        }
        url = next;
        continue;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        throw statusError(status, url, options);
      }
      const bytes = await readBody(res, url, options);
      return { url, bytes };
    }
  } catch (err) {
    controller.abort();
    if (timedOut) {
      throw new DeadlineExceededError(
        `${options.subject}: no complete answer from ${url.origin} within ${options.timeoutMs} ms`,
        { cause: err, details: { url: displayUrl(url), timeoutMs: options.timeoutMs } },
      );
    }
    if (isCapstanError(err)) throw err;
    throw transportError(err, url, options);
  } finally {
    clearTimeout(timer);
  }
}
