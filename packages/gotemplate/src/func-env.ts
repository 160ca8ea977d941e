import { GoFuncError } from './go-values.ts';

/**
 * What the non-deterministic functions need. The package has no clock or randomness of its own:
 * callers inject them, and without them `now`, `date` of a non-time, `randAlpha`, `uuidv4`…
 * fail with a clear error instead of quietly reading the machine.
 */
export interface FuncEnv {
  /** Milliseconds since the Unix epoch (time.Now). */
  readonly now?: () => number;
  /** A uniform number in [0, 1) (math/rand and crypto/rand). */
  readonly random?: () => number;
  /** IANA name of time.Local; UTC when unset. */
  readonly localTimeZone?: string;
  /** net.LookupHost, for the notifications flavour's getHostByName. */
  readonly lookupHost?: (name: string) => string[];
}

export interface RandomSource {
  next(): number;
  bytes(n: number): Uint8Array;
}

export function randomSource(env: FuncEnv): RandomSource {
  const next = (): number => {
    if (env.random === undefined) throw new GoFuncError('no random source is configured');
    return env.random();
  };
  return {
    next,
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256) & 0xff;
      return out;
    },
  };
}

export function clockNow(env: FuncEnv): number {
  if (env.now === undefined) throw new GoFuncError('no clock is configured');
  return env.now();
}
