// Sprig's arithmetic (numeric.go and functions.go): integer functions convert with spf13/cast and
// return int64 (wrapping like Go), float functions go through shopspring/decimal so that
// `addf 0.1 0.2` is 0.3, and conversions follow cast's rules.

import { toFloat64, toInt64, wrapInt64 } from './go-cast.ts';
import type { GoInt } from './go-values.ts';
import { GoSlice, goInt, goInt64 } from './go-values.ts';
import { def, defv, F, fail, I, X, type FuncTable } from './sprig-define.ts';
import { untilStep } from './sprig-strings.ts';
import type { RandomSource } from './func-env.ts';

// Decimal arithmetic ------------------------------------------------------------------------

interface Decimal {
  coef: bigint;
  exp: number;
}

/** decimal.NewFromFloat: the shortest decimal that round-trips. */
function fromFloat(f: number): Decimal {
  if (!Number.isFinite(f))
    fail(`Cannot create a Decimal from ${f === Infinity ? '+Inf' : f === -Infinity ? '-Inf' : 'NaN'}`);
  const s = f.toExponential();
  const e = s.indexOf('e');
  const mant = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mant.indexOf('.');
  const digits = mant.replace('.', '').replace('-', '');
  const frac = dot < 0 ? 0 : mant.length - dot - 1;
  const coef = BigInt(digits) * (f < 0 ? -1n : 1n);
  return { coef, exp: exp - frac };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

function toFloat(d: Decimal): number {
  return Number(`${d.coef}e${d.exp}`);
}

const decimalOps: Record<string, (a: Decimal, b: Decimal) => Decimal> = {
  add: (a, b) => {
    const [x, y, exp] = align(a, b);
    return { coef: x + y, exp };
  },
  sub: (a, b) => {
    const [x, y, exp] = align(a, b);
    return { coef: x - y, exp };
  },
  mul: (a, b) => ({ coef: a.coef * b.coef, exp: a.exp + b.exp }),
  div: (a, b) => {
    if (b.coef === 0n) fail('decimal division by 0');
    // DivRound(d2, 16): the quotient rounded half away from zero to 16 decimal places.
    const precision = 16;
    const shift = precision + 1 + (a.exp - b.exp);
    let num = a.coef < 0n ? -a.coef : a.coef;
    let den = b.coef < 0n ? -b.coef : b.coef;
    if (shift >= 0) num *= 10n ** BigInt(shift);
    else den *= 10n ** BigInt(-shift);
    const q = num / den;
    const rounded = q / 10n + (q % 10n >= 5n ? 1n : 0n);
    const neg = a.coef < 0n !== b.coef < 0n;
    return { coef: neg ? -rounded : rounded, exp: -precision };
  },
};

function decimalOp(op: string, a: unknown, rest: unknown[]): number {
  let acc = fromFloat(toFloat64(a));
  for (const x of rest) acc = decimalOps[op]!(acc, fromFloat(toFloat64(x)));
  return toFloat(acc);
}

function int64Op(a: number, b: number, op: 'add' | 'sub' | 'mul'): number {
  const r = op === 'add' ? a + b : op === 'sub' ? a - b : a * b;
  if (Number.isSafeInteger(r)) return r;
  const x = BigInt(a);
  const y = BigInt(b);
  return wrapInt64(op === 'add' ? x + y : op === 'sub' ? x - y : x * y);
}

/** math.Round-free Sprig round: ceil when the fraction reaches roundOn. */
function round(a: unknown, p: GoInt, ...rOpt: number[]): number {
  const roundOn = rOpt.length > 0 ? rOpt[0]! : 0.5;
  const val = toFloat64(a);
  const pow = 10 ** p.value;
  const digit = pow * val;
  const div = digit - Math.trunc(digit);
  const r = div >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

export function mathFuncs(random: RandomSource): FuncTable {
  const i64 = 'int64';
  const maxF = defv([X, X], i64, (a: unknown, ...rest: unknown[]) =>
    goInt64(rest.reduce<number>((m, b) => Math.max(m, toInt64(b)), toInt64(a))),
  );
  return [
    ['add1', def([X], i64, (i: unknown) => goInt64(int64Op(toInt64(i), 1, 'add')))],
    [
      'add',
      defv([X], i64, (...v: unknown[]) =>
        goInt64(v.reduce<number>((acc, b) => int64Op(acc, toInt64(b), 'add'), 0)),
      ),
    ],
    ['sub', def([X, X], i64, (a: unknown, b: unknown) => goInt64(int64Op(toInt64(a), toInt64(b), 'sub')))],
    [
      'div',
      def([X, X], i64, (a: unknown, b: unknown) => {
        const y = toInt64(b);
        if (y === 0) fail('runtime error: integer divide by zero');
        return goInt64(wrapInt64(BigInt(toInt64(a)) / BigInt(y)));
      }),
    ],
    [
      'mod',
      def([X, X], i64, (a: unknown, b: unknown) => {
        const y = toInt64(b);
        if (y === 0) fail('runtime error: integer divide by zero');
        return goInt64(Number(BigInt(toInt64(a)) % BigInt(y)));
      }),
    ],
    [
      'mul',
      defv([X, X], i64, (a: unknown, ...v: unknown[]) =>
        goInt64(v.reduce<number>((acc, b) => int64Op(acc, toInt64(b), 'mul'), toInt64(a))),
      ),
    ],
    [
      'randInt',
      def([I, I], I, (min: GoInt, max: GoInt) => {
        const n = max.value - min.value;
        if (n <= 0) fail('invalid argument to Intn');
        return goInt(Math.floor(random.next() * n) + min.value);
      }),
    ],
    ['add1f', def([X], F, (i: unknown) => decimalOp('add', i, [1]))],
    ['addf', defv([X], F, (...v: unknown[]) => decimalOp('add', 0, v))],
    ['subf', defv([X, X], F, (a: unknown, ...v: unknown[]) => decimalOp('sub', a, v))],
    ['divf', defv([X, X], F, (a: unknown, ...v: unknown[]) => decimalOp('div', a, v))],
    ['mulf', defv([X, X], F, (a: unknown, ...v: unknown[]) => decimalOp('mul', a, v))],
    ['biggest', maxF],
    ['max', maxF],
    [
      'min',
      defv([X, X], i64, (a: unknown, ...rest: unknown[]) =>
        goInt64(rest.reduce<number>((m, b) => Math.min(m, toInt64(b)), toInt64(a))),
      ),
    ],
    [
      'maxf',
      defv([X, X], F, (a: unknown, ...rest: unknown[]) =>
        rest.reduce<number>((m, b) => Math.max(m, toFloat64(b)), toFloat64(a)),
      ),
    ],
    [
      'minf',
      defv([X, X], F, (a: unknown, ...rest: unknown[]) =>
        rest.reduce<number>((m, b) => Math.min(m, toFloat64(b)), toFloat64(a)),
      ),
    ],
    ['ceil', def([X], F, (a: unknown) => Math.ceil(toFloat64(a)))],
    ['floor', def([X], F, (a: unknown) => Math.floor(toFloat64(a)))],
    ['round', defv([X, I, F], F, round)],
    ['int64', def([X], i64, (v: unknown) => goInt64(toInt64(v)))],
    ['int', def([X], I, (v: unknown) => goInt(toInt64(v)))],
    ['float64', def([X], F, toFloat64)],
    [
      'until',
      def([I], '[]int', (count: GoInt) => {
        const step = count.value < 0 ? -1 : 1;
        return new GoSlice('int', untilStep(0, count.value, step).map(goInt));
      }),
    ],
    [
      'untilStep',
      def(
        [I, I, I],
        '[]int',
        (start: GoInt, stop: GoInt, step: GoInt) =>
          new GoSlice('int', untilStep(start.value, stop.value, step.value).map(goInt)),
      ),
    ],
  ];
}
