import { once } from 'node:events';
import { posix } from 'node:path';
import {
  InvalidArgumentError,
  ResourceExhaustedError,
  toCapstanError,
  type CapstanError,
} from '@capstan/errors';
import { Parser, type ReadEntry } from 'tar';
import { gunzipChunks, type GunzipLimits } from './gunzip-chunks.ts';

/** What the extraction needs to know about an archive that passed inspection. */
export interface ChartArchiveSummary {
  /** The one top-level directory holding the chart (`nginx` for `nginx/Chart.yaml`). */
  readonly top: string;
}

type Kind = 'dir' | 'file' | 'symlink';

const fileTypes = new Set(['File', 'OldFile', 'ContiguousFile']);

/** Path segments of an archive path; backslashes count as separators so `..\x` cannot slip through. */
function segments(path: string): string[] | 'absolute' | 'parent' | 'nul' {
  if (path.includes('\0')) return 'nul';
  if (/^([/\\]|[a-z]:)/i.test(path)) return 'absolute';
  const parts = path.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
  return parts.includes('..') ? 'parent' : parts;
}

/**
 * The rules a chart archive must follow, checked entry by entry before anything touches the disk:
 * one top-level directory; regular files, directories, and links that stay inside it; no absolute or
 * `..` paths, no devices or FIFOs, nothing written through a symlink, no path twice; a Chart.yaml at
 * the chart's root; declared file sizes within the cap.
 */
class EntryRules {
  readonly #limits: GunzipLimits;
  readonly #kinds = new Map<string, Kind>();
  #top: string | undefined;
  #declared = 0;

  constructor(limits: GunzipLimits) {
    this.#limits = limits;
  }

  #refuse(reason: string): CapstanError {
    return new InvalidArgumentError(`${this.#limits.label}: refusing the archive: ${reason}`);
  }

  #inside(path: string, what: string): string[] {
    const parts = segments(path);
    const name = JSON.stringify(path);
    if (parts === 'nul') throw this.#refuse(`${what} ${name} contains a NUL byte`);
    if (parts === 'absolute') throw this.#refuse(`${what} ${name} is an absolute path`);
    if (parts === 'parent') throw this.#refuse(`${what} ${name} climbs out with ".."`);
    return parts;
  }

  check(entry: ReadEntry): void {
    const name = JSON.stringify(entry.path);
    const type = entry.type;
    const isFile = fileTypes.has(type);
    if (!isFile && type !== 'Directory' && type !== 'SymbolicLink' && type !== 'Link') {
      throw this.#refuse(`entry ${name} is a ${type}; a chart holds only files, directories and links`);
    }
    const parts = this.#inside(entry.path, 'entry');
    const [first] = parts;
    if (first === undefined) {
      if (type === 'Directory') return;
      throw this.#refuse(`entry ${name} has no name`);
    }
    this.#top ??= first;
    if (first !== this.#top) {
      throw this.#refuse(
        `entries under both "${this.#top}/" and "${first}/"; a chart archive holds one directory`,
      );
    }
    if (parts.length === 1 && type !== 'Directory') {
      throw this.#refuse(`entry ${name} lies outside the chart directory "${this.#top}/"`);
    }
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (this.#kinds.get(parent) === 'symlink') {
        throw this.#refuse(`entry ${name} would be written through the symlink "${parent}"`);
      }
    }
    const rel = parts.join('/');
    const kind: Kind = type === 'Directory' ? 'dir' : type === 'SymbolicLink' ? 'symlink' : 'file';
    const before = this.#kinds.get(rel);
    if (before !== undefined && !(before === 'dir' && kind === 'dir')) {
      throw this.#refuse(`entry ${name} appears twice`);
    }
    if (type === 'SymbolicLink') this.#checkSymlink(entry, rel);
    if (type === 'Link') this.#checkHardLink(entry);
    if (isFile) {
      this.#declared += entry.size;
      if (this.#declared > this.#limits.maxBytes) {
        throw new ResourceExhaustedError(
          `${this.#limits.label}: the archive unpacks to more than the ${this.#limits.maxBytes}-byte limit`,
          { details: { maxBytes: this.#limits.maxBytes } },
        );
      }
    }
    this.#kinds.set(rel, kind);
  }

  #checkSymlink(entry: ReadEntry, rel: string): void {
    const name = JSON.stringify(entry.path);
    const target = entry.linkpath ?? '';
    if (segments(target) === 'absolute') {
      throw this.#refuse(`symlink ${name} points to the absolute path ${JSON.stringify(target)}`);
    }
    if (target === '' || target.includes('\0')) throw this.#refuse(`symlink ${name} has no usable target`);
    const resolved = posix.normalize(posix.join(posix.dirname(rel), target.replaceAll('\\', '/')));
    if (resolved === '..' || resolved.startsWith('../') || resolved.split('/')[0] !== this.#top) {
      throw this.#refuse(`symlink ${name} points outside the chart (to ${JSON.stringify(target)})`);
    }
  }

  #checkHardLink(entry: ReadEntry): void {
    const name = JSON.stringify(entry.path);
    const target = this.#inside(entry.linkpath ?? '', `hard link ${name} to`).join('/');
    if (this.#kinds.get(target) !== 'file') {
      throw this.#refuse(
        `hard link ${name} points to ${JSON.stringify(entry.linkpath)}, not to a file earlier in the chart`,
      );
    }
  }

  finish(): ChartArchiveSummary {
    const top = this.#top;
    if (top === undefined) throw this.#refuse('it is empty');
    const chartYaml = this.#kinds.get(`${top}/Chart.yaml`);
    if (chartYaml === undefined || chartYaml === 'dir') throw this.#refuse(`there is no "${top}/Chart.yaml"`);
    return { top };
  }
}

function looksCompressed(head: Buffer): boolean {
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const zstd = head.readUInt32BE(0) === 0x28b52ffd;
  return gzip || zstd;
}

/**
 * Reads a chart archive without writing anything and throws on the first rule it breaks (see
 * EntryRules) or once it unpacks past `maxBytes`. The tar stream inside must not itself be compressed:
 * the extractor would unpack a second layer the size cap never saw.
 */
export async function inspectChartArchive(file: string, limits: GunzipLimits): Promise<ChartArchiveSummary> {
  const rules = new EntryRules(limits);
  const parser = new Parser({ strict: true });
  let failure: CapstanError | undefined;
  const fail = (err: unknown): void => {
    failure ??= toCapstanError(err);
  };
  const invalid = (err: unknown): CapstanError => {
    const code = (err as { tarCode?: unknown } | null)?.tarCode;
    return new InvalidArgumentError(
      `${limits.label}: not a valid tar archive (${typeof code === 'string' ? code : 'TAR_BAD_ARCHIVE'})`,
      { cause: err },
    );
  };
  parser.on('entry', (entry: ReadEntry) => {
    if (failure === undefined) {
      try {
        rules.check(entry);
      } catch (err) {
        fail(err);
      }
    }
    entry.resume();
  });
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    fail(
      new InvalidArgumentError(
        `${limits.label}: refusing the archive: entry ${JSON.stringify(entry.path)} is of an unsupported type (${entry.type})`,
      ),
    );
    entry.resume();
  });
  parser.on('error', (err: unknown) => fail(invalid(err)));

  let head = true;
  for await (const chunk of gunzipChunks(file, limits)) {
    if (head && chunk.length >= 4 && looksCompressed(chunk)) {
      throw new InvalidArgumentError(`${limits.label}: refusing the archive: it is compressed twice`);
    }
    head = false;
    parser.write(chunk);
    if (failure !== undefined) throw failure;
  }
  try {
    const ended = once(parser, 'end');
    parser.end();
    await ended;
  } catch (err) {
    fail(invalid(err));
  }
  if (failure !== undefined) throw failure;
  return rules.finish();
}
