import type { V1Secret } from '@kubernetes/client-node';
import { InvalidArgumentError } from '@capstan/errors';
import { secretTypeLabel } from './cluster-secret.ts';

/** A repository (or credential template) as its Secret declares it; secret fields stay in memory only. */
export interface RepositoryRecord {
  readonly url: string;
  readonly type: 'git' | 'helm' | 'oci';
  readonly name?: string;
  readonly project?: string;
  readonly username?: string;
  readonly password?: string;
  readonly bearerToken?: string;
  readonly sshPrivateKey?: string;
  readonly tlsClientCertData?: string;
  readonly tlsClientCertKey?: string;
  readonly insecure?: boolean;
  readonly enableOCI?: boolean;
  readonly proxy?: string;
  /** Whether the credentials were filled in from a repo-creds template. */
  readonly inheritedCreds?: boolean;
}

const credentialFields = [
  'username',
  'password',
  'bearerToken',
  'sshPrivateKey',
  'tlsClientCertData',
  'tlsClientCertKey',
] as const;

function read(secret: V1Secret, key: string): string | undefined {
  const s = secret.stringData?.[key];
  if (s !== undefined) return s;
  const b = secret.data?.[key];
  return b === undefined ? undefined : Buffer.from(b, 'base64').toString('utf8');
}

function recordFrom(secret: V1Secret, kind: 'repository' | 'repo-creds'): RepositoryRecord {
  const id = `${secret.metadata?.namespace ?? ''}/${secret.metadata?.name ?? ''}`;
  const label = secret.metadata?.labels?.[secretTypeLabel];
  if (label !== kind)
    throw new InvalidArgumentError(
      `secret ${id} is not a ${kind} secret: label ${secretTypeLabel} is ${JSON.stringify(label ?? null)}`,
    );
  const url = read(secret, 'url')?.trim();
  if (url === undefined || url === '')
    throw new InvalidArgumentError(`${kind} secret ${id}: data.url is required`);
  const type = read(secret, 'type') ?? 'git';
  if (type !== 'git' && type !== 'helm' && type !== 'oci') {
    throw new InvalidArgumentError(
      `${kind} secret ${id}: data.type must be git, helm or oci, got ${JSON.stringify(type)}`,
    );
  }
  const out: Record<string, unknown> = { url, type };
  for (const key of ['name', 'project', 'proxy', ...credentialFields]) {
    const v = read(secret, key);
    if (v !== undefined && v !== '') out[key] = v;
  }
  if (read(secret, 'insecure') === 'true') out['insecure'] = true;
  if (read(secret, 'enableOCI') === 'true') out['enableOCI'] = true;
  return out as unknown as RepositoryRecord;
}

export const repositoryFromSecret = (secret: V1Secret): RepositoryRecord => recordFrom(secret, 'repository');
export const repoCredsFromSecret = (secret: V1Secret): RepositoryRecord => recordFrom(secret, 'repo-creds');

/** Case-insensitive scheme and host, no trailing slash or `.git`: how two spellings of one repository compare. */
export function sameRepoUrl(a: string, b: string): boolean {
  const norm = (u: string): string =>
    u
      .trim()
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')
      .toLowerCase();
  return norm(a) === norm(b);
}

const hasCredentials = (r: RepositoryRecord): boolean => credentialFields.some((f) => r[f] !== undefined);

/**
 * The repository record to use for `url`: its own Secret when there is one, with credentials inherited
 * from the credential template whose URL is the longest prefix of `url` when the Secret carries none
 * (or when there is no repository Secret at all).
 */
export function credentialsFor(
  url: string,
  repositories: readonly RepositoryRecord[],
  templates: readonly RepositoryRecord[],
): RepositoryRecord {
  const own = repositories.find((r) => sameRepoUrl(r.url, url));
  const base: RepositoryRecord = own ?? { url, type: 'git' };
  if (hasCredentials(base)) return base;
  const template = templates
    .filter((t) => url.toLowerCase().startsWith(t.url.toLowerCase()))
    .sort((a, b) => b.url.length - a.url.length)[0];
  if (template === undefined) return base;
  const inherited: Record<string, unknown> = { ...base, inheritedCreds: true };
  for (const f of credentialFields) if (template[f] !== undefined) inherited[f] = template[f];
  if (base.insecure === undefined && template.insecure !== undefined)
    inherited['insecure'] = template.insecure;
  if (base.proxy === undefined && template.proxy !== undefined) inherited['proxy'] = template.proxy;
  return inherited as unknown as RepositoryRecord;
}
