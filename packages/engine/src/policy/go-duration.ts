// Durations in Argo CD's CRDs are Go `time.Duration` strings; parsing them the same way keeps a
// manifest that Argo CD accepts valid here, and one it rejects invalid.

const unitMs: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const term = /^(\d*)(?:\.(\d*))?([^\d.]*)/;

/** Milliseconds of a Go duration (`1h30m`, `1.5s`, `-2m`, `0`), or undefined when Go would reject it. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const m = term.exec(rest);
    const whole = m?.[1] ?? '';
    const fraction = m?.[2] ?? '';
    const unit = m?.[3] ?? '';
    if (m === null || (whole === '' && fraction === '')) return undefined;
    const scale = unitMs[unit];
    if (scale === undefined) return undefined;
    total += Number(`${whole === '' ? '0' : whole}.${fraction === '' ? '0' : fraction}`) * scale;
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/**
 * A retry backoff duration: a bare integer counts as seconds (`"30"`), anything else is a Go duration.
 * Undefined when neither reading works.
 */
export function parseRetryDuration(text: string): number | undefined {
  if (/^[+-]?\d+$/.test(text)) return Number(text) * 1000;
  return parseGoDuration(text);
}
