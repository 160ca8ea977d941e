// Go's fmt package for the value model: Sprint, Sprintln, Sprintf and %v. Templates print every
// action with fmt.Fprint, and print/printf/println are fmt itself, so the exact text matters:
// float64 as `1e+06`, maps as `map[a:1 b:2]` sorted by key, `<nil>` inside collections,
// `%!d(float64=3)` for a verb that does not fit.

import { formatFloat, formatFloatV, type FloatFormat } from './format-float.ts';
import { runeCount } from '@capstan/gocompat';
import { canBackquote, quote, quoteRune, quoteToASCII } from './go-quote.ts';
import { GoComplex, GoFunc, GoInt, GoMap, GoObject, GoSlice, goTypeName, mapEntries } from './go-values.ts';
import { compareBytes, utf8Bytes } from './utf8.ts';

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

function newFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
  };
}

const ldigits = '0123456789abcdefx';
const udigits = '0123456789ABCDEFX';

class Printer {
  out = '';
  f: Flags = newFlags();
  erroring = false;

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.out += (this.f.zero && !this.f.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.out += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.out += s;
    } else {
      this.out += s;
      this.writePadding(width);
    }
  }

  padString(s: string): void {
    this.pad(s);
  }

  private truncate(s: string): string {
    if (this.f.precPresent) {
      let n = this.f.prec;
      let i = 0;
      for (const ch of s) {
        if (n-- <= 0) return s.slice(0, i);
        i += ch.length;
      }
    }
    return s;
  }

  private badVerb(verb: string, arg: unknown, hasArg: boolean): void {
    this.erroring = true;
    this.out += `%!${verb}(`;
    if (hasArg && arg !== undefined && arg !== null) {
      this.out += goTypeName(arg);
      this.out += '=';
      this.printArg(arg, 'v');
    } else {
      this.out += '<nil>';
    }
    this.out += ')';
    this.erroring = false;
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.padString(v ? 'true' : 'false');
    else this.badVerb(verb, v, true);
  }

  private fmtIntegerBase(v: number, base: number, signed: boolean, verb: string): void {
    const digits = verb === 'X' ? udigits : ldigits;
    const f = this.f;
    const negative = signed && v < 0;
    let abs = Math.abs(v);
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && v === 0) {
        const oldZero = f.zero;
        f.zero = false;
        this.writePadding(f.wid);
        f.zero = oldZero;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let s: string;
    if (abs <= Number.MAX_SAFE_INTEGER) s = abs.toString(base);
    else s = BigInt(abs).toString(base);
    if (digits === udigits) s = s.toUpperCase();
    abs = 0;
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (f.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) {
        if (s[0] !== '0') s = '0' + s;
      } else if (base === 16) s = '0' + digits[16]! + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (f.plus) s = '+' + s;
    else if (f.space) s = ' ' + s;
    const oldZero = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = oldZero;
  }

  private fmtC(v: number): void {
    const cp = v < 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ? 0xfffd : v;
    this.pad(String.fromCodePoint(cp));
  }

  private fmtUnicode(v: number): void {
    let s = v.toString(16).toUpperCase();
    const prec = this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4;
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    s = 'U+' + s;
    if (this.f.sharp && v >= 0 && v <= 0x10ffff && v >= 0x20) {
      s += ` '${String.fromCodePoint(v)}'`;
    }
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = oldZero;
  }

  private fmtInteger(i: GoInt, verb: string): void {
    const v = i.value;
    const signed = !i.isUnsigned;
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !signed) {
          const oldSharp = this.f.sharp;
          this.f.sharp = true;
          this.fmtIntegerBase(v, 16, false, 'v');
          this.f.sharp = oldSharp;
        } else this.fmtIntegerBase(v, 10, signed, verb);
        return;
      case 'd':
        this.fmtIntegerBase(v, 10, signed, verb);
        return;
      case 'b':
        this.fmtIntegerBase(v, 2, signed, verb);
        return;
      case 'o':
      case 'O':
        this.fmtIntegerBase(v, 8, signed, verb);
        return;
      case 'x':
        this.fmtIntegerBase(v, 16, signed, verb);
        return;
      case 'X':
        this.fmtIntegerBase(v, 16, signed, verb);
        return;
      case 'c':
        this.fmtC(v);
        return;
      case 'q':
        this.pad(quoteRune(v < 0 || v > 0x10ffff ? 0xfffd : v, this.f.plus));
        return;
      case 'U':
        this.fmtUnicode(v);
        return;
      default:
        this.badVerb(verb, i, true);
    }
  }

  private fmtFloatNum(v: number, verb: FloatFormat, prec: number): void {
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num = formatFloat(v, verb, prec);
    if (num[0] !== '-' && num[0] !== '+') num = '+' + num;
    if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = oldZero;
      return;
    }
    if (f.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'g' || verb === 'G' || verb === 'x' || verb === 'X') digits = prec === -1 ? 6 : prec;
      let tail = '';
      let body = num;
      let hasDot = false;
      let sawNonzero = false;
      for (let i = 1; i < body.length; i++) {
        const c = body[i]!;
        if (c === '.') hasDot = true;
        else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else {
          if (c !== '0') sawNonzero = true;
          if (sawNonzero) digits--;
        }
      }
      if (!hasDot) {
        if (body.length === 2 && body[1] === '0') digits--;
        body += '.';
      }
      while (digits > 0) {
        body += '0';
        digits--;
      }
      num = body + tail;
    }
    if (f.plus || num[0] !== '+') {
      if (f.zero && f.widPresent && f.wid > num.length) {
        this.out += num[0];
        this.out += '0'.repeat(f.wid - num.length);
        this.out += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v':
        if (!this.f.sharp && !this.f.plus && !this.f.space && !this.f.widPresent && !this.f.precPresent) {
          this.out += formatFloatV(v);
          return;
        }
        this.fmtFloatNum(v, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        this.fmtFloatNum(v, verb, -1);
        return;
      case 'f':
      case 'e':
      case 'E':
        this.fmtFloatNum(v, verb, 6);
        return;
      case 'F':
        this.fmtFloatNum(v, 'f', 6);
        return;
      default:
        this.badVerb(verb, v, true);
    }
  }

  private fmtComplex(c: GoComplex, verb: string): void {
    switch (verb) {
      case 'v':
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
      case 'f':
      case 'F':
      case 'e':
      case 'E': {
        const oldPlus = this.f.plus;
        this.out += '(';
        this.fmtFloat(c.re, verb);
        this.f.plus = true;
        this.fmtFloat(c.im, verb);
        this.out += 'i)';
        this.f.plus = oldPlus;
        return;
      }
      default:
        this.badVerb(verb, c, true);
    }
  }

  private fmtSbx(bytes: Uint8Array, digits: string): void {
    const f = this.f;
    let length = bytes.length;
    if (f.precPresent && f.prec < length) length = f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) width += 2;
    } else {
      if (f.widPresent) this.writePadding(f.wid);
      return;
    }
    if (f.widPresent && f.wid > width && !f.minus) this.writePadding(f.wid - width);
    let s = '';
    if (f.sharp) s += '0' + digits[16]!;
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) {
        s += ' ';
        if (f.sharp) s += '0' + digits[16]!;
      }
      const c = bytes[i]!;
      s += digits[c >> 4]! + digits[c & 0xf]!;
    }
    this.out += s;
    if (f.widPresent && f.wid > width && f.minus) this.writePadding(f.wid - width);
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) {
      this.padString('`' + s + '`');
      return;
    }
    this.pad(this.f.plus ? quoteToASCII(s) : quote(s));
  }

  fmtString(s: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(s);
        else this.padString(this.truncate(s));
        return;
      case 's':
        this.padString(this.truncate(s));
        return;
      case 'x':
        this.fmtSbx(utf8Bytes(s), ldigits);
        return;
      case 'X':
        this.fmtSbx(utf8Bytes(s), udigits);
        return;
      case 'q':
        this.fmtQ(s);
        return;
      default:
        this.badVerb(verb, s, true);
    }
  }

  private fmtBytes(b: Uint8Array, verb: string, typeName: string): void {
    switch (verb) {
      case 'v':
      case 'd': {
        if (this.f.sharpV) {
          this.out += typeName + '{';
          b.forEach((c, i) => {
            if (i > 0) this.out += ', ';
            this.out += '0x' + c.toString(16);
          });
          this.out += '}';
          return;
        }
        this.out += '[';
        b.forEach((c, i) => {
          if (i > 0) this.out += ' ';
          this.fmtIntegerBase(c, 10, false, verb);
        });
        this.out += ']';
        return;
      }
      case 's':
        this.padString(this.truncate(new TextDecoder().decode(b)));
        return;
      case 'x':
        this.fmtSbx(b, ldigits);
        return;
      case 'X':
        this.fmtSbx(b, udigits);
        return;
      case 'q':
        this.fmtQ(new TextDecoder().decode(b));
        return;
      default:
        this.printList(
          Array.from(b, (c) => new GoInt('uint8', c)),
          verb,
          typeName,
          1,
        );
    }
  }

  /** error and fmt.Stringer values print through their method for string-ish verbs. */
  private handleMethods(arg: unknown, verb: string): boolean {
    if (this.erroring || this.f.sharpV) return false;
    if (verb !== 'v' && verb !== 's' && verb !== 'x' && verb !== 'X' && verb !== 'q') return false;
    let s: string | undefined;
    if (arg instanceof GoObject && arg.spec.stringer !== undefined) s = arg.spec.stringer();
    else if (arg instanceof GoInt && arg.named !== undefined) {
      const m = arg.named.methods.get('String');
      if (m !== undefined) s = String((m.fn as (r: GoInt) => unknown)(arg));
    }
    if (s === undefined) return false;
    this.fmtString(s, verb);
    return true;
  }

  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.padString('<nil>');
      else this.badVerb(verb, undefined, false);
      return;
    }
    if (verb === 'T') {
      this.fmtString(goTypeName(arg), 's');
      return;
    }
    if (verb === 'p') {
      this.fmtPointer(arg, verb);
      return;
    }
    switch (typeof arg) {
      case 'string':
        this.fmtString(arg, verb);
        return;
      case 'number':
        this.fmtFloat(arg, verb);
        return;
      case 'boolean':
        this.fmtBool(arg, verb);
        return;
      case 'bigint':
      case 'function':
      case 'object':
      case 'symbol':
      case 'undefined':
      default:
    }
    if (arg instanceof GoInt) {
      if (arg.named !== undefined && this.handleMethods(arg, verb)) return;
      this.fmtInteger(arg, verb);
      return;
    }
    if (arg instanceof Uint8Array) {
      this.fmtBytes(arg, verb, '[]uint8');
      return;
    }
    if (arg instanceof GoComplex) {
      this.fmtComplex(arg, verb);
      return;
    }
    if (this.handleMethods(arg, verb)) return;
    this.printValue(arg, verb, 0);
  }

  private fmtPointer(arg: unknown, verb: string): void {
    if (arg instanceof GoFunc || (arg instanceof GoObject && arg.spec.kind === 'ptr')) {
      if (verb === 'v' || verb === 'p') this.padString('0xc000010000');
      else this.badVerb(verb, arg, true);
      return;
    }
    this.badVerb(verb, arg, true);
  }

  private printList(items: readonly unknown[], verb: string, typeName: string, depth: number): void {
    if (this.f.sharpV) {
      this.out += typeName + '{';
      items.forEach((it, i) => {
        if (i > 0) this.out += ', ';
        this.printValue(it, verb, depth + 1, typeName === '[]interface {}');
      });
      this.out += '}';
      return;
    }
    this.out += '[';
    items.forEach((it, i) => {
      if (i > 0) this.out += ' ';
      this.printValue(it, verb, depth + 1, typeName === '[]interface {}');
    });
    this.out += ']';
  }

  /**
   * The reflection-driven printer. `boxed` marks elements of interface{} containers, where a nil
   * prints as `<nil>` whatever the verb.
   */
  printValue(v: unknown, verb: string, depth: number, boxed = false): void {
    if (depth > 0) {
      if (v === null || v === undefined) {
        if (boxed || verb === 'v') {
          this.out += this.f.sharpV ? 'interface {}(nil)' : '<nil>';
        } else this.badVerb(verb, undefined, false);
        return;
      }
      if (this.handleMethods(v, verb)) return;
    }
    switch (typeof v) {
      case 'string':
        this.fmtString(v, verb);
        return;
      case 'number':
        this.fmtFloat(v, verb);
        return;
      case 'boolean':
        this.fmtBool(v, verb);
        return;
      case 'undefined':
        this.out += depth === 0 ? '<invalid reflect.Value>' : '<nil>';
        return;
      case 'bigint':
      case 'function':
      case 'object':
      case 'symbol':
      default:
    }
    if (v === null) {
      this.out += '<nil>';
      return;
    }
    if (v instanceof GoInt) {
      this.fmtInteger(v, verb);
      return;
    }
    if (v instanceof GoComplex) {
      this.fmtComplex(v, verb);
      return;
    }
    if (v instanceof Uint8Array) {
      this.fmtBytes(v, verb, '[]uint8');
      return;
    }
    if (Array.isArray(v)) {
      this.printList(v, verb, '[]interface {}', depth);
      return;
    }
    if (v instanceof GoSlice) {
      if ((verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') && v.elem === 'uint8') {
        this.fmtBytes(
          Uint8Array.from(v.items, (x) => (x instanceof GoInt ? x.value : 0)),
          verb,
          v.typeName,
        );
        return;
      }
      this.printList(v.items, verb, v.typeName, depth);
      return;
    }
    if (v instanceof GoObject) {
      this.printObject(v, verb, depth);
      return;
    }
    if (v instanceof GoFunc) {
      this.fmtPointer(v, verb);
      return;
    }
    const entries = mapEntries(v);
    if (entries !== undefined) {
      const typeName = v instanceof GoMap ? v.typeName : 'map[string]interface {}';
      const boxedElems = !(v instanceof GoMap) || v.elem === 'interface {}';
      entries.sort((a, b) => compareBytes(a[0], b[0]));
      this.out += this.f.sharpV ? typeName + '{' : 'map[';
      entries.forEach(([k, val], i) => {
        if (i > 0) this.out += this.f.sharpV ? ', ' : ' ';
        this.printValue(k, verb, depth + 1);
        this.out += ':';
        this.printValue(val, verb, depth + 1, boxedElems);
      });
      this.out += this.f.sharpV ? '}' : ']';
      return;
    }
    this.out += '?';
  }

  private printObject(v: GoObject, verb: string, depth: number): void {
    if (v.spec.kind === 'ptr' && depth > 0) {
      this.fmtPointer(v, verb);
      return;
    }
    if (v.spec.kind === 'ptr') this.out += '&';
    this.out += this.f.sharpV ? `${v.spec.typeName.replace(/^\*/, '')}{` : '{';
    let i = 0;
    for (const [name, val] of v.spec.fields ?? []) {
      if (i++ > 0) this.out += this.f.sharpV ? ', ' : ' ';
      if (this.f.plusV || this.f.sharpV) this.out += name + ':';
      this.printValue(val, verb, depth + 1);
    }
    this.out += '}';
  }

  doPrint(args: readonly unknown[]): void {
    let prevString = false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const isString = typeof arg === 'string';
      if (i > 0 && !isString && !prevString) this.out += ' ';
      this.printArg(arg, 'v');
      prevString = isString;
    }
  }

  doPrintln(args: readonly unknown[]): void {
    for (let i = 0; i < args.length; i++) {
      if (i > 0) this.out += ' ';
      this.printArg(args[i], 'v');
    }
    this.out += '\n';
  }

  doPrintf(format: string, args: readonly unknown[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    let reordered = false;
    let goodArgNum = true;

    const parseNum = (i: number): [number, boolean, number] => {
      let num = 0;
      let isnum = false;
      while (i < end && format.charCodeAt(i) >= 48 && format.charCodeAt(i) <= 57) {
        if (num > 1e6) return [0, false, end];
        num = num * 10 + (format.charCodeAt(i) - 48);
        isnum = true;
        i++;
      }
      return [num, isnum, i];
    };
    const argNumber = (i: number): [number, number, boolean] => {
      if (i >= end || format[i] !== '[') return [argNum, i, false];
      reordered = true;
      const close = format.indexOf(']', i + 1);
      if (close < 0) {
        goodArgNum = false;
        return [argNum, i + 1, false];
      }
      const [n, ok, newi] = parseNum(i + 1);
      if (!ok || newi !== close) {
        goodArgNum = false;
        return [argNum, close + 1, true];
      }
      const idx = n - 1;
      if (idx >= 0 && idx < args.length) return [idx, close + 1, true];
      goodArgNum = false;
      return [argNum, close + 1, true];
    };
    const intFromArg = (): [number, boolean] => {
      let num = 0;
      let isInt = false;
      if (argNum < args.length) {
        const a = args[argNum];
        if (a instanceof GoInt) {
          num = a.value;
          isInt = true;
          if (num > 1e6 || num < -1e6) {
            num = 0;
            isInt = false;
          }
        }
        argNum++;
      }
      return [num, isInt];
    };

    let i = 0;
    while (i < end) {
      goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.out += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.f = newFlags();
      const f = this.f;
      flags: for (; i < end; i++) {
        switch (format[i]) {
          case '#':
            f.sharp = true;
            break;
          case '0':
            f.zero = true;
            break;
          case '+':
            f.plus = true;
            break;
          case '-':
            f.minus = true;
            break;
          case ' ':
            f.space = true;
            break;
          case undefined:
          default:
            break flags;
        }
      }
      [argNum, i, afterIndex] = argNumber(i);
      if (i < end && format[i] === '*') {
        i++;
        [f.wid, f.widPresent] = intFromArg();
        if (!f.widPresent) this.out += '%!(BADWIDTH)';
        if (f.wid < 0) {
          f.wid = -f.wid;
          f.minus = true;
        }
        afterIndex = false;
      } else {
        [f.wid, f.widPresent, i] = parseNum(i);
        if (afterIndex && f.widPresent) goodArgNum = false;
      }
      if (i + 1 <= end && format[i] === '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        [argNum, i, afterIndex] = argNumber(i);
        if (i < end && format[i] === '*') {
          i++;
          [f.prec, f.precPresent] = intFromArg();
          if (f.prec < 0) {
            f.prec = 0;
            f.precPresent = false;
          }
          if (!f.precPresent) this.out += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [f.prec, f.precPresent, i] = parseNum(i);
          if (!f.precPresent) {
            f.prec = 0;
            f.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = argNumber(i);
      if (i >= end) {
        this.out += '%!(NOVERB)';
        break;
      }
      const cp = format.codePointAt(i)!;
      const verb = String.fromCodePoint(cp);
      i += verb.length;
      if (f.minus) f.zero = false;
      if (verb === '%') {
        this.out += '%';
      } else if (!goodArgNum) {
        this.out += `%!${verb}(BADINDEX)`;
      } else if (argNum >= args.length) {
        this.out += `%!${verb}(MISSING)`;
      } else {
        if (verb === 'v') {
          f.sharpV = f.sharp;
          f.sharp = false;
          f.plusV = f.plus;
          f.plus = false;
        }
        this.printArg(args[argNum], verb);
        argNum++;
      }
    }
    if (!reordered && argNum < args.length) {
      this.f = newFlags();
      this.out += '%!(EXTRA ';
      for (let k = argNum; k < args.length; k++) {
        if (k > argNum) this.out += ', ';
        const a = args[k];
        if (a === null || a === undefined) this.out += '<nil>';
        else {
          this.out += goTypeName(a) + '=';
          this.printArg(a, 'v');
        }
      }
      this.out += ')';
    }
  }
}

/** fmt.Sprint. */
export function sprint(args: readonly unknown[]): string {
  if (args.length === 1) {
    const a = args[0];
    if (typeof a === 'string') return a;
    if (typeof a === 'number') return formatFloatV(a);
  }
  const p = new Printer();
  p.doPrint(args);
  return p.out;
}

/** fmt.Sprintln. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrintln(args);
  return p.out;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.out;
}

/** fmt.Sprintf("%v", v): how a value prints in an action. */
export function formatValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatFloatV(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
    case 'function':
    case 'object':
    case 'symbol':
    case 'undefined':
    default:
  }
  if (v instanceof GoInt && v.named === undefined) return String(v.value);
  const p = new Printer();
  p.printArg(v, 'v');
  return p.out;
}
