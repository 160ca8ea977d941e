import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../paths.ts';
import { requireProgram } from '../which.ts';

const run = promisify(execFile);

/** The seed article's sync-wave example: resources in waves -2..2 plus PreSync, PostSync and SyncFail hooks. */
export const demoSeedFiles = [
  '08-sync-waves-my-app.yaml',
  '09-job-db-migration-presync.yaml',
  '10-job-smoke-test-postsync.yaml',
  '11-job-sync-fail-notification.yaml',
] as const;

/** Folder of the example inside the demo repository (the Application's `source.path`). */
export const demoPath = 'sync-waves';
export const demoRepoName = 'demo-manifests';

export interface DemoRepo {
  /** `<root>/<name>.git`, ready to be served by startGitHttpServer({ root }). */
  readonly bareDir: string;
  readonly name: string;
  readonly branch: string;
  readonly path: string;
  readonly revision: string;
}

/**
 * (Re)creates the demo repository under `root` with one commit holding the seed's sync-wave example.
 * The identity and clock are fixed, so every start makes the same commit SHA and an Application already
 * synced to it by an earlier start stays Synced.
 */
export async function createDemoRepo(root: string): Promise<DemoRepo> {
  const git = requireProgram('git', "install it with 'apt-get install git'");
  const bareDir = join(root, `${demoRepoName}.git`);
  const tree = join(root, '.work', demoRepoName);
  await rm(bareDir, { recursive: true, force: true });
  await rm(tree, { recursive: true, force: true });
  await mkdir(join(tree, demoPath), { recursive: true });
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: root,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Capstan Demo',
    GIT_AUTHOR_EMAIL: 'demo@capstan.invalid',
    GIT_COMMITTER_NAME: 'Capstan Demo',
    GIT_COMMITTER_EMAIL: 'demo@capstan.invalid',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  };
  const exec = async (cwd: string, args: string[]): Promise<string> =>
    (await run(git, args, { cwd, env })).stdout.trim();

  for (const file of demoSeedFiles) {
    const text = await readFile(join(repoRoot, 'test', 'seed', 'manifests', file), 'utf8');
    await writeFile(join(tree, demoPath, file), text);
  }
  await exec(root, ['init', '--quiet', '--bare', '--initial-branch=main', bareDir]);
  await exec(tree, ['init', '--quiet', '--initial-branch=main']);
  await exec(tree, ['add', '--all']);
  await exec(tree, ['commit', '--quiet', '-m', "the seed's sync-wave example"]);
  await exec(tree, ['push', '--quiet', bareDir, 'main']);
  return {
    bareDir,
    name: demoRepoName,
    branch: 'main',
    path: demoPath,
    revision: await exec(tree, ['rev-parse', 'HEAD']),
  };
}
