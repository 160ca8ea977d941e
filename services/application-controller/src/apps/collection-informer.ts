import {
  makeInformer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Logger } from '@capstan/runtime';

export type CollectionEvent = 'add' | 'update' | 'delete';

export interface CollectionInformer<T extends KubernetesObject> {
  /** Resolves once the first list has been loaded. */
  start(): Promise<void>;
  stop(): Promise<void>;
  list(): T[];
  get(name: string, namespace?: string): T | undefined;
}

/**
 * A list+watch of one collection that keeps its cache and restarts itself after errors: client-node's
 * informer stops on the first watch error and would otherwise leave a silently stale cache.
 */
export function collectionInformer<T extends KubernetesObject>(options: {
  readonly kubeConfig: KubeConfig;
  readonly path: string;
  readonly list: () => Promise<KubernetesListObject<T>>;
  readonly labelSelector?: string;
  readonly logger: Logger;
  readonly onEvent?: (type: CollectionEvent, obj: T, old?: T) => void;
  readonly restartDelayMs?: number;
}): CollectionInformer<T> {
  const informer = makeInformer<T>(options.kubeConfig, options.path, options.list, options.labelSelector);
  let stopped = false;
  // Until the first list succeeds, start() itself retries; the error callback must not start a second loop.
  let started = false;
  let restart: NodeJS.Timeout | undefined;
  const previous = new Map<string, T>();
  const id = (o: T): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  informer.on('add', (o) => {
    previous.set(id(o), o);
    options.onEvent?.('add', o);
  });
  informer.on('update', (o) => {
    const old = previous.get(id(o));
    previous.set(id(o), o);
    options.onEvent?.('update', o, old);
  });
  informer.on('delete', (o) => {
    previous.delete(id(o));
    options.onEvent?.('delete', o);
  });
  const baseDelay = options.restartDelayMs ?? 1000;
  let delay = baseDelay;
  const scheduleRestart = (err: unknown): void => {
    if (stopped || restart !== undefined) return;
    options.logger.warn('watch failed; restarting', {
      path: options.path,
      error: String(err).slice(0, 300),
      inMs: delay,
    });
    restart = setTimeout(() => {
      restart = undefined;
      informer.start().then(
        () => {
          delay = baseDelay;
        },
        (e: unknown) => {
          delay = Math.min(delay * 2, 30_000);
          scheduleRestart(e);
        },
      );
    }, delay);
  };
  // client-node reports a failed list through the error callback and still resolves start().
  let initialError: unknown;
  informer.on('error', (err: unknown) => {
    if (!started) initialError = err;
    else scheduleRestart(err);
  });
  return {
    // The first list must succeed (the controller is useless without it), but a cluster that is still
    // settling (429 "storage is (re)initializing" right after CRDs are installed) is waited for.
    start: async () => {
      for (let wait = baseDelay; ; wait = Math.min(wait * 2, 10_000)) {
        try {
          initialError = undefined;
          await informer.start();
          if (initialError !== undefined)
            throw initialError instanceof Error ? initialError : new Error(JSON.stringify(initialError));
          started = true;
          return;
        } catch (err) {
          if (stopped) throw err;
          const notServed = String(err).includes('HTTP-Code: 404');
          options.logger.warn(
            notServed
              ? 'the API server does not serve this collection (are the Capstan CRDs installed?); retrying'
              : 'initial list failed; retrying',
            { path: options.path, error: String(err).slice(0, 300) },
          );
          await new Promise((r) => setTimeout(r, wait));
        }
      }
    },
    stop: async () => {
      stopped = true;
      if (restart !== undefined) clearTimeout(restart);
      await informer.stop();
    },
    list: () => [...informer.list()],
    get: (name, namespace) => informer.get(name, namespace),
  };
}
