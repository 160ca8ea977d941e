import { request } from 'node:https';

export interface KubeEndpoint {
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
}

/** A minimal authenticated HTTPS call to a kube-apiserver, for bootstrapping before any client exists. */
export function kubeHttp(
  ep: KubeEndpoint,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, ep.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        ca: ep.caPem,
        timeout: 5000,
        headers: {
          authorization: `Bearer ${ep.token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
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
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
