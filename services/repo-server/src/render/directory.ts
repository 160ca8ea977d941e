import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { InvalidArgumentError, ResourceExhaustedError } from '@capstan/errors';
import type { ApplicationSourceDirectory, Manifest } from '@capstan/crds';
import { parseObjects } from './parse-output.ts';
import { escapesRoot } from './safe-path.ts';

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);
const skipMarker = '+argocd:skip-file-rendering';

export interface DirectoryInput {
  readonly repoRoot: string;
  readonly appDir: string;
  readonly options: ApplicationSourceDirectory;
  readonly maxBytes: number;
}

function matcher(glob: string | undefined): ((path: string) => boolean) | undefined {
  if (glob === undefined || glob.trim() === '') return undefined;
  return picomatch(glob.trim(), { dot: true });
}

/**
 * Reads a directory of plain manifests. Globs apply to paths relative to the app directory, exclude
 * before include; only .yaml/.yml/.json unless the extension filter is off; a file carrying the
 * skip marker is ignored; symlinks must stay inside the repository; the total read is capped.
 */
export async function renderDirectory(input: DirectoryInput): Promise<Manifest[]> {
  const include = matcher(input.options.include);
  const exclude = matcher(input.options.exclude);
  const recurse = input.options.recurse === true;
  const filterExt = input.options.disableExtensionFilter !== true;
  const objects: Manifest[] = [];
  let total = 0;

  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const rel = relative(input.appDir, abs).split(sep).join('/');
      const repoRel = relative(input.repoRoot, abs).split(sep).join('/');
      const stat = await lstat(abs);
      let isDir = stat.isDirectory();
      if (stat.isSymbolicLink()) {
        if (await escapesRoot(input.repoRoot, abs)) {
          throw new InvalidArgumentError(`${repoRel} is a symlink that points outside the repository`);
        }
        isDir = (await lstat(await realpath(abs))).isDirectory();
      }
      if (isDir) {
        if (entry.name === '.git') continue;
        if (recurse) await walk(abs);
        continue;
      }
      if (filterExt && !manifestExtensions.has(extname(entry.name).toLowerCase())) continue;
      if (exclude?.(rel) === true) continue;
      if (include !== undefined && !include(rel)) continue;
      const size = (await lstat(await realpath(abs))).size;
      total += size;
      if (total > input.maxBytes) {
        throw new ResourceExhaustedError(
          `the manifests under ${relative(input.repoRoot, input.appDir) || '.'} exceed ${Math.round(input.maxBytes / 1048576)} MiB; the limit is CAPSTAN_REPO_MAX_MANIFEST_BYTES`,
        );
      }
      const text = await readFile(abs, 'utf8');
      if (text.includes(skipMarker)) continue;
      objects.push(...parseObjects(text, repoRel));
    }
  };
  await walk(input.appDir);
  return objects;
}
