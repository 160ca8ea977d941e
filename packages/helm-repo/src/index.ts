export {
  createHelmRepoClient,
  type HelmRepoClient,
  type HelmRepoClientOptions,
  type HelmIndex,
  type HelmIndexOptions,
} from './helm-repo-client.ts';
export type { HelmChartVersion, HelmRepoCredentials } from './helm-repo-types.ts';
