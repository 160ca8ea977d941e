import { describe, expect, it } from 'vitest';
import { RefreshQueue, type RefreshRequest } from './refresh-queue.ts';

describe('RefreshQueue', () => {
  it('merges requests for one app (highest level, hard wins) and never runs an app twice at once', async () => {
    const runs: { key: string; req: RefreshRequest }[] = [];
    let active = 0;
    let maxActiveForA = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const q = new RefreshQueue(async (key, req) => {
      runs.push({ key, req });
      if (key === 'a') {
        active++;
        maxActiveForA = Math.max(maxActiveForA, active);
        await gate;
        active--;
      }
    }, 4);
    q.request('a', { level: 1, hard: false });
    q.request('a', { level: 2, hard: false }); // a is running: queued behind it
    q.request('a', { level: 0, hard: true });
    q.request('b', { level: 3, hard: false });
    await new Promise((r) => setTimeout(r, 10));
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(maxActiveForA).toBe(1);
    expect(runs).toEqual([
      { key: 'a', req: { level: 1, hard: false } },
      { key: 'b', req: { level: 3, hard: false } },
      { key: 'a', req: { level: 2, hard: true } },
    ]);
    q.close();
  });
});
