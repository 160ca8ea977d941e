import { once } from 'node:events';
import { chmod, lstat, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, isCapstanError } from '@capstan/errors';
import { Unpack } from 'tar';
import { gunzipChunks, type GunzipLimits } from './gunzip-chunks.ts';
import { inspectChartArchive } from './inspect-chart-archive.ts';

export interface ExtractChartOptions extends GunzipLimits {
  /** The verified .tgz. */
  readonly archive: string;
  /** Directory to create, atomically; the chart lands in `<dest>/<its top-level directory>`. */
  readonly dest: string;
  /** Scratch space on the same filesystem as `dest`. */
  readonly tmpDir: string;
}

async function walk(path: string, visit: (path: string, isDir: boolean) => Promise<void>): Promise<void> {
  const st = await lstat(path);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    for (const name of await readdir(path)) await walk(join(path, name), visit);
  }
  await visit(path, st.isDirectory());
}

/** Files 0444, directories 0555, children before parents. */
async function makeReadOnly(path: string): Promise<void> {
  await walk(path, (p, isDir) => chmod(p, isDir ? 0o555 : 0o444));
}

/** rm -rf for a tree made read-only: directories get their write bit back first. */
export async function removeTree(path: string): Promise<void> {
  const exists = await lstat(path).then(
    () => true,
    () => false,
  );
  if (!exists) return;
  const unlock = async (p: string): Promise<void> => {
    const st = await lstat(p);
    if (!st.isDirectory()) return;
    await chmod(p, 0o755);
    for (const name of await readdir(p)) await unlock(join(p, name));
  };
  await unlock(path);
  await rm(path, { recursive: true, force: true });
}

/** The chart directory inside an extracted `<dest>`, or undefined when `<dest>` is absent or not one. */
export async function extractedChart(dest: string): Promise<string | undefined> {
  const names = await readdir(dest).catch(() => undefined);
  if (names?.length !== 1 || names[0] === undefined) return undefined;
  const dir = join(dest, names[0]);
  const chartYaml = await stat(join(dir, 'Chart.yaml')).catch(() => undefined);
  return chartYaml?.isFile() === true ? dir : undefined;
}

async function unpackInto(work: string, options: ExtractChartOptions): Promise<void> {
  // preserveOwner: false — as root, node-tar would otherwise chown to the archive's uid/gid.
  const unpack = new Unpack({ cwd: work, strict: true, preserveOwner: false });
  let failure: Error | undefined;
  unpack.on('error', (err: Error) => {
    failure ??= err;
  });
  for await (const chunk of gunzipChunks(options.archive, options)) {
    if (failure !== undefined) break;
    if (!unpack.write(chunk) && failure === undefined) await once(unpack, 'drain');
  }
  if (failure === undefined) {
    const closed = once(unpack, 'close');
    unpack.end();
    await closed;
  }
  if (failure !== undefined) throw failure;
}

/**
 * Extracts a chart archive safely: it is inspected first without writing (inspectChartArchive), then
 * unpacked from the same decompressed stream into a fresh temp directory, made read-only and renamed
 * to `dest` in one step, so readers see a complete chart or none. Losing the rename to a concurrent
 * extractor of the same archive is fine: its copy is identical.
 */
export async function extractChart(options: ExtractChartOptions): Promise<string> {
  const { top } = await inspectChartArchive(options.archive, options);
  await mkdir(options.tmpDir, { recursive: true });
  const work = await mkdtemp(join(options.tmpDir, 'extract-'));
  try {
    try {
      await unpackInto(work, options);
    } catch (err) {
      if (isCapstanError(err)) throw err;
      const code = (err as { tarCode?: unknown; code?: unknown } | null)?.code;
      throw new InvalidArgumentError(
        `${options.label}: the archive does not unpack${typeof code === 'string' ? ` (${code})` : ''}`,
        { cause: err },
      );
    }
    const chartYaml = await stat(join(work, top, 'Chart.yaml')).catch(() => undefined);
    if (chartYaml?.isFile() !== true) {
      throw new InvalidArgumentError(`${options.label}: the archive has no "${top}/Chart.yaml"`);
    }
    await makeReadOnly(join(work, top));
    try {
      // `work` itself stays writable until here: moving a directory to a new parent rewrites its "..".
      await rename(work, options.dest);
      await chmod(options.dest, 0o555);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw err;
    }
    return join(options.dest, top);
  } finally {
    await removeTree(work);
  }
}
