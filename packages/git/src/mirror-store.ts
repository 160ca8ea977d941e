import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSingleFlight } from '@capstan/runtime';
import { NotFoundError } from '@capstan/errors';
import type { Logger } from '@capstan/runtime';
import type { GitRequestEvent } from './git-client.ts';
import type { GitRunner } from './git-runner.ts';
import type { RepoTarget } from './repo-target.ts';

export interface MirrorStoreOptions {
  /** cacheDir/mirrors */
  readonly root: string;
  readonly runner: GitRunner;
  readonly logger: Logger;
  readonly now: () => number;
  readonly onRequest: ((e: GitRequestEvent) => void) | undefined;
}

export interface MirrorStore {
  /** The bare mirror of the repository, created (empty) on first use. */
  ensure(repo: RepoTarget): Promise<string>;
  /** Fetches every ref; concurrent calls for one repository share one git fetch. */
  fetch(repo: RepoTarget): Promise<void>;
  /** Makes sure `sha` is in the mirror, fetching when it is not; returns the mirror's path. */
  ensureCommit(repo: RepoTarget, sha: string): Promise<string>;
  hasObject(dir: string, object: string, repo: RepoTarget): Promise<boolean>;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

// In-tree .gitattributes could hide files from `git archive` (export-ignore) or rewrite them
// (export-subst); a checkout must hold exactly the committed tree, as `git checkout` would.
const attributes = '* -export-ignore -export-subst\n';

/**
 * One bare mirror per repository (`remote add --mirror=fetch`, so every ref is copied as is), never a
 * working tree: revisions are read from it with archive / ls-tree / show, so any number of them can be
 * read at once while a fetch runs.
 */
export function createMirrorStore(options: MirrorStoreOptions): MirrorStore {
  const { runner, now } = options;
  const inits = createSingleFlight<string>(now);
  const fetches = createSingleFlight<void>(now);
  const fetchCreds = new Map<string, string>();
  const remoteUrls = new Map<string, string>();

  const ensure = (repo: RepoTarget): Promise<string> => {
    const dir = join(options.root, repo.key);
    return inits.run(repo.key, async () => {
      if (await exists(join(dir, 'HEAD'))) return dir;
      // Built under a temporary name and renamed, so a half-initialised mirror is never seen.
      const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
      const run = { cwd: options.root, url: repo.url, operation: 'init' };
      try {
        await runner.run(['init', '--quiet', '--bare', tmp], run);
        await runner.run(['remote', 'add', '--mirror=fetch', 'origin', repo.url], { ...run, cwd: tmp });
        await runner.run(['config', 'gc.autoDetach', 'false'], { ...run, cwd: tmp });
        await writeFile(join(tmp, 'info', 'attributes'), attributes);
        await rename(tmp, dir);
        remoteUrls.set(repo.key, repo.url);
      } catch (err) {
        await rm(tmp, { recursive: true, force: true });
        if (!(await exists(join(dir, 'HEAD')))) throw err;
      }
      return dir;
    });
  };

  /** Reports every network fetch to the metrics hook, however it ends. */
  const timed = async (repo: RepoTarget, fn: () => Promise<unknown>): Promise<void> => {
    const started = now();
    let ok = false;
    try {
      await fn();
      ok = true;
    } finally {
      const ms = now() - started;
      options.onRequest?.({ repo: repo.url, type: 'fetch', ms, ok });
      options.logger.debug('git fetch', { repo: repo.url, ms, ok });
    }
  };

  const runFetch = async (repo: RepoTarget, dir: string): Promise<void> => {
    const run = { cwd: dir, url: repo.url, operation: 'fetch', creds: repo.creds };
    // Two spellings of one repository share the mirror; git is pointed at the one asked for now.
    if (remoteUrls.get(repo.key) !== repo.url) {
      await runner.run(['remote', 'set-url', 'origin', repo.url], run);
      remoteUrls.set(repo.key, repo.url);
    }
    await timed(repo, () =>
      runner.run(
        ['fetch', '--quiet', '--prune', '--tags', '--force', '--no-write-fetch-head', 'origin'],
        run,
      ),
    );
  };

  const fetch = async (repo: RepoTarget): Promise<void> => {
    const dir = await ensure(repo);
    const joined = fetches.current(repo.key) !== undefined && fetchCreds.get(repo.key) !== repo.credsKey;
    try {
      await fetches.run(repo.key, () => {
        fetchCreds.set(repo.key, repo.credsKey);
        return runFetch(repo, dir);
      });
    } catch (err) {
      // The shared fetch ran with someone else's credentials; ours may still succeed.
      if (!joined) throw err;
      await fetches.run(repo.key, () => {
        fetchCreds.set(repo.key, repo.credsKey);
        return runFetch(repo, dir);
      });
    }
  };

  const hasObject = async (dir: string, object: string, repo: RepoTarget): Promise<boolean> => {
    const r = await runner.exec(['cat-file', '-e', object], {
      cwd: dir,
      url: repo.url,
      operation: 'cat-file',
    });
    return r.exitCode === 0;
  };

  // Commits known to be in a mirror: objects are never removed within the life of this process (no
  // gc --prune here), so the answer is remembered instead of asking git again on every request.
  const present = new Set<string>();
  const ensureCommit = async (repo: RepoTarget, sha: string): Promise<string> => {
    const dir = await ensure(repo);
    const commit = `${sha}^{commit}`;
    const memo = `${dir}\0${sha}`;
    if (present.has(memo)) return dir;
    if (present.size > 100_000) present.clear();
    if (await hasObject(dir, commit, repo)) {
      present.add(memo);
      return dir;
    }
    const requestedAt = now();
    const joinedEarlier = fetches.current(repo.key);
    await fetch(repo);
    if (await hasObject(dir, commit, repo)) return dir;
    // A fetch already running when we asked may have listed the refs before this commit was pushed.
    if (joinedEarlier !== undefined && joinedEarlier.startedAt <= requestedAt) {
      await fetch(repo);
      if (await hasObject(dir, commit, repo)) return dir;
    }
    // Not reachable from any ref (an old commit of a force-pushed branch, a submodule pin): ask for it
    // by name; protocol v2 servers serve any reachable object.
    await timed(repo, () =>
      runner.run(['fetch', '--quiet', '--no-write-fetch-head', 'origin', sha], {
        cwd: dir,
        url: repo.url,
        operation: 'fetch',
        creds: repo.creds,
        ref: sha,
      }),
    );
    if (await hasObject(dir, commit, repo)) return dir;
    throw new NotFoundError(`revision '${sha}' not found in repository ${repo.url}`, {
      details: { repo: repo.url, revision: sha },
    });
  };

  return { ensure, fetch, ensureCommit, hasObject };
}
