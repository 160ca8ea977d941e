// Go's time.Duration text forms: time.ParseDuration and Duration.String, exact on int64 nanoseconds
// (bigint), with Go's error messages.

/** A string time.ParseDuration rejects; the message is Go's ("time: invalid duration ..."). */
export class GoDurationError extends Error {}

const NS_PER_SEC = 1_000_000_000n;
const MAX_DURATION = (1n << 63n) - 1n;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1000n],
  ['µs', 1000n], // U+00B5 micro sign
  ['μs', 1000n], // U+03BC Greek mu
  ['ms', 1_000_000n],
  ['s', NS_PER_SEC],
  ['m', 60n * NS_PER_SEC],
  ['h', 3600n * NS_PER_SEC],
]);

// The time package's quote(): a double-quoted string.
const quote = (s: string): string => JSON.stringify(s);

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** time.ParseDuration: "1h30m", "-1.5s", "300ms"; throws GoDurationError with Go's message. */
export function parseGoDuration(orig: string): bigint {
  const invalid = (): GoDurationError => new GoDurationError(`time: invalid duration ${quote(orig)}`);
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s, 0))) throw invalid();
    const intm = /^\d*/.exec(s)?.[0] ?? '';
    s = s.slice(intm.length);
    const pre = intm.length > 0;
    let v = pre ? BigInt(intm) : 0n;
    let frac = '';
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      frac = /^\d*/.exec(s)?.[0] ?? '';
      s = s.slice(frac.length);
      post = frac.length > 0;
    }
    if (!pre && !post) throw invalid();
    let i = 0;
    while (i < s.length && !(s[i] === '.' || isDigit(s, i))) i++;
    if (i === 0) throw new GoDurationError(`time: missing unit in duration ${quote(orig)}`);
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = UNITS.get(u);
    if (unit === undefined)
      throw new GoDurationError(`time: unknown unit ${quote(u)} in duration ${quote(orig)}`);
    if (v > (1n << 63n) / unit) throw invalid();
    v *= unit;
    if (frac !== '' && /[1-9]/.test(frac)) {
      const f = Number(frac.slice(0, 18));
      const scale = 10 ** Math.min(frac.length, 18);
      v += BigInt(Math.trunc(f * (Number(unit) / scale)));
      if (v > 1n << 63n) throw invalid();
    }
    d += v;
    if (d > 1n << 63n) throw invalid();
  }
  if (neg) return -d;
  if (d > MAX_DURATION) throw invalid();
  return d;
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  const p = 10n ** BigInt(prec);
  const frac = (v % p).toString().padStart(prec, '0').replace(/0+$/, '');
  return [frac === '' ? '' : `.${frac}`, v / p];
}

/** Duration.String(): "1h30m0s", "1.5s", "500ms", "0s". */
export function formatGoDuration(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < NS_PER_SEC) {
    if (u === 0n) return '0s';
    let unit: string;
    let prec: number;
    if (u < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const [frac, int] = fmtFrac(u, prec);
    out = `${int}${frac}${unit}`;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}
