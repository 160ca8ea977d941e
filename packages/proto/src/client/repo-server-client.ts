import { RepoServerServiceService } from '../gen/capstan/reposerver/v1/reposerver.ts';
import type { ClientOptions } from './client-options.ts';
import { createPromiseClient, type PromiseClient } from './promise-client.ts';

export type RepoServerClient = PromiseClient<typeof RepoServerServiceService>;

/**
 * The repo-server's client, for the API server and the controllers. Every repo-server call is a read
 * (rendering is a pure function of its inputs), so all unary calls retry on UNAVAILABLE.
 */
export function createRepoServerClient(options: ClientOptions): RepoServerClient {
  return createPromiseClient('capstan.reposerver.v1.RepoServerService', RepoServerServiceService, {
    ...options,
    idempotent: () => true,
  });
}
