import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';
import { expect } from 'vitest';
import { locateToolchain, packageChart } from '@capstan/testkit';

import * as helmRepo from '@capstan/helm-repo';

export const createHelmRepoClient = helmRepo.createHelmRepoClient;
export type HelmChartVersion = helmRepo.HelmChartVersion;
export type HelmRepoClient = helmRepo.HelmRepoClient;
export type HelmRepoClientOptions = helmRepo.HelmRepoClientOptions;

export const helm = (): string => locateToolchain().helm;

export const mychartVersions = ['0.1.0', '1.0.0', '1.2.0', '1.2.5', '1.3.0-beta.1', '2.0.0'] as const;
export const otherVersions = ['v1.15.0', 'v1.16.0'] as const;

/** A scratch folder; remove it with {@link removeScratch}, which copes with the read-only cache. */
export const scratch = (): Promise<string> => mkdtemp(join(tmpdir(), 'capstan-helm-repo-'));

export async function removeScratch(dir: string): Promise<void> {
  const unlock = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => undefined);
    if (st?.isDirectory() !== true) return;
    await chmod(p, 0o755);
    for (const name of await readdir(p)) await unlock(join(p, name));
  };
  await unlock(dir);
  await rm(dir, { recursive: true, force: true });
}

/**
 * Real charts made by `helm create` and packaged by `helm package` into `repoDir`: mychart in six
 * versions (one a prerelease) and other in two v-prefixed versions.
 */
export async function packageCharts(work: string, repoDir: string): Promise<void> {
  const src = join(work, 'src');
  await mkdir(src, { recursive: true });
  await mkdir(repoDir, { recursive: true });
  const run = promisify(execFile);
  for (const name of ['mychart', 'other']) await run(helm(), ['create', join(src, name)]);
  for (const version of mychartVersions) {
    await packageChart(helm(), join(src, 'mychart'), repoDir, { version, appVersion: `app-${version}` });
  }
  for (const version of otherVersions) await packageChart(helm(), join(src, 'other'), repoDir, { version });
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export interface CraftedEntry extends HeaderData {
  readonly body?: Buffer;
}

/** A .tgz written header by header with node-tar's Header, so it can hold what no honest tool writes. */
export function craftTgz(entries: readonly CraftedEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { body, ...data } of entries) {
    const header = Buffer.alloc(512);
    new Header({ mode: 0o644, mtime: new Date(0), ...data, size: body?.length ?? 0 }).encode(header);
    blocks.push(header);
    if (body !== undefined && body.length > 0) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A chart version pointing at an archive written into the served folder, with its true digest. */
export async function serveArchive(
  repoDir: string,
  name: string,
  archive: Buffer,
): Promise<HelmChartVersion> {
  await writeFile(join(repoDir, `${name}.tgz`), archive);
  return {
    name,
    version: '1.0.0',
    appVersion: '',
    description: '',
    digest: sha256(archive),
    urls: [`${name}.tgz`],
    created: '',
    home: '',
    maintainers: [],
  };
}

/** Awaits a rejection and checks its domain code and that its message names every given part. */
export async function expectError(
  promise: Promise<unknown>,
  code: string,
  ...parts: readonly string[]
): Promise<Error & { code: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as Error & { code: string },
  );
  expect(err, `expected a ${code} error`).toBeInstanceOf(Error);
  expect(err?.code, err?.message).toBe(code);
  for (const part of parts) expect(err?.message).toContain(part);
  return err!;
}

/** Everything under a folder, as relative paths, to prove nothing landed where it should not. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of await readdir(join(dir, rel)).catch(() => [])) {
      const path = rel === '' ? name : `${rel}/${name}`;
      out.push(path);
      if ((await lstat(join(dir, path))).isDirectory()) await walk(path);
    }
  };
  await walk('');
  return out.sort();
}

export const readText = (path: string): Promise<string> => readFile(path, 'utf8');
