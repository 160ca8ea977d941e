import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { CapstanError, NotFoundError } from '@capstan/errors';

/** GETs a path on the config's current cluster and parses the JSON; HTTP errors become domain errors. */
export async function kubeGetJson<T>(kc: KubeConfig, path: string, timeoutMs = 30_000): Promise<T> {
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const url = new URL(path, kc.getCurrentCluster()?.server ?? 'https://localhost');
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = send(
      url,
      {
        ...opts,
        method: 'GET',
        timeout: timeoutMs,
        headers: { ...(opts.headers as Record<string, string> | undefined), accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', (err) =>
      reject(new CapstanError('Unavailable', `GET ${url.origin}${path}: ${err.message}`, { cause: err })),
    );
    req.end();
  });
  if (status === 404) throw new NotFoundError(`GET ${path}: not found`);
  if (status === 401) throw new CapstanError('Unauthenticated', `GET ${path}: unauthorized`);
  if (status === 403) throw new CapstanError('PermissionDenied', `GET ${path}: forbidden`);
  if (status >= 300) throw new CapstanError('Unavailable', `GET ${path}: HTTP ${status}`);
  return JSON.parse(body) as T;
}
