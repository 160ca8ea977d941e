import { execFile } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

export interface HelmRepoServerOptions {
  /** Folder served as the repository: index.yaml and *.tgz. */
  readonly dir: string;
  /** When set, every request needs these credentials (HTTP basic auth). */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Path the repository lives under, e.g. '/charts'; the default is the root. */
  readonly pathPrefix?: string;
}

export interface HelmRepoServerRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Whether the request carried an Authorization header (of any kind, right or wrong). */
  readonly authorization: boolean;
}

export interface HelmRepoServer extends AsyncDisposable {
  /** http://127.0.0.1:<port><pathPrefix>: the repository URL to give a Helm client. */
  readonly url: string;
  /** Requests served so far, so tests can assert what was fetched, how often, and with what. */
  readonly requests: readonly HelmRepoServerRequest[];
  close(): Promise<void>;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function authorized(req: IncomingMessage, auth: HelmRepoServerOptions['auth']): boolean {
  if (auth === undefined) return true;
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep < 0) return false;
  // Evaluate both comparisons so the timing does not reveal which half was wrong.
  return [
    safeEqual(decoded.slice(0, sep), auth.username),
    safeEqual(decoded.slice(sep + 1), auth.password),
  ].every(Boolean);
}

const contentTypes: Readonly<Record<string, string>> = {
  '.yaml': 'application/x-yaml',
  '.tgz': 'application/gzip',
  '.prov': 'application/pgp-signature',
};

/**
 * A static Helm chart repository over HTTP on loopback, like a GitHub Pages or S3-hosted one: GET and
 * HEAD of files under `dir`, optionally behind basic auth and a path prefix.
 */
export async function startHelmRepoServer(options: HelmRepoServerOptions): Promise<HelmRepoServer> {
  const root = resolve(options.dir);
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '').replace(/^(?=[^/])/, '/');
  const requests: HelmRepoServerRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const reply = (status: number, headers: Record<string, string | number> = {}): ServerResponse => {
      requests.push({
        method: req.method ?? 'GET',
        path,
        status,
        authorization: req.headers.authorization !== undefined,
      });
      return res.writeHead(status, headers);
    };
    if (!authorized(req, options.auth)) {
      reply(401, { 'www-authenticate': 'Basic realm="capstan-test-helm"' }).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!path.startsWith(`${prefix}/`)) {
      reply(404).end();
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(path.slice(prefix.length + 1));
    } catch {
      reply(400).end();
      return;
    }
    const file = resolve(root, relative);
    if (relative.includes('\0') || !file.startsWith(`${root}${sep}`)) {
      reply(404).end();
      return;
    }
    const st = await stat(file).catch(() => undefined);
    if (st?.isFile() !== true) {
      reply(404).end();
      return;
    }
    const ext = file.slice(file.lastIndexOf('.'));
    reply(200, {
      'content-type': contentTypes[ext] ?? 'application/octet-stream',
      'content-length': st.size,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const close = (): Promise<void> =>
    new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}

const run = promisify(execFile);

/** Runs the real helm with its config, cache and data homes in a throwaway folder. */
async function helm(binary: string, args: readonly string[]): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'capstan-helm-home-'));
  try {
    const { stdout } = await run(binary, args, {
      env: {
        ...process.env,
        HELM_CONFIG_HOME: join(home, 'config'),
        HELM_CACHE_HOME: join(home, 'cache'),
        HELM_DATA_HOME: join(home, 'data'),
      },
    });
    return stdout;
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * `helm package <chartDir> -d <outDir>` with the real helm (from `locateToolchain().helm`), optionally
 * overriding the chart's version and appVersion. Returns the archive's path.
 */
export async function packageChart(
  toolchainHelm: string,
  chartDir: string,
  outDir: string,
  options: { readonly version?: string; readonly appVersion?: string } = {},
): Promise<string> {
  const args = ['package', chartDir, '--destination', outDir];
  if (options.version !== undefined) args.push('--version', options.version);
  if (options.appVersion !== undefined) args.push('--app-version', options.appVersion);
  const out = await helm(toolchainHelm, args);
  const saved = /saved it to: (.+\.tgz)\s*$/m.exec(out)?.[1];
  if (saved === undefined) throw new Error(`helm package printed no archive path: ${out}`);
  return saved;
}

/**
 * `helm repo index <dir> [--url <url>]` with the real helm: writes `<dir>/index.yaml` listing every
 * archive in `dir` with its sha256 digest. Without `url` the chart URLs in the index are relative.
 */
export async function indexRepo(toolchainHelm: string, dir: string, url?: string): Promise<void> {
  await helm(toolchainHelm, ['repo', 'index', dir, ...(url === undefined ? [] : ['--url', url])]);
}
