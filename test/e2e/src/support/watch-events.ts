// Records every watch event of one collection (ADDED/MODIFIED/DELETED, with uid and resourceVersion), for
// tests that must tell how many objects were created, not how many are left.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export interface WatchedEvent {
  readonly type: string;
  readonly uid: string;
  readonly name: string;
  readonly resourceVersion: string;
  /** Date.now() when the event arrived. */
  readonly at: number;
  readonly object: KubernetesObject & Record<string, unknown>;
}

export interface EventLog {
  readonly events: readonly WatchedEvent[];
  stop(): void;
}

/**
 * Watches a collection path (e.g. `/apis/batch/v1/namespaces/x/jobs`) until stopped. A watch the API
 * server ends is started again from the last resourceVersion seen, so no event is missed or repeated
 * (a restart that must list again reports the objects present as ADDED; dedupe by uid).
 */
export async function watchEvents(kubeConfig: KubeConfig, path: string): Promise<EventLog> {
  const events: WatchedEvent[] = [];
  const watch = new Watch(kubeConfig);
  let stopped = false;
  let lastRv: string | undefined;
  let abort: AbortController | undefined;
  const start = async (): Promise<void> => {
    if (stopped) return;
    try {
      abort = await watch.watch(
        path,
        lastRv === undefined ? {} : { resourceVersion: lastRv },
        (type: string, obj: KubernetesObject & Record<string, unknown>) => {
          const rv = obj.metadata?.resourceVersion ?? '';
          if (type === 'BOOKMARK') {
            lastRv = rv;
            return;
          }
          if (type === 'ERROR') {
            // Most likely "too old resource version": list again.
            lastRv = undefined;
            return;
          }
          lastRv = rv;
          events.push({
            type,
            uid: obj.metadata?.uid ?? '',
            name: obj.metadata?.name ?? '',
            resourceVersion: rv,
            at: Date.now(),
            object: obj,
          });
        },
        () => void (stopped ? undefined : setTimeout(() => void start(), 200)),
      );
    } catch {
      if (!stopped) setTimeout(() => void start(), 500);
    }
  };
  await start();
  return {
    events,
    stop: () => {
      stopped = true;
      abort?.abort();
    },
  };
}
