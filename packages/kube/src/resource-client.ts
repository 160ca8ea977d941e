import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { CapstanError, InvalidArgumentError, NotFoundError } from '@capstan/errors';
import type { ApiResourceInfo, ClusterApis } from './api-discovery.ts';
import { DiscoveryCache } from './discovery-cache.ts';
import { KubeTransport } from './kube-transport.ts';

export interface ApplyOptions {
  /** Server-side apply field manager. @default 'argocd-controller' */
  readonly fieldManager?: string;
  /** Take over fields other managers own (kubectl --force-conflicts). @default true */
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

interface Response {
  readonly status: number;
  readonly body: string;
}

/** How long forceReplace waits for the deleted object to be gone before giving up. @default 60000 */
export interface ForceReplaceOptions {
  readonly dryRun?: boolean;
  readonly timeoutMs?: number;
}

function describe(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? '?'}/${ns === undefined || ns === '' ? '' : `${ns}/`}${obj.metadata?.name ?? '?'}`;
}

function toDomain(res: Response, obj: KubernetesObject, verb: string): CapstanError {
  let detail = `HTTP ${res.status}`;
  try {
    detail = (JSON.parse(res.body) as { message?: string }).message ?? detail;
  } catch {
    // not a Status object
  }
  const message = `${verb} ${describe(obj)}: ${detail}`;
  const code = res.status;
  if (code === 404) return new NotFoundError(message);
  if (code === 400 || code === 422) return new InvalidArgumentError(message);
  // Server-side apply reports a body that does not fit the schema as a 500 "failed to create typed patch object".
  if (code === 500 && detail.includes('failed to create typed patch object'))
    return new InvalidArgumentError(message);
  if (code === 409) return new CapstanError('Aborted', message);
  if (code === 401) return new CapstanError('Unauthenticated', message);
  if (code === 403) return new CapstanError('PermissionDenied', message);
  return new CapstanError('Unavailable', message);
}

/**
 * Reads and writes objects of any kind on one cluster: what the sync engine's actions need. Errors come
 * back as domain errors naming the object. Every request goes through the cluster's KubeTransport (rate
 * limit, request metrics). Object bodies are sent as the JSON they are, never through client-node's typed
 * serializer, which drops fields it has no model for (a CRD's `x-kubernetes-preserve-unknown-fields`).
 */
export class ResourceClient {
  readonly #kc: KubeConfig;
  readonly #transport: KubeTransport;
  readonly #discovery: DiscoveryCache;

  /** Given a bare KubeConfig, the client gets a transport of its own with the default rate limit. */
  constructor(source: KubeConfig | { readonly transport: KubeTransport; readonly kubeConfig: KubeConfig }) {
    if ('transport' in source) {
      this.#kc = source.kubeConfig;
      this.#transport = source.transport;
    } else {
      this.#kc = source;
      this.#transport = new KubeTransport(source);
    }
    this.#discovery = new DiscoveryCache(this.#transport);
  }

  get kubeConfig(): KubeConfig {
    return this.#kc;
  }

  get transport(): KubeTransport {
    return this.#transport;
  }

  async namespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    return (await this.#discovery.lookup(apiVersion, kind))?.namespaced;
  }

  /** The resource (plural name, scope, verbs) serving a kind at exactly this apiVersion, from the discovery cache. */
  resourceFor(apiVersion: string, kind: string): Promise<ApiResourceInfo | undefined> {
    return this.#discovery.lookup(apiVersion, kind);
  }

  /** What the cluster serves, as last discovered. */
  clusterApis(): Promise<ClusterApis> {
    return this.#discovery.apis();
  }

  /** Drops cached discovery; call it when CRDs are added, changed or removed. */
  invalidateDiscovery(): void {
    this.#discovery.invalidate();
  }

  /** The object's URL path (without query); `collection` drops the name, for create. */
  async #path(obj: KubernetesObject, collection = false): Promise<string> {
    const apiVersion = obj.apiVersion ?? 'v1';
    const resource = await this.#discovery.lookup(apiVersion, obj.kind ?? '');
    if (resource === undefined)
      throw new NotFoundError(`the cluster serves no ${obj.kind ?? '?'} in ${apiVersion}`);
    const parts = [apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`];
    const ns = obj.metadata?.namespace;
    if (resource.namespaced) {
      if (ns === undefined || ns === '')
        throw new InvalidArgumentError(`${describe(obj)}: a namespaced kind needs metadata.namespace`);
      parts.push('namespaces', encodeURIComponent(ns));
    }
    parts.push(resource.resource);
    if (!collection) parts.push(encodeURIComponent(obj.metadata?.name ?? ''));
    return parts.join('/');
  }

  async #expect(
    method: string,
    obj: KubernetesObject,
    verb: string,
    opts: { query?: string; body?: unknown; contentType?: string; collection?: boolean },
  ): Promise<Response> {
    const path = `${await this.#path(obj, opts.collection)}${opts.query === undefined ? '' : `?${opts.query}`}`;
    let res: Response;
    try {
      res = await this.#transport.request(method, path, {
        ...(opts.body === undefined
          ? {}
          : { body: opts.body, contentType: opts.contentType ?? 'application/json' }),
        ...(obj.kind === undefined ? {} : { resourceKind: obj.kind }),
      });
    } catch (err) {
      throw new CapstanError('Unavailable', `${verb} ${describe(obj)}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (res.status >= 300) throw toDomain(res, obj, verb);
    return res;
  }

  async get(obj: KubernetesObject): Promise<KubernetesObject | undefined> {
    try {
      return JSON.parse((await this.#expect('GET', obj, 'get', {})).body) as KubernetesObject;
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  /** Server-side apply: creates or updates, owning the fields the object sets. */
  async apply(obj: KubernetesObject, options: ApplyOptions = {}): Promise<KubernetesObject> {
    const query = new URLSearchParams({
      fieldManager: options.fieldManager ?? 'argocd-controller',
      force: String(options.force ?? true),
    });
    if (options.dryRun === true) query.set('dryRun', 'All');
    const res = await this.#expect('PATCH', obj, 'apply', {
      query: query.toString(),
      body: obj,
      contentType: 'application/apply-patch+yaml',
    });
    return JSON.parse(res.body) as KubernetesObject;
  }

  async create(obj: KubernetesObject, dryRun = false): Promise<KubernetesObject> {
    const query = new URLSearchParams({ fieldManager: 'argocd-controller' });
    if (dryRun) query.set('dryRun', 'All');
    const res = await this.#expect('POST', obj, 'create', {
      query: query.toString(),
      body: obj,
      collection: true,
    });
    return JSON.parse(res.body) as KubernetesObject;
  }

  /** A PATCH of the kind's content type (strategic merge, JSON merge, JSON patch), e.g. client-side apply's. */
  async patch(
    obj: KubernetesObject,
    patch: unknown,
    contentType:
      | 'application/strategic-merge-patch+json'
      | 'application/merge-patch+json'
      | 'application/json-patch+json',
    opts: { dryRun?: boolean; fieldManager?: string } = {},
  ): Promise<KubernetesObject> {
    const query = new URLSearchParams({ fieldManager: opts.fieldManager ?? 'argocd-controller' });
    if (opts.dryRun === true) query.set('dryRun', 'All');
    const res = await this.#expect('PATCH', obj, 'patch', {
      query: query.toString(),
      body: patch,
      contentType,
    });
    return JSON.parse(res.body) as KubernetesObject;
  }

  /** GETs any API path (an OpenAPI document, say) and parses the JSON; HTTP errors become domain errors. */
  async getRaw(path: string): Promise<unknown> {
    let res: Response;
    try {
      res = await this.#transport.request('GET', path);
    } catch (err) {
      throw new CapstanError('Unavailable', `GET ${path}: ${(err as Error).message}`, { cause: err });
    }
    if (res.status === 404) throw new NotFoundError(`GET ${path}: not found`);
    if (res.status >= 300) {
      const code =
        res.status === 401 ? 'Unauthenticated' : res.status === 403 ? 'PermissionDenied' : 'Unavailable';
      throw new CapstanError(code, `GET ${path}: HTTP ${res.status}`);
    }
    return JSON.parse(res.body) as unknown;
  }

  /** A plain update (PUT); the object must carry the resourceVersion it replaces, or none to overwrite. */
  async replace(obj: KubernetesObject, dryRun = false): Promise<KubernetesObject> {
    const query = new URLSearchParams({ fieldManager: 'argocd-controller' });
    if (dryRun) query.set('dryRun', 'All');
    const res = await this.#expect('PUT', obj, 'replace', {
      query: query.toString(),
      body: obj,
    });
    return JSON.parse(res.body) as KubernetesObject;
  }

  /** Deletes with a propagation policy; an object already gone is not an error. */
  async delete(
    obj: KubernetesObject,
    propagationPolicy: 'Foreground' | 'Background' | 'Orphan' = 'Foreground',
    dryRun = false,
  ): Promise<void> {
    try {
      await this.#expect('DELETE', obj, 'delete', {
        body: {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          propagationPolicy,
          ...(dryRun ? { dryRun: ['All'] } : {}),
        },
      });
    } catch (err) {
      if (err instanceof NotFoundError) return;
      throw err;
    }
  }

  /**
   * Argo CD's Replace=true with Force=true (`kubectl replace --force`): deletes the live object in the
   * background, waits until it is gone, then creates the new one, which is how fields the API server
   * will not update in place (a Job's template, a Service's clusterIP) get changed. A dry run deletes
   * and creates in dry-run mode; the create then meets the still-live object, and its "already exists"
   * means the new object passed validation and admission, which run before the existence check.
   */
  async forceReplace(obj: KubernetesObject, options: ForceReplaceOptions = {}): Promise<KubernetesObject> {
    if (options.dryRun === true) {
      await this.delete(obj, 'Background', true);
      try {
        return await this.create(obj, true);
      } catch (err) {
        if (err instanceof CapstanError && err.code === 'Aborted' && /already exists/.test(err.message))
          return obj;
        throw err;
      }
    }
    const live = await this.get(obj);
    if (live !== undefined) {
      await this.delete(obj, 'Background');
      const uid = live.metadata?.uid;
      const deadline = Date.now() + (options.timeoutMs ?? 60_000);
      for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
        const now = await this.get(obj);
        // Someone else may already have recreated it: a different uid is not the object we deleted.
        if (now === undefined || now.metadata?.uid !== uid) break;
        if (Date.now() >= deadline) {
          const finalizers = now.metadata?.finalizers ?? [];
          const held = finalizers.length === 0 ? '' : ` (finalizers: ${finalizers.join(', ')})`;
          throw new CapstanError('Unavailable', `replace ${describe(obj)}: still being deleted${held}`);
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    const { resourceVersion: _rv, uid: _uid, ...metadata } = obj.metadata ?? {};
    return this.create({ ...obj, metadata });
  }

  /**
   * Removes one finalizer, leaving the others. The list is written back with the resourceVersion it was
   * read at, so a concurrent change makes this fail (409) rather than silently drop someone's finalizer.
   */
  async removeFinalizer(obj: KubernetesObject, finalizer: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const live = await this.get(obj);
      const finalizers = live?.metadata?.finalizers ?? [];
      if (live === undefined || !finalizers.includes(finalizer)) return;
      try {
        await this.#expect('PATCH', obj, 'remove finalizer from', {
          body: {
            metadata: {
              resourceVersion: live.metadata?.resourceVersion,
              finalizers: finalizers.filter((f) => f !== finalizer),
            },
          },
          contentType: 'application/merge-patch+json',
        });
        return;
      } catch (err) {
        if (err instanceof NotFoundError) return;
        if ((err as CapstanError).code === 'Aborted' && attempt < 5) continue;
        throw err;
      }
    }
  }
}
