import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InvalidArgumentError, ResourceExhaustedError, isCapstanError } from '@capstan/errors';

export interface GunzipLimits {
  /** Largest decompressed size accepted. */
  readonly maxBytes: number;
  /** Names the archive in messages: 'chart nginx-1.2.3 from https://…'. */
  readonly label: string;
}

/**
 * The decompressed bytes of a gzip file, chunk by chunk, stopping with ResourceExhausted as soon as
 * more than `maxBytes` came out: a bomb is never inflated further than the cap. Both extraction passes
 * read through this, so they see exactly the same tar stream.
 */
export async function* gunzipChunks(file: string, limits: GunzipLimits): AsyncGenerator<Buffer> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limits.maxBytes) {
        throw new ResourceExhaustedError(
          `${limits.label}: the archive unpacks to more than the ${limits.maxBytes}-byte limit`,
          { details: { maxBytes: limits.maxBytes } },
        );
      }
      yield chunk;
    }
  } catch (err) {
    if (isCapstanError(err)) throw err;
    const code = (err as { code?: unknown } | null)?.code;
    throw new InvalidArgumentError(
      `${limits.label}: the archive is not valid gzip${typeof code === 'string' ? ` (${code})` : ''}`,
      { cause: err },
    );
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}
