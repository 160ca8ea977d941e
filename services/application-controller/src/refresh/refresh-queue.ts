import type { CompareLevel } from '@capstan/engine';

export interface RefreshRequest {
  /** 0 tree only, 1 recent (pinned revision), 2 latest, 3 force resolve. */
  readonly level: CompareLevel;
  /** Bypass the manifest cache. */
  readonly hard: boolean;
}

/**
 * Pending refreshes keyed by app: asking twice before a worker gets to it merges the requests (the
 * higher level wins), and an app is never refreshed by two workers at once. A request that arrives
 * while its app is being refreshed runs again afterwards.
 */
export class RefreshQueue {
  readonly #pending = new Map<string, RefreshRequest>();
  readonly #order: string[] = [];
  readonly #running = new Set<string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #work: (key: string, req: RefreshRequest) => Promise<void>;
  readonly #concurrency: number;
  #active = 0;
  #closed = false;

  constructor(work: (key: string, req: RefreshRequest) => Promise<void>, concurrency: number) {
    this.#work = work;
    this.#concurrency = concurrency;
  }

  get size(): number {
    return this.#pending.size;
  }

  request(key: string, req: RefreshRequest, delayMs = 0): void {
    if (this.#closed) return;
    if (delayMs > 0) {
      const existing = this.#timers.get(key);
      if (existing !== undefined) return;
      const t = setTimeout(() => {
        this.#timers.delete(key);
        this.request(key, req);
      }, delayMs);
      t.unref();
      this.#timers.set(key, t);
      return;
    }
    const prev = this.#pending.get(key);
    if (prev === undefined) this.#order.push(key);
    this.#pending.set(key, {
      level: Math.max(prev?.level ?? 0, req.level) as CompareLevel,
      hard: (prev?.hard ?? false) || req.hard,
    });
    this.#pump();
  }

  #pump(): void {
    while (this.#active < this.#concurrency) {
      const idx = this.#order.findIndex((k) => !this.#running.has(k));
      if (idx < 0) return;
      const [key] = this.#order.splice(idx, 1);
      if (key === undefined) return;
      const req = this.#pending.get(key);
      this.#pending.delete(key);
      if (req === undefined) continue;
      this.#active++;
      this.#running.add(key);
      void this.#work(key, req).finally(() => {
        this.#active--;
        this.#running.delete(key);
        this.#pump();
      });
    }
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    this.#pending.clear();
    this.#order.length = 0;
  }
}
