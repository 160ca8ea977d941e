import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { CapstanError, InvalidArgumentError, NotFoundError } from '@capstan/errors';

/**
 * Discovery only: client-node knows how to find a kind's resource name and scope. Object bodies never go
 * through its typed serializer, which drops fields it has no model for (a CRD's
 * `x-kubernetes-preserve-unknown-fields`, say): manifests are sent as the JSON they are.
 */
class Discovery extends KubernetesObjectApi {
  static forConfig(kc: KubeConfig): Discovery {
    return kc.makeApiClient(Discovery);
  }

  async lookup(apiVersion: string, kind: string): Promise<{ name: string; namespaced: boolean } | undefined> {
    try {
      const r = await this.resource(apiVersion, kind);
      return r === undefined ? undefined : { name: r.name, namespaced: r.namespaced };
    } catch {
      return undefined;
    }
  }
}

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
 * back as domain errors naming the object.
 */
export class ResourceClient {
  readonly #kc: KubeConfig;
  readonly #discovery: Discovery;
  readonly #server: URL;

  constructor(kc: KubeConfig) {
    this.#kc = kc;
    this.#discovery = Discovery.forConfig(kc);
    this.#server = new URL(kc.getCurrentCluster()?.server ?? 'https://localhost');
  }

  async namespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    return (await this.#discovery.lookup(apiVersion, kind))?.namespaced;
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
    parts.push(resource.name);
    if (!collection) parts.push(encodeURIComponent(obj.metadata?.name ?? ''));
    return parts.join('/');
  }

  async #call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Response> {
    const opts: RequestOptions = {};
    await this.#kc.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const url = new URL(path, this.#server);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          ...opts,
          method,
          timeout: 30_000,
          headers: {
            ...(opts.headers as Record<string, string> | undefined),
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
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
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
      res = await this.#call(method, path, opts.body, opts.contentType);
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

  /** A plain update (PUT); the object must carry the resourceVersion it replaces, or none to overwrite. */
  async replace(obj: KubernetesObject): Promise<KubernetesObject> {
    const res = await this.#expect('PUT', obj, 'replace', {
      query: 'fieldManager=argocd-controller',
      body: obj,
    });
    return JSON.parse(res.body) as KubernetesObject;
  }

  /** Deletes with a propagation policy; an object already gone is not an error. */
  async delete(
    obj: KubernetesObject,
    propagationPolicy: 'Foreground' | 'Background' | 'Orphan' = 'Foreground',
  ): Promise<void> {
    try {
      await this.#expect('DELETE', obj, 'delete', {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy },
      });
    } catch (err) {
      if (err instanceof NotFoundError) return;
      throw err;
    }
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
