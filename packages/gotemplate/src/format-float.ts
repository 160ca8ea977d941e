// strconv.FormatFloat for float64: the 'e', 'f', 'g', 'b' and 'x' formats, shortest (-1) or with a
// precision. Shortest digits come from JavaScript (the same shortest round-trip digits Go computes);
// fixed precisions round the exact binary value half-to-even, as Go's decimal rounding does.

interface Digits {
  /** Significant decimal digits without leading or trailing zeros ("" for zero). */
  d: string;
  /** Decimal point position: the value is 0.d × 10^dp. */
  dp: number;
}

const view = new DataView(new ArrayBuffer(8));

function floatBits(x: number): { mant: bigint; exp: number } {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  return { mant, exp };
}

function shortestDigits(abs: number): Digits {
  if (abs === 0) return { d: '', dp: 0 };
  const s = abs.toExponential();
  const e = s.indexOf('e');
  const mant = s.slice(0, e).replace('.', '');
  const exp = Number(s.slice(e + 1));
  return { d: mant.replace(/0+$/, ''), dp: exp + 1 };
}

function exactDigits(abs: number): Digits {
  if (abs === 0) return { d: '', dp: 0 };
  const { mant, exp } = floatBits(abs);
  let d: string;
  let dp: number;
  if (exp >= 0) {
    d = (mant << BigInt(exp)).toString();
    dp = d.length;
  } else {
    const k = -exp;
    d = (mant * 5n ** BigInt(k)).toString();
    dp = d.length - k;
  }
  return { d: d.replace(/0+$/, ''), dp };
}

/** Rounds to nd significant digits, half to even on the exact value (strconv decimal.Round). */
function roundDigits(dig: Digits, nd: number): Digits {
  const { d } = dig;
  if (nd < 0 || nd >= d.length) return dig;
  let up: boolean;
  if (d[nd] === '5' && nd + 1 === d.length) {
    up = nd > 0 && (d.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else {
    up = d[nd]! >= '5';
  }
  if (!up) return { d: d.slice(0, nd).replace(/0+$/, ''), dp: dig.dp };
  let i = nd - 1;
  while (i >= 0 && d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: dig.dp + 1 };
  return { d: d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1), dp: dig.dp };
}

function digitAt(dig: Digits, i: number): string {
  return i >= 0 && i < dig.d.length ? dig.d[i]! : '0';
}

function fmtE(dig: Digits, prec: number, e: string): string {
  let out = dig.d.length === 0 ? '0' : dig.d[0]!;
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(dig, i);
  }
  let exp = dig.d.length === 0 ? 0 : dig.dp - 1;
  out += e;
  if (exp < 0) {
    out += '-';
    exp = -exp;
  } else out += '+';
  out += exp < 10 ? `0${exp}` : String(exp);
  return out;
}

function fmtF(dig: Digits, prec: number): string {
  let out: string;
  if (dig.dp > 0) {
    const m = Math.min(dig.d.length, dig.dp);
    out = dig.d.slice(0, m) + '0'.repeat(dig.dp - m);
  } else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(dig, dig.dp + i - 1);
  }
  return out;
}

function fmtB(x: number): string {
  const { mant, exp } = floatBits(Math.abs(x));
  const e = mant === 0n ? -1074 : exp;
  return `${x < 0 || Object.is(x, -0) ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`;
}

function fmtX(x: number, prec: number, upper: boolean): string {
  const neg = x < 0 || Object.is(x, -0);
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (biased === 0) exp = -1022;
  else {
    mant |= 1n << 52n;
    exp = biased - 1023;
  }
  if (mant === 0n) exp = 0;
  const mask60 = (1n << 60n) - 1n;
  mant <<= 8n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & mask60;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = `${neg ? '-' : ''}0${upper ? 'X' : 'x'}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += upper ? 'P' : 'p';
  if (exp < 0) {
    out += '-';
    exp = -exp;
  } else out += '+';
  out += exp < 10 ? `0${exp}` : String(exp);
  return out;
}

export type FloatFormat = 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'b' | 'x' | 'X';

/** strconv.FormatFloat(x, fmt, prec, 64). */
export function formatFloat(x: number, fmt: FloatFormat, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (fmt === 'b') return fmtB(x);
  if (fmt === 'x' || fmt === 'X') return fmtX(x, prec, fmt === 'X');
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const sign = neg ? '-' : '';
  const shortest = prec < 0;
  let dig: Digits;
  if (shortest) {
    dig = shortestDigits(abs);
  } else {
    dig = exactDigits(abs);
    switch (fmt) {
      case 'e':
      case 'E':
        dig = roundDigits(dig, prec + 1);
        break;
      case 'f':
      case 'F':
        dig = roundDigits(dig, dig.dp + prec);
        break;
      case 'g':
      case 'G':
      default:
        dig = roundDigits(dig, prec === 0 ? 1 : prec);
        if (prec === 0) prec = 1;
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return sign + fmtE(dig, shortest ? Math.max(dig.d.length - 1, 0) : prec, fmt);
    case 'f':
    case 'F':
      return sign + fmtF(dig, shortest ? Math.max(dig.d.length - dig.dp, 0) : prec);
    case 'g':
    case 'G':
    default: {
      let eprec = prec;
      const nd = dig.d.length;
      if (shortest) {
        prec = nd;
        eprec = 6;
      } else if (eprec > nd && nd >= dig.dp) {
        eprec = nd;
      }
      const exp = dig.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return sign + fmtE(dig, Math.max(prec - 1, 0), fmt === 'G' ? 'E' : 'e');
      }
      if (prec > dig.dp) prec = nd;
      return sign + fmtF(dig, Math.max(prec - dig.dp, 0));
    }
  }
}

/** %v of a float64: strconv 'g' with the shortest precision (1e+06, 123456, 1e-05). */
export function formatFloatV(x: number): string {
  if (Number.isInteger(x) && x !== 0 && Math.abs(x) < 1e6) return String(x);
  return formatFloat(x, 'g', -1);
}
