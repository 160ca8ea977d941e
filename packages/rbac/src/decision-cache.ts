import type { RbacRequest } from './rbac-request.ts';

const NO_GROUPS: readonly string[] = [];

/** One user with one exact list of groups. */
interface Principal {
  readonly subject: string;
  readonly groups: readonly string[];
  /** Mixed into the slot hash. */
  readonly id: number;
  /** Cache entries that belong to this principal; it is forgotten when the last one goes. */
  entries: number;
}

/** Entries per set: a request can live in any of the 8 slots of its set. */
const WAYS = 8;
/** Ints of `#meta` per slot. */
const META = 4;

// Bounds on what a caller can make the cache remember. A user whose token carries many different
// group lists is not worth a long scan; past the pair limit (action strings are caller-chosen, e.g.
// through can-i) new resource/action pairs are simply not cached.
const MAX_PRINCIPALS_PER_SUBJECT = 8;
const MAX_RESOURCE_ACTION_PAIRS = 4096;

function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A bounded cache of RBAC decisions keyed by (subject, groups, resource, action, object), replacing the
 * least recently used entry of a set when full: an 8-way set-associative LRU, as CPU caches are built.
 *
 * Why this shape: an uncached check costs well under a microsecond, so the cache is only worth having
 * if a hit costs a fraction of that, misses included. A global LRU over nested Maps spent more on Map
 * churn, eviction and garbage collection than it saved. Here no key string is built: the principal
 * (subject + exact group list) is found through a Map and remembered for the next check (the checks of
 * one API call share it), resource/action pairs are numbered once, and the object string is hashed
 * (FNV-1a) together with those numbers to pick a set of 8 slots held in typed arrays. Every part is then
 * compared as itself, so no choice of names can make two requests share an entry; colliding names can at
 * worst evict each other.
 */
export class DecisionCache {
  readonly capacity: number;
  readonly #mask: number;
  readonly #principals = new Map<string, Principal[]>();
  #nextPrincipalId = 1;
  readonly #pairs = new Map<string, Map<string, number>>();
  #pairCount = 0;
  #size = 0;
  /** Per slot: the entry's principal (to release it on eviction) and object (to compare on a hit). */
  readonly #slotPrincipal: (Principal | undefined)[];
  readonly #slotObject: (string | undefined)[];
  /** Per slot, META ints: hash tag, principal id (0: empty), pair << 1 | decision, last use. */
  readonly #meta: Int32Array;
  /** A use counter; it wraps, and ages are computed modulo 2^32. */
  #clock = 0;
  #hits = 0;
  #misses = 0;
  #last: Principal | undefined;
  #lastSubject = '';
  #lastGroups: readonly string[] = NO_GROUPS;
  #lastGroupsRef: readonly string[] | undefined;
  /** What the last missed `get` worked out, reused by the `set` of the same request that follows. */
  #pendingRequest: RbacRequest | undefined;
  #pendingHash = 0;

  /** `capacity` is rounded up to a power of two, at least one set. */
  constructor(capacity: number) {
    const requested = Math.max(0, Math.floor(capacity));
    let sets = 1;
    while (sets * WAYS < requested) sets *= 2;
    this.capacity = requested === 0 ? 0 : sets * WAYS;
    this.#mask = sets - 1;
    this.#slotPrincipal = new Array<Principal | undefined>(this.capacity);
    this.#slotObject = new Array<string | undefined>(this.capacity);
    this.#meta = new Int32Array(this.capacity * META);
  }

  #principal(request: RbacRequest): Principal | undefined {
    const groups = request.groups ?? NO_GROUPS;
    const last = this.#last;
    if (last !== undefined) {
      // The checks of one API call pass the same groups array and string objects: then this is a few
      // pointer comparisons. The array's contents are still compared with what they were, so a reused,
      // mutated array is not trusted.
      if (
        groups === this.#lastGroupsRef &&
        request.subject === this.#lastSubject &&
        sameGroups(this.#lastGroups, groups)
      )
        return last;
      if (request.subject === last.subject && sameGroups(last.groups, groups)) {
        this.#remember(last, request.subject, groups);
        return last;
      }
    }
    const list = this.#principals.get(request.subject);
    if (list === undefined) return undefined;
    for (const principal of list) {
      if (sameGroups(principal.groups, groups)) {
        this.#remember(principal, request.subject, groups);
        return principal;
      }
    }
    return undefined;
  }

  #remember(principal: Principal | undefined, subject: string, groups: readonly string[]): void {
    this.#last = principal;
    this.#lastSubject = subject;
    this.#lastGroupsRef = groups;
    this.#lastGroups = groups.slice();
  }

  /** The 32-bit hash of principal, pair and object (FNV-1a over the object's UTF-16 units). */
  #hash(principal: Principal, pair: number, object: string): number {
    let h = Math.imul(principal.id, 0x9e3779b1) ^ Math.imul(pair + 1, 0x85ebca77) ^ 0x811c9dc5;
    for (let i = 0; i < object.length; i++) h = Math.imul(h ^ object.charCodeAt(i), 0x01000193);
    return h ^ (h >>> 15);
  }

  /**
   * The slot holding this entry in its set, or -1. The tags, principal ids and pairs
   * of a set sit together in `#meta`, so a miss reads no string and a hit compares one.
   */
  #find(hash: number, principal: Principal, pair: number, object: string): number {
    const meta = this.#meta;
    const base = (hash & this.#mask) * WAYS;
    for (let slot = base; slot < base + WAYS; slot++) {
      const m = slot * META;
      if (
        meta[m] === hash &&
        meta[m + 1] === principal.id &&
        meta[m + 2]! >> 1 === pair &&
        this.#slotObject[slot] === object
      )
        return slot;
    }
    return -1;
  }

  get(request: RbacRequest): boolean | undefined {
    if (this.capacity === 0) return undefined;
    const pair = this.#pairs.get(request.resource)?.get(request.action);
    const principal = pair === undefined ? undefined : this.#principal(request);
    if (principal !== undefined) {
      const hash = this.#hash(principal, pair!, request.object);
      const slot = this.#find(hash, principal, pair!, request.object);
      if (slot !== -1) {
        this.#hits++;
        this.#clock = (this.#clock + 1) | 0;
        this.#meta[slot * META + 3] = this.#clock;
        return (this.#meta[slot * META + 2]! & 1) === 1;
      }
      this.#pendingRequest = request;
      this.#pendingHash = hash;
    }
    this.#misses++;
    return undefined;
  }

  set(request: RbacRequest, value: boolean): void {
    if (this.capacity === 0) return;
    let pair = this.#pairs.get(request.resource)?.get(request.action);
    if (pair === undefined) {
      if (this.#pairCount >= MAX_RESOURCE_ACTION_PAIRS) return;
      let byAction = this.#pairs.get(request.resource);
      if (byAction === undefined) this.#pairs.set(request.resource, (byAction = new Map<string, number>()));
      pair = this.#pairCount++;
      byAction.set(request.action, pair);
    }
    let principal = this.#principal(request);
    if (principal === undefined) {
      const list = this.#principals.get(request.subject);
      if (list !== undefined && list.length >= MAX_PRINCIPALS_PER_SUBJECT) return;
      principal = {
        subject: request.subject,
        groups: [...(request.groups ?? NO_GROUPS)],
        id: this.#nextPrincipalId++,
        entries: 0,
      };
      if (list === undefined) this.#principals.set(request.subject, [principal]);
      else list.push(principal);
      this.#remember(principal, request.subject, request.groups ?? NO_GROUPS);
    }
    // After a missed `get` of this very request nothing has changed: its hash is known, the entry absent.
    const pending = request === this.#pendingRequest && principal === this.#last;
    this.#pendingRequest = undefined;
    const hash = pending ? this.#pendingHash : this.#hash(principal, pair, request.object);
    const base = (hash & this.#mask) * WAYS;
    const meta = this.#meta;
    let slot = pending ? -1 : this.#find(hash, principal, pair, request.object);
    if (slot === -1) {
      // An empty slot of the set, else its least recently used one (the oldest by the wrapping clock).
      slot = base;
      let oldest = -1;
      for (let s = base; s < base + WAYS; s++) {
        if (meta[s * META + 1] === 0) {
          slot = s;
          break;
        }
        const age = (this.#clock - meta[s * META + 3]!) >>> 0;
        if (age > oldest) {
          oldest = age;
          slot = s;
        }
      }
      // Counted before the release: the evicted entry may be this principal's only other one.
      principal.entries++;
      const evicted = this.#slotPrincipal[slot];
      if (evicted === undefined) this.#size++;
      else this.#release(evicted);
      this.#slotPrincipal[slot] = principal;
      this.#slotObject[slot] = request.object;
      meta[slot * META] = hash;
      meta[slot * META + 1] = principal.id;
    }
    meta[slot * META + 2] = (pair << 1) | (value ? 1 : 0);
    this.#clock = (this.#clock + 1) | 0;
    meta[slot * META + 3] = this.#clock;
  }

  /** One entry of `principal` is gone; forget the principal with its last entry. */
  #release(principal: Principal): void {
    if (--principal.entries > 0) return;
    if (principal === this.#last) this.#remember(undefined, '', NO_GROUPS);
    const list = this.#principals.get(principal.subject)!;
    list.splice(list.indexOf(principal), 1);
    if (list.length === 0) this.#principals.delete(principal.subject);
  }

  clear(): void {
    this.#remember(undefined, '', NO_GROUPS);
    this.#pendingRequest = undefined;
    this.#principals.clear();
    this.#pairs.clear();
    this.#pairCount = 0;
    this.#slotPrincipal.fill(undefined);
    this.#slotObject.fill(undefined);
    this.#meta.fill(0);
    this.#size = 0;
  }

  get size(): number {
    return this.#size;
  }

  /** Hit and miss counts since creation (for metrics). */
  get stats(): { readonly hits: number; readonly misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }
}
