import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { requireProgram } from '@capstan/devtools';

const run = promisify(execFile);

/** Commits are made by a fixed identity at a fixed clock unless a test says otherwise: SHAs stay stable. */
const identity = {
  GIT_AUTHOR_NAME: 'Capstan Test',
  GIT_AUTHOR_EMAIL: 'test@capstan.invalid',
  GIT_COMMITTER_NAME: 'Capstan Test',
  GIT_COMMITTER_EMAIL: 'test@capstan.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export interface GitRepo {
  /** Name under the server root, e.g. `k8s-manifests` for `<root>/k8s-manifests.git`. */
  readonly name: string;
  /** Path of the bare repository. */
  readonly bareDir: string;
  /** Writes files (path → content) into the work tree; directories are created. */
  write(files: Readonly<Record<string, string>>): Promise<void>;
  remove(paths: readonly string[]): Promise<void>;
  /** Commits everything and pushes the current branch; returns the new commit SHA. */
  commit(message: string): Promise<string>;
  /** Creates (or moves) a tag at HEAD and pushes it. */
  tag(name: string): Promise<void>;
  /** Switches to a branch, creating it from HEAD when new. */
  checkout(branch: string): Promise<void>;
  git(...args: string[]): Promise<string>;
}

export interface GitRoot extends AsyncDisposable {
  readonly dir: string;
  /** A new repository `<name>.git` with branch `main`, optionally with a first commit of `files`. */
  createRepo(name: string, files?: Readonly<Record<string, string>>): Promise<GitRepo>;
  close(): Promise<void>;
}

/** A temporary folder of bare repositories, each with a work tree that pushes into it. */
export async function createGitRoot(): Promise<GitRoot> {
  const git = requireProgram('git', "install it with 'apt-get install git'");
  const dir = await mkdtemp(join(tmpdir(), 'capstan-git-'));
  const work = join(dir, '.work');
  const env = {
    ...process.env,
    ...identity,
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  };
  const exec = async (cwd: string, args: string[]): Promise<string> =>
    (await run(git, args, { cwd, env })).stdout.trim();

  const createRepo = async (name: string, files?: Readonly<Record<string, string>>): Promise<GitRepo> => {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`invalid repository name ${JSON.stringify(name)}`);
    const bareDir = join(dir, `${name}.git`);
    const tree = join(work, name);
    await mkdir(tree, { recursive: true });
    await exec(dir, ['init', '--quiet', '--bare', '--initial-branch=main', bareDir]);
    await exec(bareDir, ['config', 'http.receivepack', 'true']);
    await exec(tree, ['init', '--quiet', '--initial-branch=main']);
    await exec(tree, ['remote', 'add', 'origin', bareDir]);
    let tick = 0;
    const repo: GitRepo = {
      name,
      bareDir,
      write: async (f) => {
        for (const [path, content] of Object.entries(f)) {
          const target = join(tree, path);
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      },
      remove: async (paths) => {
        for (const p of paths) await rm(join(tree, p), { recursive: true, force: true });
      },
      commit: async (message) => {
        tick += 1;
        const date = new Date(Date.UTC(2026, 0, 1, 0, 0, tick)).toISOString();
        await exec(tree, ['add', '--all']);
        await run(git, ['commit', '--quiet', '--allow-empty', '-m', message], {
          cwd: tree,
          env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
        });
        const branch = await exec(tree, ['rev-parse', '--abbrev-ref', 'HEAD']);
        await exec(tree, ['push', '--quiet', '--force', 'origin', branch]);
        return exec(tree, ['rev-parse', 'HEAD']);
      },
      tag: async (tagName) => {
        await exec(tree, ['tag', '--force', tagName]);
        await exec(tree, ['push', '--quiet', '--force', 'origin', `refs/tags/${tagName}`]);
      },
      checkout: async (branch) => {
        const exists = await exec(tree, ['branch', '--list', branch]);
        await exec(
          tree,
          exists === '' ? ['checkout', '--quiet', '-b', branch] : ['checkout', '--quiet', branch],
        );
      },
      git: (...args) => exec(tree, args),
    };
    if (files !== undefined) {
      await repo.write(files);
      await repo.commit('initial commit');
    }
    return repo;
  };

  const close = (): Promise<void> => rm(dir, { recursive: true, force: true });
  return { dir, createRepo, close, [Symbol.asyncDispose]: close };
}
