import { NotFoundError } from '@capstan/errors';
import type { ResourceClient } from '../resource-client.ts';
import { OpenApiPatchMeta } from './open-api-patch-meta.ts';
import type { PatchMeta } from './patch-meta.ts';

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * Strategic-merge metadata of one cluster's kinds, read from its OpenAPI v3 documents (one per
 * group/version, fetched on first use and kept). Kinds the server only JSON-merge-patches (custom
 * resources), and group/versions without a document, get undefined.
 */
export class PatchMetaSource {
  readonly #client: Pick<ResourceClient, 'getRaw'>;
  readonly #groupVersions = new Map<string, Promise<OpenApiPatchMeta | undefined>>();

  constructor(client: Pick<ResourceClient, 'getRaw'>) {
    this.#client = client;
  }

  async forKind(apiVersion: string, kind: string): Promise<PatchMeta | undefined> {
    const { group, version } = splitApiVersion(apiVersion);
    return (await this.#load(group, version))?.forKind(group, version, kind);
  }

  /** Forgets the documents (all, or one group/version's), e.g. after a CRD or an aggregated API changed. */
  invalidate(apiVersion?: string): void {
    if (apiVersion === undefined) this.#groupVersions.clear();
    else this.#groupVersions.delete(apiVersion.includes('/') ? apiVersion : `/${apiVersion}`);
  }

  #load(group: string, version: string): Promise<OpenApiPatchMeta | undefined> {
    const key = `${group}/${version}`;
    let loading = this.#groupVersions.get(key);
    if (loading === undefined) {
      const path = group === '' ? `/openapi/v3/api/${version}` : `/openapi/v3/apis/${group}/${version}`;
      loading = this.#client.getRaw(path).then(
        (doc) => new OpenApiPatchMeta(doc),
        (err: unknown) => {
          // Not cached: a group/version that appears later (a CRD being installed) is found on the next call.
          this.#groupVersions.delete(key);
          if (err instanceof NotFoundError) return undefined;
          throw err;
        },
      );
      this.#groupVersions.set(key, loading);
    }
    return loading;
  }
}
