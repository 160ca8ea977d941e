import type { Client } from '@grpc/grpc-js';
import { makeGenericClientConstructor } from '@grpc/grpc-js';
import { serviceCatalog } from '../contracts.ts';
import { compileClientOptions, type ClientOptions } from './client-options.ts';
import {
  channelCredentials,
  channelOptions,
  createPromiseClient,
  type PromiseClient,
} from './promise-client.ts';

type ApiKey = Exclude<keyof typeof serviceCatalog, 'reposerver'>;

/** One promise client per API service, all over a single connection to the API server. */
export type ApiClient = {
  readonly [K in ApiKey]: PromiseClient<(typeof serviceCatalog)[K]['definition']>;
} & {
  close(): void;
};

const readMethod = (method: string): boolean =>
  /^(get|list|watch|can|resource|managed|revision|version|podLogs)/.test(method);

/** The API server's client, for the CLI and other gRPC callers. Reads retry on UNAVAILABLE; writes never do. */
export function createApiClient(options: ClientOptions): ApiClient {
  const o = compileClientOptions(options);
  const Base = makeGenericClientConstructor({}, 'capstan.api');
  const channel: Client = new Base(o.address, channelCredentials(o), channelOptions(o));
  const out: Record<string, unknown> = { close: () => channel.close() };
  for (const [key, entry] of Object.entries(serviceCatalog)) {
    if (key === 'reposerver') continue;
    out[key] = createPromiseClient(entry.name, entry.definition, {
      ...options,
      idempotent: readMethod,
      channelOverride: channel,
    });
  }
  return out as ApiClient;
}
