import type { Logger } from './logger.ts';

// A closer may be sync or async; both are awaited.
type Closer = () => unknown;

/**
 * Owns what a process has started and closes it in reverse order on shutdown: servers stop accepting
 * and drain first (they were started last), connections close after.
 */
export class Lifecycle {
  readonly #closers: { name: string; close: Closer }[] = [];
  readonly #logger: Logger;
  #closing: Promise<boolean> | undefined;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(name: string, close: Closer): void {
    this.#closers.push({ name, close });
  }

  /** Closes everything once; resolves true when every closer succeeded. */
  close(): Promise<boolean> {
    this.#closing ??= (async () => {
      let ok = true;
      for (const { name, close } of [...this.#closers].reverse()) {
        try {
          await close();
        } catch (err) {
          ok = false;
          this.#logger.error('shutdown step failed', { step: name, error: (err as Error).message });
        }
      }
      return ok;
    })();
    return this.#closing;
  }
}

export interface SignalOptions {
  readonly lifecycle: Lifecycle;
  readonly logger: Logger;
  /** After this long the process exits 1 whatever is still open. */
  readonly hardDeadlineMs: number;
  readonly exit?: (code: number) => void;
}

/** SIGTERM/SIGINT → graceful close → exit 0; a second signal or a hung close exits 1. */
export function exitOnSignals(options: SignalOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let received = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) {
      options.logger.warn('second signal; exiting now', { signal });
      exit(1);
      return;
    }
    received = true;
    const started = Date.now();
    options.logger.info('shutting down', { signal });
    setTimeout(() => {
      options.logger.error('shutdown exceeded its deadline', { ms: options.hardDeadlineMs });
      exit(1);
    }, options.hardDeadlineMs).unref();
    void options.lifecycle.close().then((ok) => {
      options.logger.info('stopped', { ms: Date.now() - started });
      exit(ok ? 0 : 1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
