import type { common } from '@capstan/proto';
import type { GitCredentials, GitRepo } from '@capstan/git';
import type { HelmRepoCredentials } from '@capstan/helm-repo';

type Repository = common.Repository;

const set = <T>(v: T | undefined | ''): v is T => v !== undefined && v !== '';

/** The Git view of a repository record: URL plus whichever credentials it carries. */
export function gitRepoOf(repo: Repository | undefined, fallbackUrl: string, knownHosts: string): GitRepo {
  const url = set(repo?.repo) ? repo.repo : fallbackUrl;
  const creds: { -readonly [K in keyof GitCredentials]: GitCredentials[K] } = {};
  if (set(repo?.username)) creds.username = repo.username;
  if (set(repo?.password)) creds.password = repo.password;
  if (set(repo?.bearerToken)) creds.password = repo.bearerToken;
  if (set(repo?.sshPrivateKey)) creds.sshPrivateKey = repo.sshPrivateKey;
  if (repo?.insecure === true || repo?.insecureIgnoreHostKey === true) creds.insecure = true;
  if (set(repo?.tlsClientCertData)) creds.tlsClientCertData = repo.tlsClientCertData;
  if (set(repo?.tlsClientCertKey)) creds.tlsClientCertKey = repo.tlsClientCertKey;
  if (set(repo?.proxy)) creds.proxy = repo.proxy;
  if (knownHosts !== '') creds.knownHosts = knownHosts;
  return { url, creds };
}

export function helmCredsOf(repo: Repository | undefined): HelmRepoCredentials {
  const creds: { -readonly [K in keyof HelmRepoCredentials]: HelmRepoCredentials[K] } = {};
  if (set(repo?.username)) creds.username = repo.username;
  if (set(repo?.password)) creds.password = repo.password;
  if (repo?.insecure === true) creds.insecure = true;
  if (set(repo?.tlsClientCertData)) creds.tlsClientCertData = repo.tlsClientCertData;
  if (set(repo?.tlsClientCertKey)) creds.tlsClientCertKey = repo.tlsClientCertKey;
  return creds;
}

/** Whether a request addresses a Helm repository (a chart) rather than Git. */
export function isHelmRepository(repo: Repository | undefined, chart: string | undefined): boolean {
  return repo?.type === 'helm' || (chart !== undefined && chart !== '');
}
