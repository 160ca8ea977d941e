import type { SyncWindow } from '@capstan/crds';
import { InvalidArgumentError } from '@capstan/errors';
import { Cron } from 'croner';
import { parseGoDuration } from './go-duration.ts';

const schedules = new Map<string, Cron>();
const CACHE_LIMIT = 500;

/** The window's IANA zone; empty or unknown zones mean UTC, as Argo CD falls back with a warning. */
export function syncWindowTimeZone(window: Pick<SyncWindow, 'timeZone'>): string {
  const zone = window.timeZone ?? '';
  if (zone === '') return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

function schedule(window: SyncWindow): Cron {
  const pattern = (window.schedule ?? '').trim();
  const zone = syncWindowTimeZone(window);
  const key = `${zone}\u0000${pattern}`;
  let cron = schedules.get(key);
  if (cron === undefined) {
    // Argo CD's parser takes exactly five fields and no `@daily`-style descriptors.
    if (pattern.startsWith('@')) throw new Error('descriptors are not supported');
    // Day-of-month and day-of-week combine with OR when both are restricted, as in classic cron.
    cron = new Cron(pattern, { mode: '5-part', timezone: zone, paused: true, domAndDow: false });
    if (schedules.size >= CACHE_LIMIT) schedules.clear();
    schedules.set(key, cron);
  }
  return cron;
}

/** Why a window cannot be evaluated, or undefined when it is well-formed. */
export function syncWindowError(window: SyncWindow): string | undefined {
  if (window.kind !== 'allow' && window.kind !== 'deny') {
    return `sync window kind '${window.kind ?? ''}' is neither allow nor deny`;
  }
  try {
    schedule(window);
  } catch (err) {
    return `cannot parse schedule '${window.schedule ?? ''}': ${err instanceof Error ? err.message : String(err)}`;
  }
  if (parseGoDuration(window.duration ?? '') === undefined) {
    return `cannot parse duration '${window.duration ?? ''}'`;
  }
  if ((window.description ?? '').length > 255) return 'sync window description is longer than 255 characters';
  return undefined;
}

/**
 * Whether the window is open at `now`: some start of its schedule (in its time zone) lies in
 * (now − duration, now], i.e. now ∈ [start, start + duration). Throws InvalidArgumentError when the
 * schedule or duration cannot be parsed.
 */
export function isSyncWindowActive(window: SyncWindow, now: Date): boolean {
  let cron: Cron;
  try {
    cron = schedule(window);
  } catch (err) {
    throw new InvalidArgumentError(
      `cannot parse schedule '${window.schedule ?? ''}': ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const durationMs = parseGoDuration(window.duration ?? '');
  if (durationMs === undefined)
    throw new InvalidArgumentError(`cannot parse duration '${window.duration ?? ''}'`);
  // nextRun is strictly after its reference, so the latest start ≤ now is found by looking from
  // now − duration; a zero or negative duration therefore never opens the window.
  const start = cron.nextRun(new Date(now.getTime() - durationMs));
  return start !== null && start.getTime() <= now.getTime();
}
