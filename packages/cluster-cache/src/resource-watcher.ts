import { CapstanError } from '@capstan/errors';
import type { KubeResponse, KubeTransport } from '@capstan/kube';
import { exponentialBackoff, type Backoff } from '@capstan/runtime';
import type { KubeObject } from './kube-object.ts';

/** A listable, watchable resource type at the version the cache reads it in. */
export interface WatchedType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural name used in URLs. */
  readonly resource: string;
  readonly namespaced: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatcherHooks {
  /** One page of a (re)list, in order; objects lack apiVersion/kind on most servers. */
  listPage(items: readonly KubeObject[]): void;
  /** A list completed: `uids` is everything it returned, for dropping what vanished meanwhile. */
  listDone(uids: ReadonlySet<string>): void;
  listFailed(err: Error): void;
  event(type: WatchEventType, obj: KubeObject): void;
  /** The server no longer serves the type (404): the caller should re-discover. */
  typeMissing(): void;
}

export interface WatcherOptions {
  readonly transport: KubeTransport;
  readonly type: WatchedType;
  /** One namespace, or cluster-wide when undefined. */
  readonly namespace: string | undefined;
  readonly hooks: WatcherHooks;
  /** Re-open the watch after about this long, even when nothing failed. */
  readonly watchRestartMs: number;
  /** @default 500 */
  readonly pageSize?: number;
  readonly backoff?: Backoff;
}

interface WatchEvent {
  readonly type?: string;
  readonly object?: KubeObject & {
    readonly code?: number;
    readonly message?: string;
    readonly reason?: string;
  };
}

/** The collection URL of a type, cluster-wide or in one namespace. */
export function collectionPath(type: WatchedType, namespace: string | undefined): string {
  const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  return namespace === undefined || !type.namespaced
    ? `${base}/${type.resource}`
    : `${base}/namespaces/${encodeURIComponent(namespace)}/${type.resource}`;
}

class Gone extends Error {}

function statusMessage(res: KubeResponse): string {
  try {
    const s = JSON.parse(res.body) as { message?: string };
    if (s.message !== undefined) return s.message;
  } catch {
    // not a Status object
  }
  return `HTTP ${res.status}`;
}

function httpError(verb: string, path: string, res: KubeResponse): CapstanError {
  const msg = `${verb} ${path}: ${statusMessage(res)}`;
  if (res.status === 401) return new CapstanError('Unauthenticated', msg);
  if (res.status === 403) return new CapstanError('PermissionDenied', msg);
  if (res.status === 404) return new CapstanError('NotFound', msg);
  return new CapstanError('Unavailable', msg);
}

/**
 * Keeps one type (cluster-wide or in one namespace) in step with the server, client-go reflector style:
 * a paged list, then a watch from the list's resourceVersion with bookmarks; a watch that ends is
 * re-opened from the last version seen; 410 Gone (the version was compacted away) forces a relist; any
 * other failure is retried after a capped backoff.
 */
export class ResourceWatcher {
  readonly type: WatchedType;
  readonly namespace: string | undefined;
  readonly #transport: KubeTransport;
  readonly #hooks: WatcherHooks;
  readonly #opts: WatcherOptions;
  readonly #backoff: Backoff;
  readonly #stop = new AbortController();
  #watchAbort: AbortController | undefined;
  #resourceVersion: string | undefined;
  #restartFrom: string | undefined;
  #running: Promise<void> | undefined;
  readonly #ready: Promise<void>;
  #resolveReady: (() => void) | undefined;
  #rejectReady: ((err: Error) => void) | undefined;
  #settled = false;

  constructor(opts: WatcherOptions) {
    this.#transport = opts.transport;
    this.type = opts.type;
    this.namespace = opts.namespace;
    this.#hooks = opts.hooks;
    this.#opts = opts;
    this.#backoff = opts.backoff ?? exponentialBackoff({ initialMs: 500, maxMs: 30_000 });
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // Callers that only stop() never observe `ready`; that must not be an unhandled rejection.
    this.#ready.catch(() => undefined);
  }

  /** Starts the loop. The promise settles after the first list: resolved, or rejected with its error. */
  start(): Promise<void> {
    this.#running ??= this.#loop();
    return this.#ready;
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#settle(new CapstanError('Aborted', 'watcher stopped'));
    await this.#running;
  }

  /** Re-opens the watch from `resourceVersion` (a too-old one provokes 410 and a relist). */
  restartFrom(resourceVersion: string): void {
    this.#restartFrom = resourceVersion;
    this.#watchAbort?.abort();
  }

  #settle(err?: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    if (err === undefined) this.#resolveReady?.();
    else this.#rejectReady?.(err);
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stop.signal.aborted) {
      try {
        if (this.#restartFrom !== undefined) {
          this.#resourceVersion = this.#restartFrom;
          this.#restartFrom = undefined;
        }
        if (this.#resourceVersion === undefined) {
          try {
            this.#resourceVersion = await this.#list();
          } catch (err) {
            if (this.#stop.signal.aborted) break;
            if (err instanceof CapstanError && err.code === 'PermissionDenied') {
              // Not allowed to read this type (a namespace-scoped cluster credential): leave it out.
              this.#settle();
              return;
            }
            if (err instanceof CapstanError && err.code === 'NotFound') this.#hooks.typeMissing();
            this.#hooks.listFailed(err as Error);
            this.#settle(err as Error);
            throw err;
          }
          this.#settle();
        }
        failures = 0;
        await this.#watch(this.#resourceVersion);
      } catch (err) {
        if (this.#stop.signal.aborted) break;
        if (err instanceof Gone) {
          this.#resourceVersion = undefined;
          continue;
        }
        failures++;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.#backoff.delay(failures));
          this.#stop.signal.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              resolve();
            },
            { once: true },
          );
        });
      }
    }
  }

  /** Lists every page; returns the list's resourceVersion. An expired continue token restarts the list. */
  async #list(): Promise<string> {
    const path = collectionPath(this.type, this.namespace);
    const limit = this.#opts.pageSize ?? 500;
    for (let attempt = 0; ; attempt++) {
      const uids = new Set<string>();
      let cont: string | undefined;
      let rv = '';
      let expired = false;
      do {
        const query = new URLSearchParams({ limit: String(limit) });
        if (cont !== undefined) query.set('continue', cont);
        const res = await this.#transport.request('GET', path, {
          query,
          verb: 'List',
          resourceKind: this.type.kind,
          signal: this.#stop.signal,
          timeoutMs: 60_000,
        });
        if (res.status === 410 && cont !== undefined && attempt === 0) {
          expired = true;
          break;
        }
        if (res.status !== 200) throw httpError('list', path, res);
        const list = JSON.parse(res.body) as {
          items?: KubeObject[] | null;
          metadata?: { resourceVersion?: string; continue?: string };
        };
        const items = list.items ?? [];
        for (const o of items) if (o.metadata?.uid !== undefined) uids.add(o.metadata.uid);
        this.#hooks.listPage(items);
        rv = list.metadata?.resourceVersion ?? rv;
        cont = list.metadata?.continue === '' ? undefined : list.metadata?.continue;
      } while (cont !== undefined);
      if (expired) continue;
      this.#hooks.listDone(uids);
      return rv;
    }
  }

  /** One watch connection. Returns when it ends normally; throws Gone on 410, else the failure. */
  async #watch(fromVersion: string): Promise<void> {
    const path = collectionPath(this.type, this.namespace);
    // Spread re-opens over time so a cluster's watches do not all reconnect in the same second.
    const timeoutSeconds = Math.max(
      1,
      Math.round((this.#opts.watchRestartMs / 1000) * (1 + Math.random() * 0.1)),
    );
    const query = new URLSearchParams({
      watch: '1',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeoutSeconds),
      resourceVersion: fromVersion,
    });
    const abort = new AbortController();
    this.#watchAbort = abort;
    const onStop = (): void => abort.abort();
    this.#stop.signal.addEventListener('abort', onStop, { once: true });
    let gone = false;
    let failure: Error | undefined;
    const onLine = (line: string): void => {
      if (gone || failure !== undefined) return;
      try {
        const ev = JSON.parse(line) as WatchEvent;
        const obj = ev.object;
        if (ev.type === 'ERROR') {
          if (obj?.code === 410) gone = true;
          else failure = new CapstanError('Unavailable', `watch ${path}: ${obj?.message ?? 'error event'}`);
          abort.abort();
          return;
        }
        if (obj === undefined) return;
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED')
          this.#hooks.event(ev.type, obj);
        // Advance only after the event is applied, so a failure re-delivers it.
        const rv = obj.metadata?.resourceVersion;
        if (rv !== undefined && rv !== '') this.#resourceVersion = rv;
      } catch (err) {
        failure = new CapstanError('Internal', `watch ${path}: ${(err as Error).message}`, { cause: err });
        abort.abort();
      }
    };
    try {
      const res = await this.#transport.stream(path, {
        query,
        onLine,
        resourceKind: this.type.kind,
        signal: abort.signal,
        // A silent connection is dead: the server ends each watch at timeoutSeconds.
        timeoutMs: timeoutSeconds * 1000 + 30_000,
      });
      if (res.status === 410) throw new Gone();
      if (res.status !== 200) throw httpError('watch', path, res);
    } catch (err) {
      // We cut the stream ourselves (410 event, error event, restartFrom, stop): not a failure.
      if (!abort.signal.aborted) throw err;
    } finally {
      this.#stop.signal.removeEventListener('abort', onStop);
      this.#watchAbort = undefined;
    }
    if (gone) throw new Gone();
    if (failure !== undefined) throw failure;
  }
}
