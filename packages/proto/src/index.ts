export * from './contracts.ts';
export { type ClientOptions, type ClientTlsOptions, compileClientOptions } from './client/client-options.ts';
export {
  createPromiseClient,
  fromServiceError,
  type PromiseClient,
  type CallOpts,
} from './client/promise-client.ts';
export { createRepoServerClient, type RepoServerClient } from './client/repo-server-client.ts';
export { createApiClient, type ApiClient } from './client/api-client.ts';
