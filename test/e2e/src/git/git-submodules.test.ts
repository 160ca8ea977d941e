import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createGitRoot,
  startGitHttpServer,
  type GitHttpServer,
  type GitRepo,
  type GitRoot,
} from '@capstan/testkit';
import { failure, testClient, type TestClient } from './fixtures.ts';

let root: GitRoot;
let server: GitHttpServer;
let t: TestClient;
let parentSha: string;
let badSha: string;

/** Commits a gitlink by hand: the test kit's commit() stages the work tree, which has no submodule checkout. */
async function addSubmodule(repo: GitRepo, sub: { path: string; url: string; sha: string }): Promise<string> {
  await repo.write({
    '.gitmodules': `[submodule "${sub.path}"]\n\tpath = ${sub.path}\n\turl = ${sub.url}\n`,
  });
  await repo.git('add', '.gitmodules');
  await repo.git('update-index', '--add', '--cacheinfo', `160000,${sub.sha},${sub.path}`);
  await repo.git('commit', '--quiet', '-m', `add ${sub.path}`);
  await repo.git('push', '--quiet', 'origin', 'main');
  return repo.git('rev-parse', 'HEAD');
}

beforeAll(async () => {
  root = await createGitRoot();
  const deep = await root.createRepo('deep', { 'deep.txt': 'deepest\n' });
  const deepSha = await deep.git('rev-parse', 'HEAD');
  // A later commit: the pinned one above is no longer a branch tip.
  await deep.write({ 'deep.txt': 'moved on\n' });
  await deep.commit('move on');
  const lib = await root.createRepo('lib', { 'lib.txt': 'library\n' });
  const libSha = await addSubmodule(lib, { path: 'deep', url: '../deep.git', sha: deepSha });
  const parent = await root.createRepo('parent', { 'app.yaml': 'kind: App\n' });
  parentSha = await addSubmodule(parent, { path: 'vendor/lib', url: '../lib.git', sha: libSha });
  const bad = await root.createRepo('bad', { 'x.txt': 'x\n' });
  badSha = await addSubmodule(bad, { path: 'steal', url: '/etc', sha: libSha });
  server = await startGitHttpServer({ root: root.dir });
  t = await testClient();
});

afterAll(async () => {
  await t.close();
  await server.close();
  await root.close();
});

it('includes submodules, recursively, resolved relative to the parent URL', async () => {
  const url = `${server.baseUrl}/parent.git`;
  const dir = await t.client.checkout({ url }, parentSha, { submodules: true });
  expect(await readFile(join(dir, 'app.yaml'), 'utf8')).toBe('kind: App\n');
  expect(await readFile(join(dir, 'vendor/lib/lib.txt'), 'utf8')).toBe('library\n');
  expect(await readFile(join(dir, 'vendor/lib/deep/deep.txt'), 'utf8')).toBe('deepest\n');
  const fetched = t.events.filter((e) => e.type === 'fetch').map((e) => e.repo.replace(server.baseUrl, ''));
  expect(fetched.sort()).toEqual(['/deep.git', '/lib.git', '/parent.git']);
});

it('leaves submodule folders empty when submodules are not asked for', async () => {
  const url = `${server.baseUrl}/parent.git`;
  const dir = await t.client.checkout({ url }, parentSha);
  expect(await readdir(join(dir, 'vendor/lib'))).toEqual([]);
  expect(await readFile(join(dir, 'app.yaml'), 'utf8')).toBe('kind: App\n');
});

it('refuses a submodule URL that points at the local disk', async () => {
  const err = await failure(
    t.client.checkout({ url: `${server.baseUrl}/bad.git` }, badSha, { submodules: true }),
  );
  expect(err.code).toBe('InvalidArgument');
  expect(err.message).toContain('unsupported URL');
});
