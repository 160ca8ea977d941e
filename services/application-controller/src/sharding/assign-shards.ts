import { createHash } from 'node:crypto';

/** What every replica sees in Redis at a heartbeat: who is alive, what there is to own, who holds what. */
export interface ShardView {
  /** Live replicas. */
  readonly members: readonly string[];
  /** Units of work: destination clusters (their server URLs), plus '' for apps that resolve to none. */
  readonly keys: readonly string[];
  /** The replica currently holding each key's lease, where one does. */
  readonly holders: ReadonlyMap<string, string>;
}

function score(text: string): number {
  // 48 bits of SHA-1: plenty to rank a handful of replicas, and exact in a double.
  return createHash('sha1').update(text).digest().readUIntBE(0, 6);
}

/**
 * Which live replica should own each key. Sticky rendezvous hashing with bounded loads: nobody owns more
 * than ceil(keys / members); a key stays with its current live holder while that holder is within the
 * bound, and otherwise goes to the replica that ranks highest for it with room to spare. So a replica
 * that leaves moves only its own keys, a replica that joins takes only the excess of the others, and every
 * replica computes the same answer from the same view.
 */
export function assignShards(view: ShardView): Map<string, string> {
  const out = new Map<string, string>();
  const members = [...new Set(view.members)].sort();
  if (members.length === 0) return out;
  const keys = [...new Set(view.keys)]
    .map((key) => ({ key, rank: score(key) }))
    .sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((k) => k.key);
  const cap = Math.ceil(keys.length / members.length);
  const load = new Map<string, number>(members.map((m) => [m, 0]));
  const live = new Set(members);
  const rest: string[] = [];
  for (const key of keys) {
    const holder = view.holders.get(key);
    if (holder !== undefined && live.has(holder) && (load.get(holder) ?? 0) < cap) {
      out.set(key, holder);
      load.set(holder, (load.get(holder) ?? 0) + 1);
    } else rest.push(key);
  }
  for (const key of rest) {
    const ranked = members
      .map((m) => ({ m, s: score(`${m}\u0000${key}`) }))
      .sort((a, b) => b.s - a.s || (a.m < b.m ? -1 : 1));
    const chosen = ranked.find(({ m }) => (load.get(m) ?? 0) < cap)?.m as string;
    out.set(key, chosen);
    load.set(chosen, (load.get(chosen) ?? 0) + 1);
  }
  return out;
}
