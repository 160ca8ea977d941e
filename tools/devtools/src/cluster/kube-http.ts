import { request } from 'node:https';

export interface KubeEndpoint {
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
}

/** A minimal authenticated HTTPS call to a kube-apiserver, for bootstrapping before any client exists. */
export interface KubeHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** @default application/json */
  readonly contentType?: string;
}

export function kubeHttp(ep: KubeEndpoint, req: KubeHttpRequest): Promise<{ status: number; body: string }> {
  const { method, path, body } = req;
  const contentType = req.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const url = new URL(path, ep.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const call = request(
      url,
      {
        method,
        ca: ep.caPem,
        timeout: 5000,
        headers: {
          authorization: `Bearer ${ep.token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': contentType }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    call.on('timeout', () => call.destroy(new Error(`${method} ${path} timed out`)));
    call.on('error', reject);
    call.end(payload);
  });
}
