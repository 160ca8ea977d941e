// Kubernetes resource quantities are stored in canonical form ("0.5" → "500m", "1024Mi" → "1Gi", 1 → "1"),
// so a manifest and its live object can spell the same amount differently.

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIX: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const QUANTITY = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The amount as digits × 10^exponent, or undefined when the text is not a quantity. */
function parseQuantity(value: string | number): { digits: bigint; exponent: number } | undefined {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = QUANTITY.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exp, suffix = ''] = match;
  if (whole === '' && fraction === '') return undefined;
  let digits = BigInt(`${sign === '-' ? '-' : ''}${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  if (exp !== undefined) exponent += Number(exp.slice(1));
  else if (suffix in BINARY_SUFFIX) digits *= 1024n ** BigInt(BINARY_SUFFIX[suffix] ?? 0);
  else exponent += DECIMAL_SUFFIX[suffix] ?? 0;
  return { digits, exponent };
}

export function quantitiesEqual(a: string | number, b: string | number): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return false;
  if (x.digits === 0n || y.digits === 0n) return x.digits === y.digits;
  if (Math.abs(x.exponent - y.exponent) > 64) return false; // no real quantity spans 64 orders of magnitude
  const scale = Math.min(x.exponent, y.exponent);
  return x.digits * 10n ** BigInt(x.exponent - scale) === y.digits * 10n ** BigInt(y.exponent - scale);
}

/** Maps whose values are quantities (container resources, quotas, limit ranges, PVC and node capacity). */
export const QUANTITY_MAPS: ReadonlySet<string> = new Set([
  'limits',
  'requests',
  'hard',
  'capacity',
  'allocatable',
  'overhead',
  'default',
  'defaultRequest',
  'max',
  'min',
  'maxLimitRequestRatio',
]);
