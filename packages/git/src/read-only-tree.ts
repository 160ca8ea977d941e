import { chmod, lstat, readdir, readlink, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError } from '@capstan/errors';

async function walk(dir: string, visit: (path: string, isDir: boolean) => Promise<void>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      await visit(path, true);
      await walk(path, visit);
    } else await visit(path, false);
  }
}

/** chmod a-w on everything below and including `dir` (symlinks have no mode of their own on Linux). */
export async function makeReadOnly(dir: string): Promise<void> {
  const strip = async (path: string): Promise<void> => {
    const { mode } = await lstat(path);
    await chmod(path, mode & 0o7555);
  };
  await walk(dir, (path) => strip(path));
  await strip(dir);
}

/** Deletes a tree made read-only: its directories need their write bit back first. */
export async function removeTree(dir: string): Promise<void> {
  try {
    await chmod(dir, 0o755);
    await walk(dir, async (path, isDir) => {
      if (isDir) await chmod(path, 0o755);
    });
  } catch {
    // Already gone, or partly: rm below does what it can.
  }
  await rm(dir, { recursive: true, force: true });
}

/**
 * Refuses a tree holding a symlink whose target lies outside it, as Argo CD refuses such repositories:
 * helm or kustomize would otherwise read whatever the link names (a chart template linking to
 * /etc/passwd). Links inside the tree, absolute or relative, are fine.
 */
export async function refuseEscapingSymlinks(root: string): Promise<void> {
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = await readlink(path);
        const absolute = isAbsolute(target) ? target : resolve(dirname(path), target);
        const rel = relative(root, absolute);
        if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
          throw new InvalidArgumentError(
            `${relative(root, path).split(sep).join('/')} is a symlink that points outside the repository`,
          );
        }
      } else if (entry.isDirectory()) await visit(path);
    }
  };
  await visit(root);
}
