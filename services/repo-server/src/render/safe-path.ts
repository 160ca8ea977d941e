import { realpath } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { InvalidArgumentError } from '@capstan/errors';

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves a path given by an Application (source path, values file, file parameter) against the root of
 * a checkout, refusing anything that could read outside it: absolute paths, `..` that climbs out, and
 * symlinks whose target lies outside. `what` names the field in the error ("spec.source.path").
 */
export async function resolveInside(root: string, userPath: string, what: string): Promise<string> {
  if (isAbsolute(userPath))
    throw new InvalidArgumentError(
      `${what} ${JSON.stringify(userPath)} must be relative to the repository root`,
    );
  const lexical = normalize(join(root, userPath));
  if (!inside(root, lexical))
    throw new InvalidArgumentError(`${what} ${JSON.stringify(userPath)} points outside the repository`);
  let real: string;
  try {
    real = await realpath(lexical);
  } catch {
    return lexical; // a missing path is reported by whoever needs it, with its own wording
  }
  const realRoot = await realpath(root);
  if (!inside(realRoot, real)) {
    throw new InvalidArgumentError(
      `${what} ${JSON.stringify(userPath)} is a symlink that points outside the repository`,
    );
  }
  return lexical;
}

/** Whether a path (already inside the root) leaves it once symlinks are followed. */
export async function escapesRoot(root: string, path: string): Promise<boolean> {
  try {
    return !inside(await realpath(root), await realpath(path));
  } catch {
    return false;
  }
}
