// Hostile expressions: prototype lookups behave as missing keys; nesting, loops and output size end
// with clear errors inside their limits instead of hanging or overflowing the JS stack.
import { describe, expect, it } from 'vitest';
import { ExprError } from './expr-error.ts';
import { compile } from './program.ts';

function run(src: string, env: Record<string, unknown> = {}): unknown {
  return compile(src).run(env);
}

function failure(f: () => unknown): ExprError {
  try {
    f();
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
  throw new Error('expected an ExprError');
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('no way into JavaScript prototypes or globals', () => {
  const env = { m: { a: 1 }, arr: [1, 2], s: 'text' };

  it.each([
    'm.constructor',
    'm["constructor"]',
    'm.__proto__',
    'm["__proto__"]',
    'm.prototype',
    'm.toString',
    'm.hasOwnProperty',
    'm.valueOf',
    'constructor',
    '__proto__',
    'globalThis',
    'process',
    '$env.constructor',
    '{}.constructor',
    '{"a": 1}["__proto__"]',
  ])('%s is a missing key (nil)', (src) => {
    expect(run(src, env)).toBeNull();
  });

  it.each(['"constructor" in m', '"__proto__" in m', '"toString" in m', '"prototype" in $env'])(
    '%s is false',
    (src) => {
      expect(run(src, env)).toBe(false);
    },
  );

  it('calling through a prototype name fails like calling a missing function', () => {
    expect(failure(() => run('m.constructor("return process")', env)).reason).toBe(
      'invalid operation: cannot call nil',
    );
    expect(failure(() => run('m.toString()', env)).reason).toBe('invalid operation: cannot call nil');
  });

  it('arrays and strings only take integer indexes, as in expr', () => {
    expect(failure(() => run('arr.constructor', env)).reason).toBe('invalid operation: int(string)');
    expect(failure(() => run('s.constructor', env)).reason).toBe('invalid operation: int(string)');
  });

  it('a real "__proto__" key in JSON data is plain data, and map literals cannot pollute Object.prototype', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(run('x["__proto__"].polluted', { x: data })).toBe(true);
    const made = run('{"__proto__": {"polluted": true}, "constructor": 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(made)).toBeNull();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(run('{"constructor": 1}.constructor')).toBe(1);
  });

  it('plain JS functions in the environment are not callable', () => {
    const err = failure(() => run('f()', { f: () => 'escaped' }));
    expect(err.reason).toBe('invalid operation: cannot call non-function of type func()');
  });
});

describe('limits', () => {
  it('10,000 nested parentheses fail to compile cleanly and fast', () => {
    const src = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
    const { value: err, ms } = timed(() => failure(() => compile(src)));
    expect(err.phase).toBe('compile');
    expect(err.reason).toContain('nesting exceeds maximum depth');
    expect(ms).toBeLessThan(1000);
  });

  it.each([
    ['nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['stacked unary operators', `${'!'.repeat(5000)}true`],
    ['a long left-deep chain', Array.from({ length: 4000 }, () => '1').join(' + ')],
    ['nested calls', `${'len('.repeat(3000)}"x"${')'.repeat(3000)}`],
  ])('%s fail to compile with an error, not a stack overflow', (_name, src) => {
    const err = failure(() => compile(src));
    expect(err.phase).toBe('compile');
    expect(err.reason).toMatch(/maximum (depth|allowed nodes)/);
  });

  it('more than 10,000 nodes is expr’s own compile error', () => {
    const src = Array.from({ length: 6000 }, (_, i) => `x${i}`).join(' ?? ');
    expect(failure(() => compile(src)).reason).toMatch(/exceeds maximum allowed nodes|nesting exceeds/);
  });

  it('1..1e9 is a compile error, as in expr (a range needs ints)', () => {
    expect(failure(() => compile('1..1e9 | map(#)')).reason).toBe(
      'invalid operation: .. (mismatched types int and float64)',
    );
  });

  it('1..1000000000 | map(#) stops on the memory budget before allocating', () => {
    const { value: err, ms } = timed(() => failure(() => run('1..1000000000 | map(#)')));
    expect(err.phase).toBe('run');
    expect(err.reason).toBe('memory budget exceeded');
    expect(err.code).toBe('ResourceExhausted');
    expect(ms).toBeLessThan(200);
  });

  it('nested loops stop on the step limit', () => {
    const { value: err, ms } = timed(() =>
      failure(() => run('let r = 1..1000; all(r, all(r, all(r, true)))')),
    );
    expect(err.reason).toContain('step limit exceeded');
    expect(err.code).toBe('ResourceExhausted');
    expect(ms).toBeLessThan(5000);
  });

  it('the step limit is configurable per run', () => {
    const p = compile('count(1..100, # > 0)');
    expect(p.run({})).toBe(100);
    expect(failure(() => p.run({}, { maxSteps: 50 })).reason).toContain('step limit exceeded (50 steps)');
  });

  it('output size is bounded: repeat, concat and ranges count against the budget', () => {
    expect(failure(() => run('repeat("ab", 600000)')).reason).toBe('memory budget exceeded');
    expect(failure(() => run('repeat("x", 10000000)')).reason).toBe('memory budget exceeded');
    expect(failure(() => run('let a = 1..600000; concat(a, a)')).reason).toBe('memory budget exceeded');
  });

  it('doubling strings stops at the string size limit instead of exhausting the host', () => {
    const src = `let a = repeat("x", 500000); ${Array.from({ length: 12 }, (_, i) => `let s${i} = ${i === 0 ? 'a' : `s${i - 1}`} + ${i === 0 ? 'a' : `s${i - 1}`};`).join(' ')} len(s11)`;
    const { value: err, ms } = timed(() => failure(() => run(src)));
    expect(err.reason).toBe('memory budget exceeded');
    expect(err.code).toBe('ResourceExhausted');
    expect(ms).toBeLessThan(2000);
  });

  it('deeply nested data from fromJSON ends with an error, not a host crash', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const err = failure(() => run('fromJSON(s)', { s: deep }));
    expect(err.code).toBe('ResourceExhausted');
  });

  it('catastrophic regular expressions run in linear time (RE2 semantics)', () => {
    const { value, ms } = timed(() => run('s matches "(a+)+$"', { s: `${'a'.repeat(5000)}!` }));
    expect(value).toBe(false);
    expect(run('s matches "(a+)+!"', { s: `${'a'.repeat(5000)}!` })).toBe(true);
    const { value: v2, ms: ms2 } = timed(() => run('s matches "^(a|aa)+$"', { s: `${'a'.repeat(5000)}!` }));
    expect(v2).toBe(false);
    expect(ms + ms2).toBeLessThan(2000);
  });

  it('a bad pattern from data is a run-time error, not an exception of the host', () => {
    expect(failure(() => run('"a" matches p', { p: '(' })).reason).toBe(
      'error parsing regexp: missing closing ): `(`',
    );
  });
});
