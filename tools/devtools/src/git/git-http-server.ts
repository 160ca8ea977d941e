import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireProgram } from '../which.ts';

export interface GitHttpServerOptions {
  /** Folder holding bare repositories (`<name>.git`). */
  readonly root: string;
  /** When set, every request needs these credentials (HTTP basic auth). */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
}

export interface GitHttpServer extends AsyncDisposable {
  /** http://127.0.0.1:<port> — a repository is at `${baseUrl}/<name>.git`. */
  readonly baseUrl: string;
  /** Requests served so far, by path, so tests can assert how often a remote was hit. */
  readonly requests: readonly { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function authorized(req: IncomingMessage, auth: GitHttpServerOptions['auth']): string | undefined | false {
  if (auth === undefined) return undefined;
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  const user = decoded.slice(0, sep);
  const pass = decoded.slice(sep + 1);
  // Evaluate both comparisons so the timing does not reveal which half was wrong.
  const ok = [safeEqual(user, auth.username), safeEqual(pass, auth.password)].every(Boolean);
  return ok ? user : false;
}

/**
 * Serves bare repositories over smart HTTP through the real `git http-backend` CGI, on loopback.
 * Clones, fetches, ls-remote and pushes work exactly as against a hosted Git server.
 */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const git = requireProgram('git', "install it with 'apt-get install git'");
  const requests: { method: string; path: string; status: number }[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const record = (status: number): void =>
      void requests.push({ method: req.method ?? 'GET', path: url.pathname, status });
    const user = authorized(req, options.auth);
    if (user === false) {
      record(401);
      res.writeHead(401, { 'www-authenticate': 'Basic realm="capstan-git"' }).end();
      return;
    }
    if (url.pathname.includes('..')) {
      record(400);
      res.writeHead(400).end();
      return;
    }
    const cgi = spawn(git, ['http-backend'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        GIT_PROJECT_ROOT: options.root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_HTTP_RECEIVE_PACK: 'true',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: options.root,
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        REMOTE_USER: user ?? 'anonymous',
        ...(req.headers['content-encoding'] === undefined
          ? {}
          : { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }),
        ...(typeof req.headers['git-protocol'] === 'string'
          ? { GIT_PROTOCOL: req.headers['git-protocol'] }
          : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersSent = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim().toLowerCase();
        const value = line.slice(i + 1).trim();
        if (name === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      headersSent = true;
      record(status);
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', (code) => {
      if (!headersSent) {
        record(500);
        res.writeHead(500).end(`git http-backend exited with ${code}\n`);
      } else res.end();
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}
