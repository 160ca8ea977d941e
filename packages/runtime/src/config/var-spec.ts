/**
 * A description of one environment variable: its name, what it means, the form it takes and how to
 * parse it. Parsing failures name the variable and the expected form, so a misconfigured pod says
 * exactly what to fix in one line.
 */
export interface VarSpec<T> {
  readonly name: string;
  readonly doc: string;
  /** Human-readable form, used in error messages: "an integer 1–65535". */
  readonly expected: string;
  /** Secret values are redacted whenever configuration is logged. */
  readonly secret: boolean;
  readonly default: T | undefined;
  parse(raw: string): T;
}

export class InvalidValue extends Error {}

interface Common {
  readonly doc: string;
  readonly secret?: boolean;
}

function spec<T>(
  name: string,
  expected: string,
  opts: Common & { default?: T },
  parse: (raw: string) => T,
): VarSpec<T> {
  return { name, doc: opts.doc, expected, secret: opts.secret ?? false, default: opts.default, parse };
}

function parseInteger(raw: string, min: number, max: number): number {
  const trimmed = raw.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new InvalidValue();
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new InvalidValue();
  return value;
}

export function intVar(
  name: string,
  opts: Common & { default?: number; min: number; max: number },
): VarSpec<number> {
  return spec(name, `an integer from ${opts.min} to ${opts.max}`, opts, (raw) =>
    parseInteger(raw, opts.min, opts.max),
  );
}

/** A TCP port; 0 asks the OS for a free one (tests use it, then read the bound port from the startup log). */
export function portVar(name: string, opts: Common & { default: number }): VarSpec<number> {
  return spec(name, 'a TCP port from 0 to 65535 (0 picks a free port)', opts, (raw) =>
    parseInteger(raw, 0, 65535),
  );
}

export function stringVar(
  name: string,
  opts: Common & { default?: string; pattern?: RegExp; expected?: string },
): VarSpec<string> {
  const pattern = opts.pattern;
  return spec(name, opts.expected ?? 'a non-empty string', opts, (raw) => {
    const value = raw.trim();
    if (value === '' || (pattern !== undefined && !pattern.test(value))) throw new InvalidValue();
    return value;
  });
}

export function enumVar<const T extends string>(
  name: string,
  opts: Common & { default?: NoInfer<T>; values: readonly T[] },
): VarSpec<T> {
  return spec(name, `one of ${opts.values.join(', ')}`, opts, (raw) => {
    const value = raw.trim() as T;
    if (!opts.values.includes(value)) throw new InvalidValue();
    return value;
  });
}

export function boolVar(name: string, opts: Common & { default?: boolean }): VarSpec<boolean> {
  return spec(name, 'true or false', opts, (raw) => {
    const value = raw.trim().toLowerCase();
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new InvalidValue();
  });
}

export function urlVar(
  name: string,
  opts: Common & { default?: string; protocols: readonly string[] },
): VarSpec<string> {
  const form = `a URL starting with ${opts.protocols.map((p) => `${p}//`).join(' or ')}`;
  return spec(name, form, opts, (raw) => {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw new InvalidValue();
    }
    if (!opts.protocols.includes(url.protocol) || url.hostname === '') throw new InvalidValue();
    return raw.trim();
  });
}

/** host:port, as gRPC targets are written. */
export function addressVar(name: string, opts: Common & { default?: string }): VarSpec<string> {
  return spec(name, 'host:port, e.g. capstan-repo-server:8081', opts, (raw) => {
    const value = raw.trim();
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
    if (match === null || Number(match[2]) < 1 || Number(match[2]) > 65535) throw new InvalidValue();
    return value;
  });
}
