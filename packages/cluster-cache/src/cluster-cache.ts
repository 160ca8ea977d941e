import type { KubeConfig } from '@kubernetes/client-node';
import { discoverClusterApis, KubeTransport, type ApiResourceInfo, type ClusterApis } from '@capstan/kube';
import type { KubeObject } from './kube-object.ts';
import { nodeDraftOf } from './node-draft.ts';
import { ResourceIndex } from './resource-index.ts';
import { isAlwaysIgnored, isExcluded, type ResourceExclusion } from './resource-exclusion.ts';
import type { NodeHealth, ResourceKey, ResourceNode } from './resource-node.ts';
import { ResourceWatcher, type WatchEventType, type WatchedType } from './resource-watcher.ts';

export interface ClusterChange {
  readonly type: WatchEventType;
  readonly node: ResourceNode;
  /** The owning app at the time of the change (before removal, for DELETED). */
  readonly appName?: string;
  /** True when the object itself carries tracking (a managed root). */
  readonly managedRoot: boolean;
  /**
   * The app that owned the node before this change, when ownership moved: the app it left needs a
   * refresh too. Nodes that move only because an ancestor moved get a MODIFIED change of their own.
   */
  readonly previousAppName?: string;
}

export interface ClusterRequest {
  /** Get (discovery), List or Watch. */
  readonly verb: string;
  readonly resourceKind: string;
  /** HTTP status; 0 when no answer came. */
  readonly status: number;
}

export interface ClusterCacheOptions {
  readonly kubeConfig: KubeConfig;
  /** The cluster's server URL: matched by `exclusions[].clusters`, shown in errors. */
  readonly server: string;
  /** The app instance name an object's own tracking (annotation/label) names, or undefined. */
  readonly appOf: (obj: KubeObject) => string | undefined;
  /** `resource.exclusions` of argocd-cm. */
  readonly exclusions?: readonly ResourceExclusion[];
  /** Health of an object, computed once when it is ingested. */
  readonly healthOf?: (obj: KubeObject) => NodeHealth | undefined;
  readonly onChange?: (ev: ClusterChange) => void;
  /** Every HTTP request the cache sends; ignored when `transport` is given (it reports its own). */
  readonly onRequest?: (r: ClusterRequest) => void;
  /**
   * The cluster's shared transport, so the cache's lists and watches count against the same adaptive
   * rate limit as everything else sent to this cluster. One is made from `kubeConfig` when absent.
   */
  readonly transport?: KubeTransport;
  /** Re-open each watch after about this long. @default 600_000 (10 min) */
  readonly watchRestartMs?: number;
  /** Only these namespaces (a cluster Secret's `namespaces`); every namespace when empty. */
  readonly namespaces?: readonly string[];
}

export interface ClusterCacheInfo {
  readonly serverVersion: string;
  /** Resource types being watched. */
  readonly apiResourceCount: number;
  readonly objectCount: number;
  readonly connectionState: 'Successful' | 'Failed';
  readonly lastError?: string;
  /** When every type had last been listed successfully (ISO time). */
  readonly syncedAt?: string;
}

const crdGroup = 'apiextensions.k8s.io';
/** How often to re-discover after a CRD event until discovery agrees with it. */
const crdSettleAttempts = 10;

function typeId(t: { group: string; resource: string }): string {
  return `${t.group}/${t.resource}`;
}

function isEstablished(crd: KubeObject): boolean {
  const conditions = (crd as { status?: { conditions?: { type?: string; status?: string }[] } }).status
    ?.conditions;
  return (conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/**
 * A live view of one cluster fed by list+watch of every non-excluded type, indexed by owning app so that
 * an app's refresh reads O(its resources) (DESIGN §8). Full objects are kept only for managed roots —
 * managedFields included, for the diff — and every other object is reduced to its tree node at ingest.
 */
export class ClusterCache {
  readonly #opts: ClusterCacheOptions;
  readonly #transport: KubeTransport;
  readonly #index = new ResourceIndex();
  /** typeId → the type and its watchers (one per namespace when namespaces are restricted). */
  readonly #watched = new Map<string, { type: WatchedType; watchers: ResourceWatcher[] }>();
  /** watcher → error of its latest failed list; empty when everything lists. */
  readonly #failing = new Map<ResourceWatcher, string>();
  #apis: ClusterApis | undefined;
  #lastError: string | undefined;
  #syncedAt: string | undefined;
  #started = false;
  #stopped = false;
  #resyncChain: Promise<void> = Promise.resolve();
  #crdTimer: NodeJS.Timeout | undefined;
  /** Group/kinds a CRD event said should (true) or should not (false) be served, awaiting discovery. */
  readonly #crdExpect = new Map<string, boolean>();
  #crdAttempts = 0;

  constructor(opts: ClusterCacheOptions) {
    this.#opts = opts;
    const onRequest = opts.onRequest;
    this.#transport =
      opts.transport ??
      new KubeTransport(opts.kubeConfig, {
        server: opts.server,
        ...(onRequest === undefined
          ? {}
          : {
              onRequest: (r) => onRequest({ verb: r.verb, resourceKind: r.resourceKind, status: r.status }),
            }),
      });
  }

  /** Discovers, lists every type, and resolves once all are listed; watches go on in the background. */
  async start(): Promise<void> {
    this.#stopped = false;
    try {
      await this.#sync();
      this.#started = true;
      // CRDs that changed while the first lists ran were only noted; act on them now.
      if (this.#crdExpect.size > 0) this.#scheduleCrdResync();
    } catch (err) {
      this.#lastError = (err as Error).message;
      await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#started = false;
    if (this.#crdTimer !== undefined) clearTimeout(this.#crdTimer);
    const all = [...this.#watched.values()].flatMap((w) => w.watchers);
    this.#watched.clear();
    this.#failing.clear();
    await Promise.all(all.map((w) => w.stop()));
  }

  /** Full objects of the resources whose own tracking names `appName`. */
  managedObjects(appName: string): KubeObject[] {
    return this.#index.managedObjects(appName);
  }

  /** The app's managed roots and all their descendants, as nodes. */
  tree(appName: string): ResourceNode[] {
    return this.#index.tree(appName);
  }

  getNode(key: ResourceKey): ResourceNode | undefined {
    return this.#index.get(key);
  }

  /** The full object, only for a managed root: nothing else is kept whole. */
  getObject(key: ResourceKey): KubeObject | undefined {
    return this.#index.object(key);
  }

  info(): ClusterCacheInfo {
    const failed = this.#failing.size > 0 || (this.#apis === undefined && this.#lastError !== undefined);
    const lastError = this.#lastError;
    return {
      serverVersion: this.#apis?.version.gitVersion ?? '',
      apiResourceCount: this.#watched.size,
      objectCount: this.#index.size,
      connectionState: failed ? 'Failed' : 'Successful',
      ...(lastError === undefined ? {} : { lastError }),
      ...(this.#syncedAt === undefined ? {} : { syncedAt: this.#syncedAt }),
    };
  }

  apis(): ClusterApis | undefined {
    return this.#apis;
  }

  /** Re-discovers and starts/stops watches for types that appeared or went away. */
  resync(): Promise<void> {
    const run = this.#resyncChain.then(() => (this.#stopped ? undefined : this.#sync()));
    this.#resyncChain = run.catch(() => undefined);
    return run;
  }

  /**
   * Re-opens the watches of one kind from `resourceVersion`. For operators and tests: a version older
   * than the server keeps yields 410 Gone, which makes the cache relist and reconcile that kind.
   */
  restartWatch(group: string, kind: string, resourceVersion: string): void {
    for (const { type, watchers } of this.#watched.values()) {
      if (type.group === group && type.kind === kind)
        for (const w of watchers) w.restartFrom(resourceVersion);
    }
  }

  #wanted(apis: ClusterApis): Map<string, WatchedType> {
    const exclusions = this.#opts.exclusions ?? [];
    const wanted = new Map<string, WatchedType>();
    const kinds = new Set<string>();
    for (const r of apis.resources) {
      if (!this.#listable(r)) continue;
      if (isAlwaysIgnored(r.group, r.kind)) continue;
      if (isExcluded(exclusions, r.group, r.kind, this.#opts.server)) continue;
      // One resource per group/kind: the index keys objects by group/kind.
      const gk = `${r.group}/${r.kind}`;
      if (kinds.has(gk)) continue;
      kinds.add(gk);
      const { group, version, kind, resource, namespaced } = r;
      wanted.set(typeId(r), { group, version, kind, resource, namespaced });
    }
    return wanted;
  }

  #listable(r: ApiResourceInfo): boolean {
    return r.verbs.includes('list') && r.verbs.includes('watch');
  }

  async #discover(): Promise<ClusterApis> {
    try {
      return await discoverClusterApis(this.#transport);
    } catch (err) {
      this.#lastError = `discovery on ${this.#opts.server}: ${(err as Error).message}`;
      throw err;
    }
  }

  /** Brings the set of watched types in line with discovery; resolves when new types are listed. */
  async #sync(): Promise<void> {
    const apis = await this.#discover();
    this.#apis = apis;
    if (!this.#failing.size) this.#lastError = undefined;
    const wanted = this.#wanted(apis);
    const stopping: Promise<void>[] = [];
    for (const [id, w] of this.#watched) {
      const next = wanted.get(id);
      if (next !== undefined && next.version === w.type.version && next.kind === w.type.kind) continue;
      this.#watched.delete(id);
      for (const watcher of w.watchers) this.#failing.delete(watcher);
      stopping.push(Promise.all(w.watchers.map((x) => x.stop())).then(() => undefined));
      for (const r of this.#index.removeType(w.type.group, w.type.kind))
        this.#emitDeleted(r.node, r.managedRoot);
      this.#emitMoved();
    }
    await Promise.all(stopping);
    const starting: Promise<void>[] = [];
    const namespaces = this.#opts.namespaces ?? [];
    for (const [id, type] of wanted) {
      if (this.#watched.has(id)) continue;
      const scopes = type.namespaced && namespaces.length > 0 ? namespaces : [undefined];
      const watchers = scopes.map((ns) => this.#watcher(type, ns));
      this.#watched.set(id, { type, watchers });
      for (const w of watchers) starting.push(w.start());
    }
    await Promise.all(starting);
    if (this.#failing.size === 0) this.#syncedAt = new Date().toISOString();
  }

  #watcher(type: WatchedType, namespace: string | undefined): ResourceWatcher {
    const watcher: ResourceWatcher = new ResourceWatcher({
      transport: this.#transport,
      type,
      namespace,
      hooks: {
        listPage: (items) => {
          for (const o of items) this.#ingest(type, o);
        },
        listDone: (uids) => {
          for (const r of this.#index.retainType(type.group, type.kind, namespace, uids))
            this.#emitDeleted(r.node, r.managedRoot);
          this.#emitMoved();
          this.#failing.delete(watcher);
          if (this.#failing.size === 0) {
            this.#lastError = undefined;
            if (this.#started) this.#syncedAt = new Date().toISOString();
          }
        },
        listFailed: (err) => {
          this.#failing.set(watcher, err.message);
          this.#lastError = err.message;
        },
        event: (evType, obj) => {
          if (evType === 'DELETED') this.#remove(obj);
          else this.#ingest(type, obj);
          if (type.group === crdGroup && type.kind === 'CustomResourceDefinition')
            this.#crdChanged(evType, obj);
        },
        typeMissing: () => this.#scheduleCrdResync(),
      },
      watchRestartMs: this.#opts.watchRestartMs ?? 600_000,
    });
    return watcher;
  }

  #ingest(type: WatchedType, raw: KubeObject): void {
    const uid = raw.metadata?.uid;
    if (uid === undefined || uid === '') return;
    const existing = this.#index.getByUid(uid);
    // A relist re-delivers unchanged objects: nothing to do for them.
    if (existing !== undefined && existing.resourceVersion === raw.metadata?.resourceVersion) return;
    const apiVersion = type.group === '' ? type.version : `${type.group}/${type.version}`;
    const obj: KubeObject =
      raw.kind === undefined || raw.apiVersion === undefined ? { ...raw, apiVersion, kind: type.kind } : raw;
    const ownApp = this.#opts.appOf(obj);
    const draft = nodeDraftOf(type, obj, this.#opts.healthOf);
    const { node, replaced } = this.#index.upsert(draft, ownApp, ownApp === undefined ? undefined : obj);
    if (replaced !== undefined) this.#emitDeleted(replaced, false);
    const previous = existing?.appName;
    this.#emit({
      type: existing === undefined ? 'ADDED' : 'MODIFIED',
      node,
      ...(node.appName === undefined ? {} : { appName: node.appName }),
      managedRoot: ownApp !== undefined,
      ...(previous === undefined || previous === node.appName ? {} : { previousAppName: previous }),
    });
    this.#emitMoved(uid);
  }

  /** Tells listeners about descendants whose app changed along with the node just ingested or removed. */
  #emitMoved(except?: string): void {
    for (const { node, previousAppName } of this.#index.takeMoved()) {
      if (node.uid === except || this.#index.getByUid(node.uid) !== node) continue;
      this.#emit({
        type: 'MODIFIED',
        node,
        ...(node.appName === undefined ? {} : { appName: node.appName }),
        managedRoot: this.#index.isRoot(node.uid),
        ...(previousAppName === undefined ? {} : { previousAppName }),
      });
    }
  }

  #remove(obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (uid === undefined) return;
    const root = this.#index.isRoot(uid);
    const node = this.#index.remove(uid);
    if (node !== undefined) this.#emitDeleted(node, root);
    this.#emitMoved();
  }

  #emitDeleted(node: ResourceNode, managedRoot: boolean): void {
    this.#emit({
      type: 'DELETED',
      node,
      ...(node.appName === undefined ? {} : { appName: node.appName }),
      managedRoot,
    });
  }

  #emit(ev: ClusterChange): void {
    if (this.#opts.onChange === undefined) return;
    try {
      this.#opts.onChange(ev);
    } catch {
      // A listener's failure must not corrupt the watch that delivered the event.
    }
  }

  /** A CRD changed: re-discover (debounced) until discovery serves exactly what the CRDs declare. */
  #crdChanged(evType: WatchEventType, crd: KubeObject): void {
    const spec = (crd as { spec?: { group?: string; names?: { kind?: string } } }).spec;
    if (spec?.group === undefined || spec.names?.kind === undefined) return;
    const gk = `${spec.group}/${spec.names.kind}`;
    const served =
      evType !== 'DELETED' && crd.metadata?.deletionTimestamp === undefined && isEstablished(crd);
    if (evType !== 'DELETED' && !served && crd.metadata?.deletionTimestamp === undefined) return;
    this.#crdExpect.set(gk, served);
    this.#crdAttempts = 0;
    this.#scheduleCrdResync();
  }

  #scheduleCrdResync(delayMs = 300): void {
    if (this.#stopped || !this.#started || this.#crdTimer !== undefined) return;
    this.#crdTimer = setTimeout(() => {
      this.#crdTimer = undefined;
      this.resync().then(
        () => this.#checkCrdExpectations(),
        () => this.#checkCrdExpectations(),
      );
    }, delayMs);
  }

  #checkCrdExpectations(): void {
    const present = new Set([...this.#watched.values()].map((w) => `${w.type.group}/${w.type.kind}`));
    const apis = new Set((this.#apis?.resources ?? []).map((r) => `${r.group}/${r.kind}`));
    for (const [gk, served] of this.#crdExpect) {
      // Settled when discovery agrees; an excluded kind is "present" as far as discovery goes.
      if (served ? apis.has(gk) || present.has(gk) : !apis.has(gk) && !present.has(gk))
        this.#crdExpect.delete(gk);
    }
    if (this.#crdExpect.size === 0) return;
    if (++this.#crdAttempts > crdSettleAttempts) {
      this.#crdExpect.clear();
      return;
    }
    this.#scheduleCrdResync(Math.min(5_000, 250 * 2 ** this.#crdAttempts));
  }
}
