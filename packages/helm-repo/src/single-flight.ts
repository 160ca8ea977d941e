/** Collapses concurrent calls with the same key into one: callers arriving while it runs share its result. */
export class SingleFlight<K, V> {
  readonly #inflight = new Map<K, Promise<V>>();

  run(key: K, fn: () => Promise<V>): Promise<V> {
    const running = this.#inflight.get(key);
    if (running !== undefined) return running;
    const started = fn().finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, started);
    return started;
  }
}
