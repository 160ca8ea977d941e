import { copyFile, mkdir, readFile, readdir, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { c as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { silentLogger } from '@capstan/runtime';
import { indexRepo, startHelmRepoServer, type HelmRepoServer } from '@capstan/testkit';
import {
  craftTgz,
  createHelmRepoClient,
  expectError,
  helm,
  listTree,
  packageCharts,
  readText,
  removeScratch,
  scratch,
  serveArchive,
  type HelmRepoClient,
  type HelmRepoClientOptions,
} from './fixtures.ts';

let work: string;
let repoDir: string;
let server: HelmRepoServer;

const client = (cache: string, options: Partial<HelmRepoClientOptions> = {}): HelmRepoClient =>
  createHelmRepoClient({ cacheDir: join(work, cache), timeoutMs: 10_000, logger: silentLogger, ...options });
const downloads = (s: HelmRepoServer, file: string): number =>
  s.requests.filter((r) => r.path.endsWith(`/${file}`)).length;

beforeAll(async () => {
  work = await scratch();
  repoDir = join(work, 'repo');
  await packageCharts(work, repoDir);
  server = await startHelmRepoServer({ dir: repoDir, pathPrefix: '/charts' });
  await indexRepo(helm(), repoDir, server.url);
});

afterAll(async () => {
  await server.close();
  await removeScratch(work);
});

describe('pullChart', () => {
  it('downloads, verifies and extracts a chart whose Chart.yaml is at the root of the returned folder', async () => {
    const c = client('cache-extract');
    const version = await c.resolveVersion(server.url, 'mychart', '1.2.0');
    const dir = await c.pullChart(server.url, version);
    const chart = parse(await readText(join(dir, 'Chart.yaml'))) as Record<string, unknown>;
    expect(chart).toMatchObject({ name: 'mychart', version: '1.2.0', appVersion: 'app-1.2.0' });
    expect(await readdir(join(dir, 'templates'))).toContain('deployment.yaml');
    expect(dir).toContain(version.digest);
  });

  it('leaves the chart read-only', async () => {
    const c = client('cache-readonly');
    const dir = await c.pullChart(server.url, await c.resolveVersion(server.url, 'mychart', '1.0.0'));
    for (const path of [
      dir,
      join(dir, 'Chart.yaml'),
      join(dir, 'templates'),
      join(dir, 'templates', 'service.yaml'),
    ]) {
      expect((await stat(path)).mode & 0o222, path).toBe(0);
    }
  });

  it('downloads a digest once: later pulls, even by a new client on the same cache, reuse it', async () => {
    const first = client('cache-once');
    const version = await first.resolveVersion(server.url, 'mychart', '0.1.0');
    const before = downloads(server, 'mychart-0.1.0.tgz');
    const a = await first.pullChart(server.url, version);
    const b = await first.pullChart(server.url, version);
    const c = await client('cache-once').pullChart(server.url, version);
    expect(downloads(server, 'mychart-0.1.0.tgz')).toBe(before + 1);
    expect(new Set([a, b, c]).size).toBe(1);
  });

  it('collapses concurrent pulls of one digest into one download', async () => {
    const c = client('cache-concurrent');
    const version = await c.resolveVersion(server.url, 'other', 'v1.16.0');
    const before = downloads(server, 'other-v1.16.0.tgz');
    const dirs = await Promise.all(Array.from({ length: 6 }, () => c.pullChart(server.url, version)));
    expect(downloads(server, 'other-v1.16.0.tgz')).toBe(before + 1);
    expect(new Set(dirs).size).toBe(1);
    expect(parse(await readText(join(dirs[0]!, 'Chart.yaml')))).toMatchObject({
      name: 'other',
      version: 'v1.16.0',
    });
  });

  it('resolves relative chart URLs against a repository URL with a path', async () => {
    const relDir = join(work, 'relative');
    await mkdir(relDir);
    await copyFile(join(repoDir, 'mychart-1.2.5.tgz'), join(relDir, 'mychart-1.2.5.tgz'));
    await indexRepo(helm(), relDir);
    await using rel = await startHelmRepoServer({ dir: relDir, pathPrefix: '/deep/path' });
    const c = client('cache-relative');
    const version = await c.resolveVersion(rel.url, 'mychart', '1.2.5');
    expect(version.urls).toEqual(['mychart-1.2.5.tgz']);
    const dir = await c.pullChart(`${rel.url}/`, version);
    expect(parse(await readText(join(dir, 'Chart.yaml')))).toMatchObject({ version: '1.2.5' });
    expect(rel.requests.map((r) => `${r.path} ${r.status}`)).toContain('/deep/path/mychart-1.2.5.tgz 200');
  });

  it('refuses an archive whose sha256 differs from the index digest, keeping nothing', async () => {
    const tamperedDir = join(work, 'tampered');
    await mkdir(tamperedDir);
    await copyFile(join(repoDir, 'mychart-2.0.0.tgz'), join(tamperedDir, 'mychart-2.0.0.tgz'));
    await using tampered = await startHelmRepoServer({ dir: tamperedDir });
    await indexRepo(helm(), tamperedDir, tampered.url);
    // Swap the archive after indexing: the index now describes bytes the server no longer serves.
    await copyFile(join(repoDir, 'mychart-1.0.0.tgz'), join(tamperedDir, 'mychart-2.0.0.tgz'));
    const c = client('cache-tampered');
    const version = await c.resolveVersion(tampered.url, 'mychart', '2.0.0');
    const err = await expectError(
      c.pullChart(tampered.url, version),
      'Unavailable',
      'sha256',
      version.digest,
      'mychart-2.0.0',
    );
    expect(err.message).toMatch(/refusing/);
    expect(await listTree(join(work, 'cache-tampered'))).not.toContainEqual(
      expect.stringMatching(/\.tgz$|charts\/./),
    );
  });

  it('refuses a digest that is not a sha256 before touching the disk', async () => {
    const c = client('cache-bad-digest');
    const version = await c.resolveVersion(server.url, 'mychart', '1.2.0');
    await expectError(
      c.pullChart(server.url, { ...version, digest: '../../etc' }),
      'InvalidArgument',
      'digest',
    );
    expect(await listTree(join(work, 'cache-bad-digest'))).toEqual([]);
  });
});

describe('pullChart on hostile archives', () => {
  const chartYaml = Buffer.from('apiVersion: v2\nname: evil\nversion: 1.0.0\n');

  async function pullCrafted(name: string, archive: Buffer, options: Partial<HelmRepoClientOptions> = {}) {
    const version = await serveArchive(repoDir, name, archive);
    const cache = `cache-${name}`;
    return { version, cache, pull: client(cache, options).pullChart(server.url, version) };
  }

  it('refuses an entry climbing out with ..', async () => {
    const archive = craftTgz([
      { path: 'evil/Chart.yaml', body: chartYaml },
      { path: 'evil/../../escape.txt', body: Buffer.from('pwned') },
    ]);
    const { pull, cache } = await pullCrafted('dotdot', archive);
    await expectError(pull, 'InvalidArgument', 'evil/../../escape.txt', '..');
    expect((await listTree(work)).filter((p) => p.endsWith('escape.txt'))).toEqual([]);
    expect(await listTree(join(work, cache, 'charts'))).toEqual([]);
  });

  it('refuses an absolute entry path', async () => {
    const archive = craftTgz([
      { path: 'evil/Chart.yaml', body: chartYaml },
      { path: '/tmp/capstan-absolute.txt', body: Buffer.from('pwned') },
    ]);
    const { pull } = await pullCrafted('absolute', archive);
    await expectError(pull, 'InvalidArgument', 'absolute');
  });

  /** A chart archive made by node-tar from real files, with one real symlink in it. */
  async function tarWithSymlink(name: string, target: string): Promise<Buffer> {
    const src = join(work, `${name}-src`);
    await mkdir(join(src, 'evil', 'templates'), { recursive: true });
    await writeFile(join(src, 'evil', 'Chart.yaml'), chartYaml);
    await symlink(target, join(src, 'evil', 'templates', 'link.yaml'));
    const file = join(work, `${name}.tgz`);
    await createTar({ gzip: true, cwd: src, file, portable: true }, ['evil']);
    return readFile(file);
  }

  it('refuses a symlink climbing out of the chart, made by tar from a real symlink', async () => {
    const { pull, cache } = await pullCrafted(
      'symlink-up',
      await tarWithSymlink('symlink-up', '../../../../etc/passwd'),
    );
    await expectError(pull, 'InvalidArgument', 'symlink "evil/templates/link.yaml" points outside the chart');
    expect(await listTree(join(work, cache, 'charts'))).toEqual([]);
  });

  it('refuses a symlink to an absolute path (which tar would quietly make relative)', async () => {
    const { pull, cache } = await pullCrafted(
      'symlink-abs',
      await tarWithSymlink('symlink-abs', '/etc/passwd'),
    );
    await expectError(
      pull,
      'InvalidArgument',
      'symlink "evil/templates/link.yaml" points to the absolute path',
    );
    expect(await listTree(join(work, cache, 'charts'))).toEqual([]);
  });

  it('refuses entries written through a symlink inside the chart', async () => {
    const archive = craftTgz([
      { path: 'evil/Chart.yaml', body: chartYaml },
      { path: 'evil/a/b/c', type: 'Directory' },
      { path: 'evil/a/b/c/up', type: 'SymbolicLink', linkpath: '../../..' },
      { path: 'evil/a/b/c/up/../../x', body: Buffer.from('x') },
      { path: 'evil/a/b/c/up/x', body: Buffer.from('x') },
    ]);
    const { pull } = await pullCrafted('through-symlink', archive);
    await expectError(pull, 'InvalidArgument');
    const archive2 = craftTgz([
      { path: 'evil/Chart.yaml', body: chartYaml },
      { path: 'evil/link', type: 'SymbolicLink', linkpath: 'templates' },
      { path: 'evil/link/x.yaml', body: Buffer.from('x') },
    ]);
    const second = await pullCrafted('through-symlink-2', archive2);
    await expectError(second.pull, 'InvalidArgument', 'through the symlink "evil/link"');
  });

  it('refuses a hard link to a file outside the chart, and devices', async () => {
    const hardLink = craftTgz([
      { path: 'evil/Chart.yaml', body: chartYaml },
      { path: 'evil/shadow', type: 'Link', linkpath: '../../etc/shadow' },
    ]);
    await expectError((await pullCrafted('hardlink', hardLink)).pull, 'InvalidArgument', 'hard link');
    const device = craftTgz([
      { path: 'evil/Chart.yaml', body: chartYaml },
      { path: 'evil/null', type: 'CharacterDevice', devmaj: 1, devmin: 3 },
    ]);
    await expectError((await pullCrafted('device', device)).pull, 'InvalidArgument', 'CharacterDevice');
  });

  it('accepts a symlink that stays inside the chart', async () => {
    const archive = craftTgz([
      { path: 'fine/Chart.yaml', body: Buffer.from('apiVersion: v2\nname: fine\nversion: 1.0.0\n') },
      { path: 'fine/files/real.txt', body: Buffer.from('hello') },
      { path: 'fine/templates/link.txt', type: 'SymbolicLink', linkpath: '../files/real.txt' },
    ]);
    const { pull } = await pullCrafted('inside-symlink', archive);
    const dir = await pull;
    expect(await readText(join(dir, 'templates', 'link.txt'))).toBe('hello');
  });

  it('stops a bomb (50 MB of zeros in ~50 KB) at the uncompressed cap, naming the chart', async () => {
    const src = join(work, 'bomb-src');
    await mkdir(join(src, 'bomb'), { recursive: true });
    await writeFile(join(src, 'bomb', 'Chart.yaml'), 'apiVersion: v2\nname: bomb\nversion: 1.0.0\n');
    await writeFile(join(src, 'bomb', 'zeros'), '');
    await truncate(join(src, 'bomb', 'zeros'), 50 * 1024 * 1024);
    const file = join(work, 'bomb.tgz');
    await createTar({ gzip: true, cwd: src, file, portable: true }, ['bomb']);
    const bytes = await readFile(file);
    expect(bytes.length).toBeLessThan(200 * 1024);
    const { pull, cache } = await pullCrafted('bomb', bytes, { maxChartBytes: 1024 * 1024 });
    await expectError(pull, 'ResourceExhausted', 'bomb', String(10 * 1024 * 1024));
    expect(await listTree(join(work, cache, 'charts'))).toEqual([]);
  });

  it('stops when many files together exceed the uncompressed cap', async () => {
    const eightMiB = Buffer.alloc(8 * 1024 * 1024);
    const archive = craftTgz([
      { path: 'many/Chart.yaml', body: chartYaml },
      ...['a', 'b', 'c'].map((n) => ({ path: `many/${n}`, body: eightMiB })),
    ]);
    const { pull } = await pullCrafted('many', archive, { maxChartBytes: 2 * 1024 * 1024 });
    await expectError(pull, 'ResourceExhausted', 'many');
  });

  it('stops at the cap even when the bytes are padding no entry declares', async () => {
    // A tiny valid chart followed by 30 MiB of zero blocks after the end-of-archive marker.
    const chart = craftTgz([{ path: 'padded/Chart.yaml', body: chartYaml }]);
    const padded = gzipSync(Buffer.concat([gunzipSync(chart), Buffer.alloc(30 * 1024 * 1024)]));
    const { pull } = await pullCrafted('padded', padded, { maxChartBytes: 1024 * 1024 });
    await expectError(pull, 'ResourceExhausted', 'padded', String(10 * 1024 * 1024));
  });

  it('refuses a compressed archive larger than the cap before extracting', async () => {
    const c = client('cache-small', { maxChartBytes: 1024 });
    const version = await c.resolveVersion(server.url, 'mychart', '1.2.0');
    await expectError(c.pullChart(server.url, version), 'ResourceExhausted', 'mychart-1.2.0', '1024');
  });

  it('refuses an archive without Chart.yaml at the chart root, and one with two top folders', async () => {
    const noChart = craftTgz([{ path: 'nochart/values.yaml', body: Buffer.from('a: 1\n') }]);
    await expectError((await pullCrafted('nochart', noChart)).pull, 'InvalidArgument', 'Chart.yaml');
    const twoTops = craftTgz([
      { path: 'one/Chart.yaml', body: chartYaml },
      { path: 'two/Chart.yaml', body: chartYaml },
    ]);
    await expectError((await pullCrafted('twotops', twoTops)).pull, 'InvalidArgument', 'one directory');
  });
});
