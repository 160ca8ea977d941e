export interface SingleFlight<T> {
  /** Runs `fn` unless a call with the same key is in flight, in which case its result is shared. */
  run(key: string, fn: () => Promise<T>): Promise<T>;
  /** The call in flight for `key`, if any, with the time it started. */
  current(key: string): { readonly promise: Promise<T>; readonly startedAt: number } | undefined;
}

/**
 * Identical concurrent work runs once: callers arriving while a call with the same key is in flight share
 * its result. `now` stamps when each call started (for callers that must know whether it began before them).
 */
export function createSingleFlight<T>(now: () => number = Date.now): SingleFlight<T> {
  const inFlight = new Map<string, { promise: Promise<T>; startedAt: number }>();
  return {
    run(key, fn) {
      const existing = inFlight.get(key);
      if (existing !== undefined) return existing.promise;
      const entry = { promise: Promise.resolve() as Promise<unknown> as Promise<T>, startedAt: now() };
      // Registered before fn starts, so a caller arriving while fn is still synchronous joins it.
      inFlight.set(key, entry);
      entry.promise = (async () => {
        try {
          return await fn();
        } finally {
          if (inFlight.get(key) === entry) inFlight.delete(key);
        }
      })();
      return entry.promise;
    },
    current: (key) => inFlight.get(key),
  };
}
