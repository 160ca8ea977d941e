/** Token bucket settings; `qps` is also the ceiling the adaptive rate recovers to. */
export interface RateLimiterOptions {
  /** Sustained requests per second. @default 50 */
  readonly qps?: number;
  /** Requests allowed at once after a quiet period. @default 100 */
  readonly burst?: number;
}

/** The slowest the limiter ever goes, however often the server throttles. */
const minRate = 1;
/** Successes needed to climb back from the floor to the full rate: slow, so a throttled server is not hammered again at once. */
const recoverySteps = 50;

/**
 * A token bucket whose rate adapts to the server (additive increase, multiplicative decrease): a 429
 * halves the rate (never below 1 qps) and pauses everyone until the server's Retry-After has passed;
 * each success then adds back a fiftieth of the configured rate. Pure: time is passed in, and `reserve`
 * answers how long to wait instead of sleeping, so it is tested without timers.
 */
export class AdaptiveRateLimiter {
  readonly #maxRate: number;
  readonly #maxBurst: number;
  #rate: number;
  #tokens: number;
  /** When the tokens were last brought up to date (ms). */
  #last: number | undefined;
  /** No request goes out before this time (ms): the server's Retry-After. */
  #pausedUntil = 0;

  constructor(options: RateLimiterOptions = {}) {
    const qps = options.qps ?? 50;
    const burst = options.burst ?? 100;
    if (!(qps > 0) || !(burst >= 1)) throw new RangeError(`rate limiter: qps must be > 0 and burst >= 1`);
    this.#maxRate = qps;
    this.#maxBurst = burst;
    this.#rate = qps;
    this.#tokens = burst;
  }

  /** The current sustained rate (requests per second). */
  get rate(): number {
    return this.#rate;
  }

  /** Tokens available now (negative while requests are queued). */
  tokens(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** The burst shrinks with the rate, so a throttled limiter does not release its full burst at once. */
  #burst(): number {
    return Math.max(1, (this.#maxBurst * this.#rate) / this.#maxRate);
  }

  #refill(now: number): void {
    if (this.#last === undefined) {
      this.#last = now;
      return;
    }
    // Time spent paused by a Retry-After earns no tokens.
    const from = Math.max(this.#last, this.#pausedUntil);
    if (now > from) this.#tokens = Math.min(this.#burst(), this.#tokens + ((now - from) * this.#rate) / 1000);
    this.#last = Math.max(this.#last, now);
  }

  /**
   * Takes one token for a request about to be sent at `now` and answers how many ms the caller must wait
   * before sending it. Tokens may go negative: that is the queue of requests already promised a slot.
   */
  reserve(now: number): number {
    this.#refill(now);
    this.#tokens -= 1;
    const pause = Math.max(0, this.#pausedUntil - now);
    const deficit = this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.#rate;
    return pause + deficit;
  }

  /** The server answered 429: halve the rate and hold every request until `retryAfterMs` from now. */
  throttled(now: number, retryAfterMs: number): void {
    this.#refill(now);
    this.#rate = Math.max(minRate, this.#rate / 2);
    // Whatever burst was saved up is what got us throttled; start again from empty.
    this.#tokens = Math.min(this.#tokens, 0);
    this.#pausedUntil = Math.max(this.#pausedUntil, now + Math.max(0, retryAfterMs));
  }

  /** A request was served (not throttled): creep back towards the configured rate. */
  succeeded(now: number): void {
    if (this.#rate >= this.#maxRate) return;
    this.#refill(now);
    this.#rate = Math.min(this.#maxRate, this.#rate + this.#maxRate / recoverySteps);
  }
}
