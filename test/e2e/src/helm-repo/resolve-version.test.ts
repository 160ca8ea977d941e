import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type Clock } from '@capstan/runtime';
import { indexRepo, startHelmRepoServer, type HelmRepoServer } from '@capstan/testkit';
import {
  createHelmRepoClient,
  expectError,
  helm,
  mychartVersions,
  packageCharts,
  removeScratch,
  scratch,
  type HelmRepoClient,
  type HelmRepoClientOptions,
} from './fixtures.ts';

let work: string;
let repoDir: string;
let server: HelmRepoServer;

const client = (options: Partial<HelmRepoClientOptions> = {}): HelmRepoClient =>
  createHelmRepoClient({
    cacheDir: join(work, 'cache'),
    timeoutMs: 10_000,
    logger: silentLogger,
    ...options,
  });
const indexFetches = (): number => server.requests.filter((r) => r.path === '/charts/index.yaml').length;

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

describe('index', () => {
  it('lists every chart of a real `helm repo index`, newest version first', async () => {
    const index = await client().index(server.url);
    expect([...index.keys()].sort()).toEqual(['mychart', 'other']);
    expect(index.get('mychart')?.map((v) => v.version)).toEqual([...mychartVersions].reverse());
    expect(index.get('other')?.map((v) => v.version)).toEqual(['v1.16.0', 'v1.15.0']);
    const v120 = index.get('mychart')?.find((v) => v.version === '1.2.0');
    expect(v120).toMatchObject({
      name: 'mychart',
      appVersion: 'app-1.2.0',
      urls: [`${server.url}/mychart-1.2.0.tgz`],
    });
    expect(v120?.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reuses a fetched index until it expires, unless noCache', async () => {
    let now = 1_000_000;
    const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
    const c = client({ clock, indexCacheMs: 60_000 });
    const before = indexFetches();
    await c.index(server.url);
    await c.index(server.url);
    expect(indexFetches()).toBe(before + 1);
    await c.index(server.url, undefined, { noCache: true });
    expect(indexFetches()).toBe(before + 2);
    now += 60_001;
    await c.index(server.url);
    expect(indexFetches()).toBe(before + 3);
  });

  it('collapses concurrent fetches of one repository into one request', async () => {
    const c = client();
    const before = indexFetches();
    const results = await Promise.all(Array.from({ length: 8 }, () => c.index(server.url)));
    expect(indexFetches()).toBe(before + 1);
    expect(new Set(results).size).toBe(1);
  });

  it('is NotFound when the repository has no index.yaml', async () => {
    await expectError(
      client().index(`${server.url}/nothing-here/`),
      'NotFound',
      `no index.yaml at ${server.url}/nothing-here`,
    );
  });

  it('is InvalidArgument, naming the repository, when index.yaml is malformed', async () => {
    await mkdir(join(repoDir, 'broken'), { recursive: true });
    await writeFile(join(repoDir, 'broken', 'index.yaml'), 'apiVersion: v1\nentries: [\n  - {unclosed\n');
    await expectError(
      client().index(`${server.url}/broken`),
      'InvalidArgument',
      'malformed index.yaml',
      `${server.url}/broken`,
    );
  });

  it('is ResourceExhausted when index.yaml is larger than the cap', async () => {
    await expectError(
      client({ maxIndexBytes: 1024 }).index(server.url),
      'ResourceExhausted',
      'index.yaml',
      '1024',
    );
  });
});

describe('resolveVersion', () => {
  const resolve = async (chart: string, constraint: string): Promise<string> =>
    (await client().resolveVersion(server.url, chart, constraint)).version;

  it('takes an exact version', async () => {
    expect(await resolve('mychart', '1.2.0')).toBe('1.2.0');
    expect(await resolve('mychart', '0.1.0')).toBe('0.1.0');
  });

  it('takes the highest release a caret, tilde, range or x-range allows', async () => {
    expect(await resolve('mychart', '^1.2')).toBe('1.2.5');
    expect(await resolve('mychart', '~1.2.0')).toBe('1.2.5');
    expect(await resolve('mychart', '>=1.0 <2')).toBe('1.2.5');
    expect(await resolve('mychart', '>=1.0, <2')).toBe('1.2.5');
    expect(await resolve('mychart', '1.x')).toBe('1.2.5');
    expect(await resolve('mychart', '0.x')).toBe('0.1.0');
  });

  it('takes the latest release for "" and "*", skipping the prerelease', async () => {
    expect(await resolve('mychart', '')).toBe('2.0.0');
    expect(await resolve('mychart', '*')).toBe('2.0.0');
  });

  it('takes a prerelease only when the constraint names one', async () => {
    expect(await resolve('mychart', '1.3.0-beta.1')).toBe('1.3.0-beta.1');
    expect(await resolve('mychart', '>=1.3.0-0 <2')).toBe('1.3.0-beta.1');
    // 1.3.0-beta.1 is the only version between 1.2.5 and 2, and this constraint names no prerelease.
    await expectError(client().resolveVersion(server.url, 'mychart', '>1.2.5 <2'), 'NotFound', '>1.2.5 <2');
  });

  it('matches v-prefixed versions with and without the v', async () => {
    expect(await resolve('other', 'v1.16.0')).toBe('v1.16.0');
    expect(await resolve('other', '1.15.0')).toBe('v1.15.0');
    expect(await resolve('other', '~v1.15')).toBe('v1.15.0');
    expect(await resolve('other', '')).toBe('v1.16.0');
    expect(await resolve('mychart', 'v1.2.0')).toBe('1.2.0');
  });

  it('is NotFound naming chart, constraint and repository for an unknown chart', async () => {
    await expectError(
      client().resolveVersion(server.url, 'nope', '^1.0'),
      'NotFound',
      '"nope"',
      '^1.0',
      server.url,
    );
  });

  it('is NotFound naming chart, constraint and repository when no version matches', async () => {
    await expectError(
      client().resolveVersion(server.url, 'mychart', '>=3'),
      'NotFound',
      '"mychart"',
      '>=3',
      server.url,
    );
    await expectError(client().resolveVersion(server.url, 'mychart', '~1.3'), 'NotFound', '~1.3');
  });

  it('is InvalidArgument for text that is neither a listed version nor a constraint', async () => {
    await expectError(
      client().resolveVersion(server.url, 'mychart', 'banana'),
      'InvalidArgument',
      'banana',
      'mychart',
    );
  });
});
