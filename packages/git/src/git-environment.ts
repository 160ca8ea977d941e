import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitCredentials } from './git-client.ts';

export interface GitEnvironment {
  /** The complete environment of the git process: nothing else from this process leaks in. */
  readonly env: Readonly<Record<string, string>>;
  /** `-c key=value` settings for this invocation. */
  readonly config: readonly string[];
  /** Values to mask in anything git prints. */
  readonly secrets: readonly string[];
  /** Removes the key and certificate files written for this invocation. */
  dispose(): Promise<void>;
}

export interface GitEnvironmentOptions {
  /** A private HOME, so no ~/.gitconfig, ~/.netrc or credential store of the host is used. */
  readonly home: string;
  /** Repository discovery stops here, so a repository around the cache directory is never used. */
  readonly ceiling: string;
  /** The askpass program that answers git's Username/Password prompts from the environment. */
  readonly askPass: string;
  /** Folder for per-invocation secret files. */
  readonly tmpRoot: string;
  readonly creds: GitCredentials | undefined;
  readonly timeoutMs: number;
}

/** Prints the username or the password git asks for; the values come through the environment only. */
export const askPassScript = `#!/bin/sh
case "$1" in
  Username*|username*) printf '%s\\n' "$CAPSTAN_GIT_USERNAME" ;;
  *) printf '%s\\n' "$CAPSTAN_GIT_PASSWORD" ;;
esac
`;

const proxyVars = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY'];

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function withNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

/** Proxy settings the operator gave this process apply to git too, unless the repository names its own. */
function proxyEnv(proxy: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (proxy !== undefined && proxy !== '') {
    for (const name of ['http_proxy', 'https_proxy', 'HTTPS_PROXY']) out[name] = proxy;
    return out;
  }
  for (const name of proxyVars) {
    for (const key of [name, name.toLowerCase()]) {
      const value = process.env[key];
      if (value !== undefined && value !== '') out[key] = value;
    }
  }
  return out;
}

/**
 * The environment and settings one git invocation runs with. Credentials reach git only through the
 * environment (askpass) and 0600 files in a 0700 folder, never through arguments or URLs, so they do
 * not show in process listings, logs or error messages.
 */
export async function prepareGitEnvironment(options: GitEnvironmentOptions): Promise<GitEnvironment> {
  const creds = options.creds ?? {};
  const insecure = creds.insecure === true;
  const secrets = [creds.password, creds.sshPrivateKey, creds.tlsClientCertKey].filter(
    (s): s is string => s !== undefined && s !== '',
  );
  const needsFiles =
    (creds.sshPrivateKey ?? '') !== '' ||
    (!insecure && (creds.knownHosts ?? '') !== '') ||
    (creds.tlsClientCertData ?? '') !== '';
  const dir = needsFiles ? join(options.tmpRoot, randomBytes(8).toString('hex')) : undefined;
  const dispose = async (): Promise<void> => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  };
  try {
    if (dir !== undefined) await mkdir(dir, { recursive: true, mode: 0o700 });
    const write = async (name: string, content: string): Promise<string> => {
      const file = join(dir ?? options.tmpRoot, name);
      await writeFile(file, withNewline(content), { mode: 0o600 });
      return file;
    };
    const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
    // -F /dev/null and the explicit files keep the host's ~/.ssh (config, keys, known_hosts) out:
    // ssh finds the home directory through the password database, not $HOME.
    const ssh = [
      'ssh',
      '-F /dev/null',
      '-o BatchMode=yes',
      '-o IdentitiesOnly=yes',
      '-o IdentityAgent=none',
      `-o ConnectTimeout=${seconds}`,
      '-o LogLevel=ERROR',
      '-o GlobalKnownHostsFile=/dev/null',
    ];
    if ((creds.sshPrivateKey ?? '') !== '')
      ssh.push(`-i ${shellQuote(await write('id', creds.sshPrivateKey ?? ''))}`);
    else ssh.push('-o IdentityFile=none');
    if (insecure) ssh.push('-o StrictHostKeyChecking=no', '-o UserKnownHostsFile=/dev/null');
    else {
      const knownHosts =
        (creds.knownHosts ?? '') === '' ? '/dev/null' : await write('known_hosts', creds.knownHosts ?? '');
      ssh.push('-o StrictHostKeyChecking=yes', `-o UserKnownHostsFile=${shellQuote(knownHosts)}`);
    }

    // A stalled transfer is abandoned by curl itself too, so a helper process orphaned by the kill
    // at timeoutMs does not hang on.
    const config = ['http.lowSpeedLimit=1', `http.lowSpeedTime=${seconds}`];
    if (insecure) config.push('http.sslVerify=false');
    if ((creds.tlsClientCertData ?? '') !== '') {
      config.push(`http.sslCert=${await write('client.crt', creds.tlsClientCertData ?? '')}`);
      if ((creds.tlsClientCertKey ?? '') !== '')
        config.push(`http.sslKey=${await write('client.key', creds.tlsClientCertKey ?? '')}`);
    }

    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: options.home,
      // git's messages are classified by their text, so they must be in English.
      LANG: 'C',
      LC_ALL: 'C',
      GIT_CEILING_DIRECTORIES: options.ceiling,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: options.askPass,
      GIT_SSH_COMMAND: ssh.join(' '),
      // Paths given to ls-tree/diff are file names, never pathspec magic.
      GIT_LITERAL_PATHSPECS: '1',
      CAPSTAN_GIT_USERNAME: creds.username ?? '',
      CAPSTAN_GIT_PASSWORD: creds.password ?? '',
      ...proxyEnv(creds.proxy),
    };
    if (creds.proxy !== undefined) secrets.push(...proxySecrets(creds.proxy));
    return { env, config, secrets, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** The password in a proxy URL (`http://user:pass@proxy:3128`), so it can be masked too. */
function proxySecrets(proxy: string): string[] {
  try {
    const u = new URL(proxy);
    return u.password === '' ? [] : [decodeURIComponent(u.password)];
  } catch {
    return [];
  }
}

/** Environment keys simple-git must let through to git (it strips every other GIT_* key). */
export const allowedGitEnvironment = [
  'GIT_CEILING_DIRECTORIES',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_CONFIG_GLOBAL',
  'GIT_TERMINAL_PROMPT',
  'GIT_ASKPASS',
  'GIT_SSH_COMMAND',
  'GIT_LITERAL_PATHSPECS',
] as const;
