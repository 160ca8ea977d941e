import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey, PublicKeyAuthContext, ServerChannel } from 'ssh2';
import { requireProgram } from '@capstan/devtools';
import { generateSshKeyPair } from './ssh-keys.ts';

export interface GitSshServerOptions {
  /** Folder holding bare repositories (`<name>.git`). */
  readonly root: string;
  /** OpenSSH public key lines (`ssh-ed25519 AAAA… comment`) allowed to log in, as any user. */
  readonly authorizedKeys: readonly string[];
}

export interface GitSshServer extends AsyncDisposable {
  readonly port: number;
  /** The known_hosts line for this server: `[127.0.0.1]:<port> ssh-ed25519 AAAA…`. */
  readonly hostKeyLine: string;
  /** ssh://git@127.0.0.1:<port>/<name>.git */
  urlFor(name: string): string;
  /** Commands run so far (`git-upload-pack` …), so tests can assert how often a remote was hit. */
  readonly commands: readonly string[];
  close(): Promise<void>;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseAuthorizedKeys(lines: readonly string[]): ParsedKey[] {
  return lines.map((line) => {
    const parsed = ssh2.utils.parseKey(line.trim());
    if (parsed instanceof Error) throw new Error(`invalid authorized key: ${parsed.message}`);
    return parsed;
  });
}

/** Both the key and, when the client sends one, its signature must check out; the query step has none. */
function keyAccepted(ctx: PublicKeyAuthContext, allowed: readonly ParsedKey[]): boolean {
  const key = allowed.find((k) => k.type === ctx.key.algo && sameBytes(k.getPublicSSH(), ctx.key.data));
  if (key === undefined) return false;
  if (ctx.signature === undefined || ctx.blob === undefined) return true;
  return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo);
}

const gitCommand = /^(git-upload-pack|git-receive-pack) '([^']+)'$/;

/** The bare repository a command names, or undefined when it lies outside root or does not exist. */
async function repoDir(root: string, path: string): Promise<string | undefined> {
  try {
    const dir = await realpath(join(root, path));
    const rel = relative(root, dir);
    if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..')) return undefined;
    return (await stat(dir)).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}

function refuse(channel: ServerChannel, message: string): void {
  channel.stderr.write(`${message}\n`);
  channel.exit(128);
  channel.end();
}

/**
 * Serves bare repositories over SSH on loopback, like a hosted Git server: public-key authentication
 * only, and nothing but `git-upload-pack` / `git-receive-pack` of a repository under root, run by the
 * real git.
 */
export async function startGitSshServer(options: GitSshServerOptions): Promise<GitSshServer> {
  const git = requireProgram('git', "install it with 'apt-get install git'");
  const root = await realpath(options.root);
  const allowed = parseAuthorizedKeys(options.authorizedKeys);
  const keyDir = await mkdtemp(join(tmpdir(), 'capstan-ssh-host-'));
  const hostKey = await generateSshKeyPair(keyDir);
  const commands: string[] = [];
  const connections = new Set<Connection>();

  const serveExec = (channel: ServerChannel, command: string, gitProtocol: string | undefined): void => {
    commands.push(command);
    const match = gitCommand.exec(command);
    if (match === null) {
      refuse(channel, `command not allowed: ${command}`);
      return;
    }
    const [, program, path] = match as unknown as [string, string, string];
    void repoDir(root, path).then((dir) => {
      if (dir === undefined) {
        refuse(channel, `fatal: '${path}' does not appear to be a git repository`);
        return;
      }
      const child = spawn(git, [program.slice('git-'.length), dir], {
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: root,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          ...(gitProtocol === undefined ? {} : { GIT_PROTOCOL: gitProtocol }),
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      channel.pipe(child.stdin);
      child.stdout.pipe(channel, { end: false });
      child.stderr.pipe(channel.stderr, { end: false });
      child.stdin.on('error', () => undefined);
      channel.on('close', () => child.kill());
      child.on('close', (code) => {
        channel.exit(code ?? 1);
        channel.end();
      });
    });
  };

  const server = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'publickey' && keyAccepted(ctx, allowed)) ctx.accept();
      else ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        // git asks for protocol v2 through the environment (SendEnv GIT_PROTOCOL).
        let gitProtocol: string | undefined;
        session.on('env', (accept, _reject, info) => {
          if (info.key === 'GIT_PROTOCOL') gitProtocol = info.val;
          accept?.();
        });
        session.on('pty', (_accept, reject) => reject?.());
        session.on('shell', (_accept, reject) => reject());
        session.on('exec', (accept, _reject, info) => serveExec(accept(), info.command, gitProtocol));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const [keyType, keyData] = hostKey.publicKey.split(' ');

  const close = async (): Promise<void> => {
    for (const c of connections) c.end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(keyDir, { recursive: true, force: true });
  };
  return {
    port,
    hostKeyLine: `[127.0.0.1]:${port} ${keyType} ${keyData}`,
    urlFor: (name) => `ssh://git@127.0.0.1:${port}/${name}.git`,
    commands,
    close,
    [Symbol.asyncDispose]: close,
  };
}
