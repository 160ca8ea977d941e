import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { x as extractTar, type ReadEntry } from 'tar';
import { InvalidArgumentError, ResourceExhaustedError } from '@capstan/errors';
import type { reposerver } from '@capstan/proto';

export interface Upload {
  readonly header: reposerver.ManifestFilesHeader;
  /** Where the archive was extracted (a fresh directory under the scratch root). */
  readonly dir: string;
}

/**
 * Receives GenerateManifestWithFiles: the header first, then tar.gz chunks whose size and SHA-256 must
 * match the header. The archive is extracted without following or creating links, and nothing may land
 * outside the target directory or exceed the size limit.
 */
export async function receiveUpload(
  parts: AsyncIterable<reposerver.ManifestRequestWithFiles>,
  scratchRoot: string,
  maxBytes: number,
): Promise<Upload> {
  let header: reposerver.ManifestFilesHeader | undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const part of parts) {
    if (part.header !== undefined) {
      if (header !== undefined)
        throw new InvalidArgumentError('GenerateManifestWithFiles: more than one header');
      header = part.header;
      continue;
    }
    if (header === undefined)
      throw new InvalidArgumentError('GenerateManifestWithFiles: the header must come first');
    const chunk = part.chunk ?? Buffer.alloc(0);
    size += chunk.length;
    if (size > maxBytes)
      throw new ResourceExhaustedError(`the uploaded archive exceeds ${Math.round(maxBytes / 1048576)} MiB`);
    chunks.push(chunk);
  }
  if (header === undefined) throw new InvalidArgumentError('GenerateManifestWithFiles: no header received');
  const archive = Buffer.concat(chunks);
  if (header.size !== undefined && header.size !== 0 && header.size !== archive.length) {
    throw new InvalidArgumentError(
      `the uploaded archive has ${archive.length} bytes, the header announced ${header.size}`,
    );
  }
  const digest = createHash('sha256').update(archive).digest('hex');
  if ((header.checksum ?? '') !== '' && header.checksum !== digest) {
    throw new InvalidArgumentError('the uploaded archive does not match its checksum');
  }
  const dir = await mkdtemp(join(scratchRoot, 'upload-'));
  let unpacked = 0;
  let refused: Error | undefined;
  const filter = (path: string, entry: ReadEntry | { type?: string; size?: number }): boolean => {
    const type = (entry as ReadEntry).type;
    if (path.startsWith('/') || path.split('/').includes('..')) {
      refused ??= new InvalidArgumentError(`the uploaded archive has an entry outside its root: ${path}`);
      return false;
    }
    if (type !== 'File' && type !== 'OldFile' && type !== 'Directory') {
      refused ??= new InvalidArgumentError(
        `the uploaded archive has a ${String(type)} entry (${path}); only files and directories are accepted`,
      );
      return false;
    }
    unpacked += (entry as ReadEntry).size ?? 0;
    if (unpacked > maxBytes) {
      refused ??= new ResourceExhaustedError(
        `the uploaded archive unpacks to more than ${Math.round(maxBytes / 1048576)} MiB`,
      );
      return false;
    }
    return true;
  };
  await pipeline(
    Readable.from([archive]),
    extractTar({ cwd: dir, strict: true, filter, preservePaths: false }),
  );
  if (refused !== undefined) throw refused;
  return { header, dir };
}
