import type { KubeConfig } from '@kubernetes/client-node';
import { CapstanError, NotFoundError } from '@capstan/errors';
import { KubeTransport } from './kube-transport.ts';

/**
 * GETs a path on a cluster and parses the JSON; HTTP errors become domain errors. Given a KubeConfig
 * rather than a cluster's shared transport, the request bypasses any rate limit.
 */
export async function kubeGetJson<T>(
  source: KubeConfig | KubeTransport,
  path: string,
  timeoutMs = 30_000,
): Promise<T> {
  const transport = source instanceof KubeTransport ? source : new KubeTransport(source);
  let res;
  try {
    res = await transport.request('GET', path, { timeoutMs, resourceKind: 'discovery' });
  } catch (err) {
    throw new CapstanError('Unavailable', `GET ${transport.server}${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const { status, body } = res;
  if (status === 404) throw new NotFoundError(`GET ${path}: not found`);
  if (status === 401) throw new CapstanError('Unauthenticated', `GET ${path}: unauthorized`);
  if (status === 403) throw new CapstanError('PermissionDenied', `GET ${path}: forbidden`);
  if (status >= 300) throw new CapstanError('Unavailable', `GET ${path}: HTTP ${status}`);
  return JSON.parse(body) as T;
}
