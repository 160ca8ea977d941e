import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@capstan/runtime';
import { freePort, indexRepo, startHelmRepoServer, type HelmRepoServer } from '@capstan/testkit';
import {
  createHelmRepoClient,
  expectError,
  helm,
  packageCharts,
  removeScratch,
  scratch,
  type HelmRepoClient,
  type HelmRepoClientOptions,
} from './fixtures.ts';

const username = 'chart-reader';
const password = 'S3cr3t-pa55word';
const basic = Buffer.from(`${username}:${password}`).toString('base64');

let work: string;
let repoDir: string;
let secured: HelmRepoServer;

const client = (options: Partial<HelmRepoClientOptions> = {}): HelmRepoClient =>
  createHelmRepoClient({
    cacheDir: join(work, 'cache'),
    timeoutMs: 10_000,
    logger: silentLogger,
    ...options,
  });

/** Neither the message nor the details of an error may carry the password or the Authorization value. */
function expectNoSecret(err: Error & { details?: unknown }): void {
  const text = `${err.message} ${JSON.stringify(err.details ?? {})}`;
  expect(text).not.toContain(password);
  expect(text).not.toContain(basic);
  expect(text.toLowerCase()).not.toContain('authorization');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}

beforeAll(async () => {
  work = await scratch();
  repoDir = join(work, 'repo');
  await packageCharts(work, repoDir);
  secured = await startHelmRepoServer({ dir: repoDir, auth: { username, password } });
  await indexRepo(helm(), repoDir, secured.url);
});

afterAll(async () => {
  await secured.close();
  await removeScratch(work);
});

describe('basic auth', () => {
  it('reads the index and pulls a chart with the right credentials', async () => {
    const c = client();
    const version = await c.resolveVersion(secured.url, 'mychart', '^1.0', { username, password });
    expect(version.version).toBe('1.2.5');
    const dir = await c.pullChart(secured.url, version, { username, password });
    expect(await readFile(join(dir, 'Chart.yaml'), 'utf8')).toContain('name: mychart');
    const archive = secured.requests.filter((r) => r.path === '/mychart-1.2.5.tgz');
    expect(archive).toEqual([
      { method: 'GET', path: '/mychart-1.2.5.tgz', status: 200, authorization: true },
    ]);
  });

  it('takes credentials written into the repository URL', async () => {
    const url = secured.url.replace('http://', `http://${username}:${encodeURIComponent(password)}@`);
    expect((await client().index(url)).has('mychart')).toBe(true);
  });

  it('is Unauthenticated with a wrong password, which no message repeats', async () => {
    const wrong = `${password}-wrong`;
    const err = await expectError(
      client().index(secured.url, { username, password: wrong }),
      'Unauthenticated',
      secured.url,
      '401',
    );
    expectNoSecret(err);
    expect(err.message).not.toContain(wrong);
    const inUrl = secured.url.replace('http://', `http://${username}:${wrong}@`);
    const err2 = await expectError(client().index(inUrl), 'Unauthenticated');
    expect(err2.message).not.toContain(wrong);
  });

  it('is Unauthenticated without credentials', async () => {
    await expectError(client().index(secured.url), 'Unauthenticated', 'anonymous');
  });

  it('does not reuse an index fetched with other credentials', async () => {
    const c = client();
    await c.index(secured.url, { username, password });
    await expectError(c.index(secured.url, { username, password: 'guess' }), 'Unauthenticated');
  });
});

describe('credentials stay on the repository origin', () => {
  it('sends no Authorization header to a chart URL on another origin', async () => {
    const cdnDir = join(work, 'cdn');
    const indexDir = join(work, 'cross-index');
    await mkdir(cdnDir);
    await mkdir(indexDir);
    await copyFile(join(repoDir, 'mychart-2.0.0.tgz'), join(cdnDir, 'mychart-2.0.0.tgz'));
    await using cdn = await startHelmRepoServer({ dir: cdnDir });
    await using repo = await startHelmRepoServer({ dir: indexDir, auth: { username, password } });
    await indexRepo(helm(), cdnDir, cdn.url);
    await copyFile(join(cdnDir, 'index.yaml'), join(indexDir, 'index.yaml'));

    const c = client({ cacheDir: join(work, 'cache-cross') });
    const version = await c.resolveVersion(repo.url, 'mychart', '2.0.0', { username, password });
    expect(version.urls).toEqual([`${cdn.url}/mychart-2.0.0.tgz`]);
    await c.pullChart(repo.url, version, { username, password });

    expect(repo.requests).toEqual([{ method: 'GET', path: '/index.yaml', status: 200, authorization: true }]);
    expect(cdn.requests).toEqual([
      { method: 'GET', path: '/mychart-2.0.0.tgz', status: 200, authorization: false },
    ]);
  });

  it('fails as anonymous when the other origin wants credentials, proving none were sent', async () => {
    const otherDir = join(work, 'other-origin');
    const indexDir = join(work, 'cross-index-2');
    await mkdir(otherDir);
    await mkdir(indexDir);
    await copyFile(join(repoDir, 'mychart-1.0.0.tgz'), join(otherDir, 'mychart-1.0.0.tgz'));
    await using other = await startHelmRepoServer({ dir: otherDir, auth: { username, password } });
    await using repo = await startHelmRepoServer({ dir: indexDir, auth: { username, password } });
    await indexRepo(helm(), otherDir, other.url);
    await copyFile(join(otherDir, 'index.yaml'), join(indexDir, 'index.yaml'));
    const c = client({ cacheDir: join(work, 'cache-cross-2') });
    const version = await c.resolveVersion(repo.url, 'mychart', '1.0.0', { username, password });
    await expectError(
      c.pullChart(repo.url, version, { username, password }),
      'Unauthenticated',
      'anonymous access',
    );
    expect(other.requests.map((r) => `${r.path} ${r.status} ${r.authorization}`)).toEqual([
      '/mychart-1.0.0.tgz 401 false',
    ]);
  });

  it('drops credentials when the repository redirects to another origin', async () => {
    await using target = await startHelmRepoServer({ dir: repoDir });
    const seen: (string | undefined)[] = [];
    const redirector = createHttpServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(302, { location: `${target.url}${req.url ?? '/'}` }).end();
    });
    const host = await listen(redirector);
    try {
      const index = await client().index(`http://${host}`, { username, password });
      expect(index.has('mychart')).toBe(true);
      expect(seen).toEqual([`Basic ${basic}`]);
      expect(target.requests).toEqual([
        { method: 'GET', path: '/index.yaml', status: 200, authorization: false },
      ]);
    } finally {
      await closeServer(redirector);
    }
  });
});

describe('transport failures', () => {
  it('is Unavailable when nothing listens on the port', async () => {
    const port = await freePort();
    await expectError(
      client().index(`http://127.0.0.1:${port}`),
      'Unavailable',
      'connection refused',
      `127.0.0.1:${port}`,
    );
  });

  it('maps 403 to PermissionDenied and server errors to Unavailable', async () => {
    const statuses = createHttpServer((req, res) => void res.writeHead(Number(req.url?.split('/')[1])).end());
    const host = await listen(statuses);
    try {
      await expectError(client().index(`http://${host}/403`), 'PermissionDenied', '403');
      await expectError(client().index(`http://${host}/503`), 'Unavailable', '503');
      await expectError(
        client().index(`http://${host}/410`),
        'NotFound',
        `no index.yaml at http://${host}/410`,
      );
    } finally {
      await closeServer(statuses);
    }
  });

  it('is DeadlineExceeded when the repository never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createTcpServer((socket) => void sockets.add(socket));
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      await expectError(
        client({ timeoutMs: 300 }).index(`http://127.0.0.1:${port}`),
        'DeadlineExceeded',
        '300 ms',
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => silent.close(() => done()));
    }
  });

  describe('over TLS', () => {
    let ca: string;
    let tlsServer: Server;
    let tlsUrl: string;

    beforeAll(async () => {
      const dir = join(work, 'tls');
      await mkdir(dir);
      await promisify(execFile)('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=capstan-test-helm',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]);
      ca = await readFile(join(dir, 'cert.pem'), 'utf8');
      const key = await readFile(join(dir, 'key.pem'), 'utf8');
      const index = await readFile(join(repoDir, 'index.yaml'));
      tlsServer = createHttpsServer({ key, cert: ca }, (_req, res) => void res.writeHead(200).end(index));
      tlsUrl = `https://${await listen(tlsServer)}`;
    });

    afterAll(async () => {
      await closeServer(tlsServer);
    });

    it('is Unavailable when the certificate is not trusted', async () => {
      await expectError(client().index(tlsUrl), 'Unavailable', 'TLS');
    });

    it('trusts the repository CA given as caData, or skips verification when insecure', async () => {
      expect((await client().index(tlsUrl, { caData: ca })).has('mychart')).toBe(true);
      expect((await client().index(tlsUrl, { insecure: true })).has('other')).toBe(true);
    });

    it('is InvalidArgument when caData is not PEM', async () => {
      await expectError(client().index(tlsUrl, { caData: 'not a certificate' }), 'InvalidArgument', 'caData');
    });
  });
});
