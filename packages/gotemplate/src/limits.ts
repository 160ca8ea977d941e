// Execution limits. Templates come from users (ApplicationSet specs, notification ConfigMaps), so
// a runaway template must end with a clear error instead of spinning a CPU or exhausting memory.

export interface Limits {
  /** Nodes walked plus commands evaluated, over one execution. */
  readonly maxSteps: number;
  /** Nested {{template}} / {{block}} calls. */
  readonly maxTemplateDepth: number;
  /** Iterations of one {{range}}, and elements of lists built by functions (until, seq…). */
  readonly maxRangeIterations: number;
  /** Characters of output, and of any single string a function builds (repeat, indent…). */
  readonly maxOutputSize: number;
  /** Nesting of parentheses and control structures accepted by the parser. */
  readonly maxParseDepth: number;
}

export const defaultLimits: Limits = {
  maxSteps: 1_000_000,
  maxTemplateDepth: 100,
  maxRangeIterations: 100_000,
  maxOutputSize: 5 * 1024 * 1024,
  maxParseDepth: 1_000,
};

export function resolveLimits(overrides: Partial<Limits> | undefined): Limits {
  return overrides === undefined ? defaultLimits : { ...defaultLimits, ...overrides };
}

// Functions that build large values (repeat, until, indent…) check the limits of the execution that
// calls them. Execution is synchronous, so the active limits are a simple save/restore stack.
let active: Limits = defaultLimits;

export function withActiveLimits<T>(limits: Limits, fn: () => T): T {
  const saved = active;
  active = limits;
  try {
    return fn();
  } finally {
    active = saved;
  }
}

/** Thrown by functions when a value they would build exceeds the limits. */
export class LimitExceeded extends Error {}

export function checkSize(size: number, what: string): void {
  if (size > active.maxOutputSize) {
    throw new LimitExceeded(`${what} of ${size} characters exceeds the limit of ${active.maxOutputSize}`);
  }
}

export function checkCount(count: number, what: string): void {
  if (count > active.maxRangeIterations) {
    throw new LimitExceeded(`${what} of ${count} elements exceeds the limit of ${active.maxRangeIterations}`);
  }
}
