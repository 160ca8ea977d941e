import { stringify } from 'yaml';

export interface KubeconfigInput {
  readonly name: string;
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
  readonly namespace?: string;
}

/** A one-context kubeconfig with the CA inlined, so the file is self-contained. */
export function kubeconfigYaml(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: input.name,
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: `${input.name}-admin`, user: { token: input.token } }],
    contexts: [
      {
        name: input.name,
        context: {
          cluster: input.name,
          user: `${input.name}-admin`,
          ...(input.namespace === undefined ? {} : { namespace: input.namespace }),
        },
      },
    ],
    'current-context': input.name,
  });
}
