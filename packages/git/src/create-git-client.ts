import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CapstanError, InvalidArgumentError, NotFoundError } from '@capstan/errors';
import { systemClock, createSingleFlight } from '@capstan/runtime';
import { createCheckoutStore } from './checkout-store.ts';
import { classifyGitError } from './classify-git-error.ts';
import type { CommitMetadata, GitClient, GitClientOptions, GitRepo, RemoteRefs } from './git-client.ts';
import { askPassScript } from './git-environment.ts';
import { createGitRunner, type RunOptions } from './git-runner.ts';
import { isCommitSha, isShortShaCandidate } from './is-commit-sha.ts';
import { createMirrorStore } from './mirror-store.ts';
import { parseLsRemote, type ParsedRefs } from './parse-ls-remote.ts';
import { redact } from './redact.ts';
import { repoTarget, type RepoTarget } from './repo-target.ts';
import { normalizeRepoUrl } from './normalize-repo-url.ts';

const readConcurrency = 8;
const lsTreeBatch = 200;

function requireSha(sha: string, repo: RepoTarget): string {
  if (!isCommitSha(sha))
    throw new InvalidArgumentError(`'${sha.slice(0, 80)}' is not a full commit SHA (repository ${repo.url})`);
  return sha.toLowerCase();
}

/** Entries of `git ls-tree -z` output: `<mode> <type> <object>\t<path>`. */
function parseLsTree(output: string): { type: string; object: string; path: string }[] {
  const out: { type: string; object: string; path: string }[] = [];
  for (const entry of output.split('\0')) {
    const m = /^\d+ (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (m !== null) out.push({ type: m[1] ?? '', object: m[2] ?? '', path: m[3] ?? '' });
  }
  return out;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function rfc3339(epochSeconds: string): string {
  return new Date(Number(epochSeconds) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * Git access for the repo-server over the real git binary (through simple-git): ls-remote answers
 * cached briefly, one bare mirror per repository, and read-only per-revision checkouts extracted from
 * it. Credentials travel only through the environment and private files, never arguments or messages.
 */
export function createGitClient(options: GitClientOptions): GitClient {
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now();
  const cacheDir = resolve(options.cacheDir);
  const home = join(cacheDir, 'home');
  const askPass = join(cacheDir, 'askpass.sh');
  const revisionCacheMs = options.revisionCacheMs ?? 30_000;
  const runner = createGitRunner({
    gitPath: options.gitPath ?? 'git',
    timeoutMs: options.timeoutMs,
    home,
    ceiling: cacheDir,
    askPass,
    tmpRoot: join(cacheDir, 'tmp'),
  });
  const mirrors = createMirrorStore({
    root: join(cacheDir, 'mirrors'),
    runner,
    logger: options.logger,
    now,
    onRequest: options.onRequest,
  });
  const checkouts = createCheckoutStore({
    root: join(cacheDir, 'checkouts'),
    maxCheckouts: options.maxCheckouts ?? 100,
    runner,
    mirrors,
    logger: options.logger,
    now,
    onRequest: options.onRequest,
  });

  let prepared: Promise<void> | undefined;
  const ready = (): Promise<void> =>
    (prepared ??= (async () => {
      for (const dir of ['home', 'tmp', 'mirrors', 'checkouts'])
        await mkdir(join(cacheDir, dir), { recursive: true, mode: 0o700 });
      await writeFile(askPass, askPassScript, { mode: 0o700 });
    })().catch((err: unknown) => {
      prepared = undefined;
      throw err;
    }));

  const target = async (repo: GitRepo): Promise<RepoTarget> => {
    await ready();
    return repoTarget(repo);
  };

  const lsRemotes = createSingleFlight<ParsedRefs>(now);
  const refCache = new Map<string, { at: number; refs: ParsedRefs }>();

  const lsRemoteParsed = async (repo: RepoTarget, noCache: boolean): Promise<ParsedRefs> => {
    const cached = refCache.get(repo.credsKey);
    if (!noCache && cached !== undefined && now() - cached.at < revisionCacheMs) return cached.refs;
    return lsRemotes.run(repo.credsKey, async () => {
      const started = now();
      let ok = false;
      try {
        const out = await runner.run(['ls-remote', '--symref', '--', repo.url], {
          cwd: home,
          url: repo.url,
          operation: 'ls-remote',
          creds: repo.creds,
        });
        const refs = parseLsRemote(out);
        for (const [key, entry] of refCache) if (now() - entry.at >= revisionCacheMs) refCache.delete(key);
        refCache.set(repo.credsKey, { at: now(), refs });
        ok = true;
        return refs;
      } finally {
        const ms = now() - started;
        options.onRequest?.({ repo: repo.url, type: 'ls-remote', ms, ok });
        options.logger.debug('git ls-remote', { repo: repo.url, ms, ok });
      }
    });
  };

  const notFound = (repo: RepoTarget, revision: string): CapstanError =>
    new NotFoundError(`revision '${revision}' not found in repository ${repo.url}`, {
      details: { repo: repo.url, revision },
    });

  /** A short SHA is looked up in the mirror, and fetched for when the mirror does not know it yet. */
  const resolveShortSha = async (repo: RepoTarget, revision: string): Promise<string | undefined> => {
    const dir = await mirrors.ensure(repo);
    const lookup = async (): Promise<string | undefined> => {
      const run: RunOptions = { cwd: dir, url: repo.url, operation: 'rev-parse', ref: revision };
      const r = await runner.exec(['rev-parse', '--verify', `${revision}^{commit}`], run);
      if (r.exitCode === 0) return r.stdout.trim();
      if (/is ambiguous/.test(r.stderr))
        throw classifyGitError({ ...run, stderr: r.stderr, exitCode: r.exitCode });
      return undefined;
    };
    const local = await lookup();
    if (local !== undefined) return local;
    await mirrors.fetch(repo);
    return lookup();
  };

  const mirrorRun = async (
    repo: GitRepo,
    shas: readonly string[],
  ): Promise<{ t: RepoTarget; run: RunOptions }> => {
    const t = await target(repo);
    const checked = shas.map((s) => requireSha(s, t));
    let dir = '';
    for (const sha of checked) dir = await mirrors.ensureCommit(t, sha);
    return { t, run: { cwd: dir, url: t.url, operation: 'read', ref: checked.join('..') } };
  };

  const diffs = new Map<string, readonly string[]>();
  const diffFlights = createSingleFlight<readonly string[]>(now);
  const diffOf = async (repo: GitRepo, fromSha: string, toSha: string): Promise<readonly string[]> => {
    const { run } = await mirrorRun(repo, [fromSha, toSha]);
    const out = await runner.run(
      [
        'diff',
        '--name-only',
        '-z',
        '--no-renames',
        '--no-ext-diff',
        fromSha.toLowerCase(),
        toSha.toLowerCase(),
        '--',
      ],
      run,
    );
    return out.split('\0').filter((p) => p !== '');
  };

  const client: GitClient = {
    lsRemote: async (repo, opts) => {
      const refs = await lsRemoteParsed(await target(repo), opts?.noCache === true);
      const { head, headRef, branches, tags } = refs;
      return { head, headRef, branches, tags } satisfies RemoteRefs;
    },

    resolveRevision: async (repo, revision, opts) => {
      const t = await target(repo);
      const rev = revision.trim();
      if (isCommitSha(rev)) return rev.toLowerCase();
      const refs = await lsRemoteParsed(t, opts?.noCache === true);
      let sha: string | undefined;
      if (rev === '' || rev === 'HEAD') sha = refs.head;
      else if (rev.startsWith('refs/')) sha = refs.all.get(rev);
      // Branches before tags, as in ls-remote's order, which is what Argo CD matches against.
      else sha = refs.branches.get(rev) ?? refs.tags.get(rev);
      if (sha === undefined && isShortShaCandidate(rev)) sha = await resolveShortSha(t, rev.toLowerCase());
      if (sha === undefined) throw notFound(t, rev === '' ? 'HEAD' : rev);
      return sha;
    },

    ensureCommit: async (repo, sha) => {
      const t = await target(repo);
      await mirrors.ensureCommit(t, requireSha(sha, t));
    },

    checkout: async (repo, sha, opts) => {
      const t = await target(repo);
      return checkouts.checkout(t, requireSha(sha, t), opts?.submodules === true);
    },

    listFiles: async (repo, sha) => {
      const { run } = await mirrorRun(repo, [sha]);
      const out = await runner.run(['ls-tree', '-r', '-z', '--full-tree', sha.toLowerCase()], run);
      return parseLsTree(out)
        .filter((e) => e.type === 'blob')
        .map((e) => e.path);
    },

    readFiles: async (repo, sha, paths) => {
      const { run } = await mirrorRun(repo, [sha]);
      const wanted = [...new Set(paths.map((p) => p.replace(/^\/+/, '')).filter((p) => p !== ''))];
      const objects = new Map<string, string>();
      for (let i = 0; i < wanted.length; i += lsTreeBatch) {
        const batch = wanted.slice(i, i + lsTreeBatch);
        const out = await runner.run(
          ['ls-tree', '-r', '-z', '--full-tree', sha.toLowerCase(), '--', ...batch],
          run,
        );
        const asked = new Set(batch);
        for (const e of parseLsTree(out))
          if (e.type === 'blob' && asked.has(e.path)) objects.set(e.path, e.object);
      }
      const entries = [...objects.entries()];
      const contents = await mapLimit(entries, readConcurrency, ([, object]) =>
        runner.showBuffer(object, run),
      );
      return new Map(entries.map(([path], i) => [path, contents[i] as Buffer]));
    },

    changedFiles: async (repo, fromSha, toSha) => {
      // Many apps of one repository ask about the same pair of commits after a push: one diff serves all.
      const memoKey = `${normalizeRepoUrl(repo.url)}\0${fromSha.toLowerCase()}\0${toSha.toLowerCase()}`;
      const known = diffs.get(memoKey);
      if (known !== undefined) return [...known];
      const files = await diffFlights.run(memoKey, () => diffOf(repo, fromSha, toSha));
      if (diffs.size >= 1000) diffs.delete(diffs.keys().next().value ?? '');
      diffs.set(memoKey, files);
      return [...files];
    },

    commitMetadata: async (repo, sha) => {
      const { run } = await mirrorRun(repo, [sha]);
      const commit = sha.toLowerCase();
      const [show, tags, raw] = await Promise.all([
        runner.run(['show', '-s', '--no-show-signature', '--format=%an <%ae>%x00%at%x00%B', commit], run),
        runner.run(['tag', '--points-at', commit], run),
        runner.run(['cat-file', 'commit', commit], run),
      ]);
      const [author = '', at = '0', message = ''] = show.split('\0');
      const header = raw.slice(0, raw.indexOf('\n\n') + 1);
      let signatureInfo = '';
      if (/^gpgsig(?:-sha256)? /m.test(header)) {
        // Verified against this process's (empty) keyring; the output says who signed and whether
        // the key is known, which is what Argo CD shows as the signature info.
        const r = await runner.exec(['verify-commit', '--raw', commit], run);
        signatureInfo = redact(`${r.stderr}${r.stdout}`).trim() || 'signed';
      }
      const metadata: CommitMetadata = {
        author,
        date: rfc3339(at),
        message: message.replace(/\n+$/, ''),
        tags: tags.split('\n').filter((s) => s !== ''),
        signatureInfo,
      };
      return metadata;
    },

    test: async (repo) => {
      await lsRemoteParsed(await target(repo), true);
    },
  };
  return client;
}
