import type { KubeConfig, V1Secret } from '@kubernetes/client-node';
import { CapstanError } from '@capstan/errors';
import {
  clusterFromSecret,
  inClusterServer,
  kubeConfigForCluster,
  secretTypeLabel,
  type ClusterConfig,
  type ClusterRecord,
} from './cluster-secret.ts';
import { KubeTransport, type KubeTransportOptions } from './kube-transport.ts';
import { ResourceClient } from './resource-client.ts';

/** A destination cluster and the means to talk to it. */
export interface Cluster {
  readonly record: ClusterRecord;
  readonly kubeConfig: KubeConfig;
  readonly transport: KubeTransport;
  readonly resources: ResourceClient;
}

export interface ClusterEvent {
  readonly type: 'added' | 'updated' | 'deleted';
  readonly cluster: Cluster;
}

export type ClusterListener = (ev: ClusterEvent) => void;

export interface ClusterRegistryOptions {
  /** The controller's own cluster: where the cluster Secrets live, and the in-cluster destination. */
  readonly kubeConfig: KubeConfig;
  /** The control-plane namespace holding the cluster Secrets (e.g. `argocd`). */
  readonly namespace: string;
  /** Malformed Secrets (skipped) and watch failures (retried) are reported here. */
  readonly onError?: (err: Error) => void;
  /** Rate limit and request callback for every cluster's transport. */
  readonly transportOptions?: Omit<KubeTransportOptions, 'server'>;
  /** How long a watch request stays open before it is renewed. @default 300 */
  readonly watchTimeoutSeconds?: number;
}

/** What the registry holds per Secret. */
interface Entry {
  readonly key: string;
  readonly cluster: Cluster;
  /** Server and connection settings: an update that keeps them keeps the transport and its caches. */
  readonly connection: string;
}

interface SecretList {
  readonly metadata?: { readonly resourceVersion?: string };
  readonly items?: readonly V1Secret[];
}

interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: V1Secret & { readonly code?: number; readonly message?: string };
}

class Gone extends Error {}

export function normalizeServer(server: string): string {
  return server.trim().replace(/\/+$/, '');
}

const secretKey = (s: V1Secret): string => `${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`;

/** Whether a cluster Secret brings credentials of its own (else the in-cluster one uses the controller's). */
function hasCredentials(c: ClusterConfig): boolean {
  const tls = c.tlsClientConfig ?? {};
  return (
    c.bearerToken !== undefined ||
    c.username !== undefined ||
    c.password !== undefined ||
    c.execProviderConfig !== undefined ||
    tls.certData !== undefined ||
    tls.keyData !== undefined
  );
}

const inClusterRecord: ClusterRecord = {
  name: 'in-cluster',
  server: inClusterServer,
  config: {},
  namespaces: [],
  clusterResources: false,
  project: undefined,
  labels: {},
  annotations: {},
};

/**
 * The destination clusters the controller can deploy to, kept in step with the cluster Secrets in the
 * control-plane namespace (list, then watch; a Secret added, changed or deleted takes effect without a
 * restart). Each cluster gets one rate-limited transport, shared by everything that talks to it.
 *
 * As in Argo CD, `https://kubernetes.default.svc` ("in-cluster") always exists and reaches the
 * controller's own cluster; a Secret for that server overrides its name, namespaces and labels, and only
 * its connection too if it carries credentials. A malformed Secret is reported and skipped, and one that
 * turns malformed drops its cluster: the Secret, not the last good copy of it, is the truth.
 */
export class ClusterRegistry {
  readonly #kc: KubeConfig;
  readonly #namespace: string;
  readonly #onError: (err: Error) => void;
  readonly #transportOptions: Omit<KubeTransportOptions, 'server'>;
  readonly #watchTimeout: number;
  readonly #home: Cluster;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<ClusterListener>();
  #resourceVersion: string | undefined;
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: ClusterRegistryOptions) {
    this.#kc = options.kubeConfig;
    this.#namespace = options.namespace;
    this.#onError = options.onError ?? (() => undefined);
    this.#transportOptions = options.transportOptions ?? {};
    this.#watchTimeout = options.watchTimeoutSeconds ?? 300;
    const transport = new KubeTransport(this.#kc, { ...this.#transportOptions, server: inClusterServer });
    this.#home = {
      record: inClusterRecord,
      kubeConfig: this.#kc,
      transport,
      resources: new ResourceClient({ transport, kubeConfig: this.#kc }),
    };
  }

  /** Lists the cluster Secrets (failing if that fails), then keeps watching them until stop(). */
  async start(): Promise<void> {
    if (this.#abort !== undefined) return;
    const abort = new AbortController();
    this.#abort = abort;
    try {
      await this.#list(abort.signal);
    } catch (err) {
      this.#abort = undefined;
      throw err;
    }
    this.#loop = this.#run(abort.signal);
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    this.#abort = undefined;
    await this.#loop;
    this.#loop = undefined;
  }

  /** The cluster serving `server` (trailing slashes ignored). */
  get(server: string): Cluster | undefined {
    const wanted = normalizeServer(server);
    let found: Entry | undefined;
    // Two Secrets for one server: the first by namespace/name wins, so the answer does not flap.
    for (const e of this.#entries.values())
      if (e.cluster.record.server === wanted && (found === undefined || e.key < found.key)) found = e;
    if (found !== undefined) return found.cluster;
    return wanted === inClusterServer ? this.#home : undefined;
  }

  /** Clusters registered under `name` (Argo CD resolves a destination name only if exactly one matches). */
  byName(name: string): Cluster[] {
    return this.list().filter((c) => c.record.name === name);
  }

  list(): Cluster[] {
    const servers = new Set([
      inClusterServer,
      ...[...this.#entries.values()].map((e) => e.cluster.record.server),
    ]);
    return [...servers].sort().flatMap((s) => this.get(s) ?? []);
  }

  /** Listens for clusters appearing, changing and going; returns the unsubscribe function. */
  on(listener: ClusterListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async #run(signal: AbortSignal): Promise<void> {
    let backoff = 500;
    while (!signal.aborted) {
      try {
        if (this.#resourceVersion === undefined) await this.#list(signal);
        const opened = Date.now();
        await this.#watch(signal);
        // A server that ends every watch at once must not be asked again in a tight loop.
        if (Date.now() - opened < 1_000) {
          await sleep(backoff, signal);
          backoff = Math.min(backoff * 2, 30_000);
        } else backoff = 500;
      } catch (err) {
        if (signal.aborted) return;
        this.#resourceVersion = undefined;
        // 410 Gone: the version we watched from is too old; a fresh list is the whole remedy.
        if (err instanceof Gone) continue;
        this.#report(
          new CapstanError(
            'Unavailable',
            `watching cluster secrets in namespace ${this.#namespace}: ${(err as Error).message}`,
            { cause: err },
          ),
        );
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  #collectionPath(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.#namespace)}/secrets`;
  }

  async #list(signal: AbortSignal): Promise<void> {
    const res = await this.#home.transport.request('GET', this.#collectionPath(), {
      query: new URLSearchParams({ labelSelector: `${secretTypeLabel}=cluster` }),
      resourceKind: 'Secret',
      verb: 'List',
      signal,
    });
    if (res.status !== 200) {
      throw new CapstanError(
        res.status === 403 ? 'PermissionDenied' : 'Unavailable',
        `listing cluster secrets in namespace ${this.#namespace}: HTTP ${res.status}`,
      );
    }
    const list = JSON.parse(res.body) as SecretList;
    const seen = new Set<string>();
    for (const secret of list.items ?? []) {
      seen.add(secretKey(secret));
      this.#upsert(secret);
    }
    for (const key of [...this.#entries.keys()]) if (!seen.has(key)) this.#remove(key);
    this.#resourceVersion = list.metadata?.resourceVersion;
  }

  async #watch(signal: AbortSignal): Promise<void> {
    const query = new URLSearchParams({
      labelSelector: `${secretTypeLabel}=cluster`,
      watch: '1',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.#watchTimeout),
    });
    if (this.#resourceVersion !== undefined) query.set('resourceVersion', this.#resourceVersion);
    const res = await this.#home.transport.stream(this.#collectionPath(), {
      query,
      resourceKind: 'Secret',
      signal,
      // The server sends nothing while nothing changes (bookmarks aside): wait past its own timeout.
      timeoutMs: (this.#watchTimeout + 30) * 1000,
      onLine: (line) => this.#onWatchEvent(JSON.parse(line) as WatchEvent),
    });
    if (res.status === 410) throw new Gone();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  }

  #onWatchEvent(ev: WatchEvent): void {
    if (ev.type === 'ERROR') {
      if (ev.object.code === 410) throw new Gone();
      throw new Error(ev.object.message ?? 'watch error');
    }
    const rv = ev.object.metadata?.resourceVersion;
    if (ev.type === 'DELETED') this.#remove(secretKey(ev.object));
    else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.#upsert(ev.object);
    if (rv !== undefined) this.#resourceVersion = rv;
  }

  /** Applies one Secret; a malformed one is reported, and drops the cluster it described. */
  #upsert(secret: V1Secret): void {
    const key = secretKey(secret);
    let record: ClusterRecord;
    try {
      record = clusterFromSecret(secret);
    } catch (err) {
      this.#report(err instanceof Error ? err : new Error(String(err)));
      this.#remove(key);
      return;
    }
    const previous = this.#entries.get(key);
    if (previous !== undefined && JSON.stringify(previous.cluster.record) === JSON.stringify(record)) return;
    let entry: Entry;
    try {
      entry = this.#entryFor(key, record, previous);
    } catch (err) {
      this.#report(
        new CapstanError('InvalidArgument', `cluster secret ${key}: ${(err as Error).message}`, {
          cause: err,
        }),
      );
      this.#remove(key);
      return;
    }
    this.#change([record.server, previous?.cluster.record.server], () => this.#entries.set(key, entry));
  }

  #remove(key: string): void {
    const previous = this.#entries.get(key);
    if (previous === undefined) return;
    this.#change([previous.cluster.record.server], () => this.#entries.delete(key));
  }

  #entryFor(key: string, record: ClusterRecord, previous: Entry | undefined): Entry {
    const useHome = record.server === inClusterServer && !hasCredentials(record.config);
    const connection = useHome ? '' : JSON.stringify([record.server, record.config]);
    if (previous !== undefined && previous.connection === connection)
      return { key, connection, cluster: { ...previous.cluster, record } };
    if (useHome) return { key, connection, cluster: { ...this.#home, record } };
    const kubeConfig = kubeConfigForCluster(record);
    const transport = new KubeTransport(kubeConfig, { ...this.#transportOptions, server: record.server });
    return {
      key,
      connection,
      cluster: { record, kubeConfig, transport, resources: new ResourceClient({ transport, kubeConfig }) },
    };
  }

  /** Makes a change, then tells listeners how the cluster at each affected server changed. */
  #change(servers: readonly (string | undefined)[], mutate: () => void): void {
    const affected = [...new Set(servers.filter((s): s is string => s !== undefined))];
    const before = affected.map((s) => this.get(s));
    mutate();
    affected.forEach((s, i) => {
      const was = before[i];
      const now = this.get(s);
      if (was === now) return;
      if (now === undefined) this.#emit({ type: 'deleted', cluster: was as Cluster });
      else this.#emit({ type: was === undefined ? 'added' : 'updated', cluster: now });
    });
  }

  #emit(ev: ClusterEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(ev);
      } catch (err) {
        this.#report(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  #report(err: Error): void {
    try {
      this.#onError(err);
    } catch {
      // An error handler that fails must not stop the watch.
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
