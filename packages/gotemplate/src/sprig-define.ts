// Shorthands for declaring Sprig functions with their Go signatures; the executor checks and
// converts arguments against these types exactly as text/template does with reflection.

import { GoFunc, GoFuncError, type GoFuncSig } from './go-values.ts';

export const S = 'string';
export const I = 'int';
export const B = 'bool';
export const F = 'float64';
export const X = 'interface {}';
export const M = 'map[string]interface {}';
export const L = '[]interface {}';
export const T = 'time.Time';

export type FuncTable = [string, GoFunc][];

export function def<A extends unknown[]>(
  params: readonly string[],
  ret: string,
  fn: (...args: A) => unknown,
  extra: Partial<Pick<GoFuncSig, 'variadic' | 'err'>> = {},
): GoFunc {
  return new GoFunc({ params, ret, ...extra }, fn);
}

/** Variadic: the last entry of params is the element type of `...T`. */
export function defv<A extends unknown[]>(
  params: readonly string[],
  ret: string,
  fn: (...args: A) => unknown,
  err = false,
): GoFunc {
  return new GoFunc({ params, ret, variadic: true, err }, fn);
}

/** A Go error result or panic, reported as `error calling F: <msg>`. */
export function fail(msg: string): never {
  throw new GoFuncError(msg);
}

export const nilDeref = 'runtime error: invalid memory address or nil pointer dereference';

/** Go's panic text for s[a:b] out of range. */
export function sliceBoundsError(a: number | undefined, b: number | undefined, len: number): never {
  if (b !== undefined && b > len) fail(`runtime error: slice bounds out of range [:${b}] with length ${len}`);
  if (b !== undefined && a !== undefined && a > b)
    fail(`runtime error: slice bounds out of range [${a}:${b}]`);
  if (a !== undefined && a > len) fail(`runtime error: slice bounds out of range [${a}:${len}]`);
  fail('runtime error: slice bounds out of range');
}
