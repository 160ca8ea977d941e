import { randomBytes } from 'node:crypto';
import { mkdir, readdir, realpath, rename, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { createSingleFlight } from '@capstan/runtime';
import { InvalidArgumentError } from '@capstan/errors';
import type { Logger } from '@capstan/runtime';
import type { GitRequestEvent } from './git-client.ts';
import type { GitRunner } from './git-runner.ts';
import type { MirrorStore } from './mirror-store.ts';
import { makeReadOnly, refuseEscapingSymlinks, removeTree } from './read-only-tree.ts';
import { repoTarget, type RepoTarget } from './repo-target.ts';
import { parseGitmodules, resolveSubmoduleUrl } from './submodules.ts';

/**
 * A directory handed out by checkout() is never evicted within this long after the last checkout()
 * that returned it. The API hands out plain paths, not leases, so recency stands in for "in use":
 * callers read a checkout right after asking for it, and ask again for every new piece of work.
 */
export const checkoutGraceMs = 10 * 60_000;
/** Leftovers of an interrupted extraction older than this are removed when the store starts. */
const staleTempMs = 60 * 60_000;
const maxSubmoduleDepth = 8;

export interface CheckoutStoreOptions {
  /** cacheDir/checkouts */
  readonly root: string;
  readonly maxCheckouts: number;
  readonly runner: GitRunner;
  readonly mirrors: MirrorStore;
  readonly logger: Logger;
  readonly now: () => number;
  readonly onRequest: ((e: GitRequestEvent) => void) | undefined;
}

export interface CheckoutStore {
  checkout(repo: RepoTarget, sha: string, submodules: boolean): Promise<string>;
}

/** `path` joined below `base`, refusing anything (`..`, absolute paths, symlinks) that would leave it. */
async function inside(base: string, path: string): Promise<string> {
  if (isAbsolute(path) || path.split('/').some((s) => s === '..'))
    throw new InvalidArgumentError(`submodule path '${path}' leaves the repository`);
  const target = join(base, path);
  await mkdir(target, { recursive: true });
  const [realBase, realTarget] = await Promise.all([realpath(base), realpath(target)]);
  const rel = relative(realBase, realTarget);
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
    throw new InvalidArgumentError(`submodule path '${path}' leaves the repository`);
  return realTarget;
}

/**
 * Extracted revisions, one directory per (repository, commit): extracted once into a temporary
 * directory, made read-only and renamed into place, so a path handed out always holds a complete tree.
 * Revisions of one repository extract concurrently; only requests for the same directory wait for each
 * other. Beyond maxCheckouts, the least recently used directories not used within checkoutGraceMs are
 * deleted.
 */
export function createCheckoutStore(options: CheckoutStoreOptions): CheckoutStore {
  const { runner, mirrors, now } = options;
  const lastUsed = new Map<string, number>();
  const extractions = createSingleFlight<string>(now);
  let scanned: Promise<void> | undefined;

  /** Adopts checkouts left by an earlier process, so they count towards the bound and get evicted. */
  const scan = async (): Promise<void> => {
    await mkdir(options.root, { recursive: true });
    for (const repoDir of await readdir(options.root)) {
      const base = join(options.root, repoDir);
      let names: string[];
      try {
        names = await readdir(base);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(base, name);
        let mtimeMs: number;
        try {
          ({ mtimeMs } = await stat(path));
        } catch {
          continue;
        }
        if (name.startsWith('.')) {
          if (now() - mtimeMs > staleTempMs) await removeTree(path);
        } else if (!lastUsed.has(path)) lastUsed.set(path, Math.min(mtimeMs, now()));
      }
    }
  };

  const evicting = new Map<string, Promise<void>>();

  const evictOne = async (path: string): Promise<void> => {
    // Renamed first: a later checkout() of that revision extracts afresh rather than finding a
    // directory being deleted.
    const trash = join(path, '..', `.trash-${randomBytes(4).toString('hex')}`);
    try {
      await rename(path, trash);
      await removeTree(trash);
    } catch (err) {
      options.logger.warn('could not evict checkout', { path, error: String(err) });
    }
  };

  const evict = async (): Promise<void> => {
    if (lastUsed.size <= options.maxCheckouts) return;
    const cutoff = now() - checkoutGraceMs;
    const victims = [...lastUsed.entries()]
      .filter(([path, used]) => used <= cutoff && extractions.current(path) === undefined)
      .sort((a, b) => a[1] - b[1])
      .slice(0, lastUsed.size - options.maxCheckouts)
      .map(([path]) => path);
    // Marked synchronously with the check above: a checkout() of a victim from now on waits for the
    // eviction to finish and extracts again.
    const done = victims.map((path) => {
      lastUsed.delete(path);
      const p = evictOne(path).finally(() => evicting.delete(path));
      evicting.set(path, p);
      return p;
    });
    await Promise.all(done);
  };

  const extractTree = async (
    repo: RepoTarget,
    sha: string,
    dest: string,
    withSubmodules: { depth: number } | undefined,
  ): Promise<void> => {
    const dir = await mirrors.ensureCommit(repo, sha);
    const run = { cwd: dir, url: repo.url, operation: 'archive', ref: sha };
    await runner.archive(sha, dest, run);
    if (withSubmodules === undefined) return;
    if (!(await mirrors.hasObject(dir, `${sha}:.gitmodules`, repo))) return;
    if (withSubmodules.depth >= maxSubmoduleDepth)
      throw new InvalidArgumentError(
        `submodules of ${repo.url} nest deeper than ${maxSubmoduleDepth} levels`,
      );
    const [config, tree] = await Promise.all([
      runner.run(['config', '-z', '--list', '--blob', `${sha}:.gitmodules`], run),
      runner.run(['ls-tree', '-r', '-z', '--full-tree', sha], run),
    ]);
    const gitlinks = new Map<string, string>();
    for (const entry of tree.split('\0')) {
      const m = /^160000 commit ([0-9a-f]+)\t(.*)$/s.exec(entry);
      if (m !== null) gitlinks.set(m[2] ?? '', m[1] ?? '');
    }
    await Promise.all(
      parseGitmodules(config).map(async (sub) => {
        const pinned = gitlinks.get(sub.path.replace(/\/+$/, ''));
        // Declared in .gitmodules but not in the tree: git skips it too.
        if (pinned === undefined) return;
        const url = resolveSubmoduleUrl(repo.url, sub.url);
        if (url === undefined)
          throw new InvalidArgumentError(
            `submodule '${sub.name}' of ${repo.url} has an unsupported URL; only http(s), ssh and git URLs are fetched`,
          );
        const child = repoTarget(repo.creds === undefined ? { url } : { url, creds: repo.creds });
        await extractTree(child, pinned, await inside(dest, sub.path), { depth: withSubmodules.depth + 1 });
      }),
    );
  };

  const extract = async (repo: RepoTarget, sha: string, path: string, submodules: boolean): Promise<void> => {
    const started = now();
    let ok = false;
    const tmp = join(path, '..', `.tmp-${sha}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(tmp, { recursive: true });
      await extractTree(repo, sha, tmp, submodules ? { depth: 0 } : undefined);
      await refuseEscapingSymlinks(tmp);
      await makeReadOnly(tmp);
      await rename(tmp, path);
      ok = true;
    } finally {
      if (!ok) await removeTree(tmp);
      const ms = now() - started;
      options.onRequest?.({ repo: repo.url, type: 'checkout', ms, ok });
      options.logger.debug('git checkout', { repo: repo.url, sha, ms, ok });
    }
  };

  return {
    checkout: async (repo, sha, submodules) => {
      scanned ??= scan().catch((err: unknown) => {
        scanned = undefined;
        throw err;
      });
      await scanned;
      const path = join(options.root, repo.key, submodules ? `${sha}+submodules` : sha);
      for (;;) {
        await evicting.get(path);
        await extractions.run(path, async () => {
          try {
            await stat(path);
          } catch {
            await extract(repo, sha, path, submodules);
          }
          return path;
        });
        if (!evicting.has(path)) break;
      }
      lastUsed.set(path, now());
      await evict();
      return path;
    },
  };
}
