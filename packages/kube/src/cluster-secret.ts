import { KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { InvalidArgumentError } from '@capstan/errors';

/** Label that marks a Secret as a cluster registration (Argo CD's declarative format). */
export const secretTypeLabel = 'argocd.argoproj.io/secret-type';
export const inClusterServer = 'https://kubernetes.default.svc';

/** The `config` JSON of a cluster Secret. CA/cert/key data are base64-encoded PEM, as Argo CD writes them. */
export interface ClusterConfig {
  readonly username?: string;
  readonly password?: string;
  readonly bearerToken?: string;
  readonly tlsClientConfig?: {
    readonly insecure?: boolean;
    readonly serverName?: string;
    readonly caData?: string;
    readonly certData?: string;
    readonly keyData?: string;
  };
  readonly proxyUrl?: string;
  readonly execProviderConfig?: {
    readonly command: string;
    readonly args?: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    readonly apiVersion?: string;
  };
}

export interface ClusterRecord {
  readonly name: string;
  readonly server: string;
  readonly config: ClusterConfig;
  readonly namespaces: readonly string[];
  readonly clusterResources: boolean;
  readonly project: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

function field(secret: V1Secret, key: string): string | undefined {
  const fromString = secret.stringData?.[key];
  if (fromString !== undefined) return fromString;
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

/** Reads a cluster Secret; anything malformed is an InvalidArgument naming the Secret and the field. */
export function clusterFromSecret(secret: V1Secret): ClusterRecord {
  const id = `${secret.metadata?.namespace ?? ''}/${secret.metadata?.name ?? ''}`;
  const type = secret.metadata?.labels?.[secretTypeLabel];
  if (type !== 'cluster') {
    throw new InvalidArgumentError(
      `secret ${id} is not a cluster secret: label ${secretTypeLabel} is ${JSON.stringify(type ?? null)}`,
    );
  }
  const server = field(secret, 'server');
  if (server === undefined || server.trim() === '')
    throw new InvalidArgumentError(`cluster secret ${id}: data.server is required`);
  try {
    new URL(server);
  } catch {
    throw new InvalidArgumentError(`cluster secret ${id}: data.server is not a URL`);
  }
  let config: ClusterConfig = {};
  const rawConfig = field(secret, 'config');
  if (rawConfig !== undefined && rawConfig.trim() !== '') {
    try {
      config = JSON.parse(rawConfig) as ClusterConfig;
    } catch {
      // The parser's message may quote the secret's content, so it is not passed on.
      throw new InvalidArgumentError(`cluster secret ${id}: data.config is not valid JSON`);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new InvalidArgumentError(`cluster secret ${id}: data.config must be a JSON object`);
    }
  }
  const namespaces = (field(secret, 'namespaces') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    name: field(secret, 'name') ?? server,
    server: server.trim().replace(/\/+$/, ''),
    config,
    namespaces,
    clusterResources: field(secret, 'clusterResources') === 'true',
    project: field(secret, 'project'),
    labels: { ...secret.metadata?.labels },
    annotations: { ...secret.metadata?.annotations },
  };
}

/** A KubeConfig for a registered cluster, built from its record only (never from ambient files). */
export function kubeConfigForCluster(cluster: ClusterRecord): KubeConfig {
  const c = cluster.config;
  const tls = c.tlsClientConfig ?? {};
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.server,
        skipTLSVerify: tls.insecure === true,
        ...(tls.caData === undefined ? {} : { caData: tls.caData }),
        ...(tls.serverName === undefined ? {} : { tlsServerName: tls.serverName }),
        ...(c.proxyUrl === undefined ? {} : { proxyUrl: c.proxyUrl }),
      },
    ],
    users: [
      {
        name: `${cluster.name}-user`,
        ...(c.bearerToken === undefined ? {} : { token: c.bearerToken }),
        ...(c.username === undefined ? {} : { username: c.username }),
        ...(c.password === undefined ? {} : { password: c.password }),
        ...(tls.certData === undefined ? {} : { certData: tls.certData }),
        ...(tls.keyData === undefined ? {} : { keyData: tls.keyData }),
        ...(c.execProviderConfig === undefined
          ? {}
          : {
              exec: {
                command: c.execProviderConfig.command,
                args: c.execProviderConfig.args ?? [],
                env: Object.entries(c.execProviderConfig.env ?? {}).map(([name, value]) => ({ name, value })),
                apiVersion: c.execProviderConfig.apiVersion ?? 'client.authentication.k8s.io/v1',
              },
            }),
      },
    ],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: `${cluster.name}-user` }],
    currentContext: cluster.name,
  });
  return kc;
}
