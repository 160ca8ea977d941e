import type { OperationState } from '@capstan/crds';
import { parseK8sTime } from './k8s-time.ts';

export interface SelfHealBackoff {
  /** First non-zero delay; 0 turns the backoff off (the flat timeout applies instead). */
  readonly durationMs: number;
  /** Growth per attempt; 0 keeps the delay constant. */
  readonly factor: number;
  /** Upper bound of the delay; 0 means none. */
  readonly capMs: number;
}

/** The controller's self-heal settings (Argo CD's `--self-heal-*` flags). */
export interface SelfHealConfig {
  /** Exponential backoff between self-heal attempts, or null for the flat timeout. */
  readonly backoff: SelfHealBackoff | null;
  /** Fixed wait between self-heal attempts when the backoff is off. */
  readonly timeoutMs: number;
}

export const DEFAULT_SELF_HEAL_CONFIG: SelfHealConfig = Object.freeze({
  backoff: Object.freeze({ durationMs: 2000, factor: 3, capMs: 300_000 }),
  timeoutMs: 0,
});

/**
 * The wait before self-heal attempt number `attempts` (the count carried by the previous operation):
 * 0, 2, 6, 18, 54, 162, 300, 300… seconds with the defaults. The first attempt after a regular sync
 * is immediate; the base delay itself is never cut by the cap, only what grows from it.
 */
export function selfHealDelayMs(attempts: number, config: SelfHealConfig = DEFAULT_SELF_HEAL_CONFIG): number {
  const backoff = config.backoff;
  if (backoff === null || backoff.durationMs === 0) return config.timeoutMs;
  if (attempts <= 0) return 0;
  let delay = backoff.durationMs;
  for (let step = 1; step < attempts; step++) {
    if (backoff.factor === 0 || backoff.factor === 1) break;
    const next = delay * backoff.factor;
    if (backoff.capMs > 0 && next >= backoff.capMs) return backoff.capMs;
    delay = next;
  }
  return delay;
}

/** Attempts already made by the previous operation (0 for one that was not a self-heal). */
export function selfHealAttempts(state: OperationState | undefined): number {
  return state?.operation.sync?.autoHealAttemptsCount ?? 0;
}

/**
 * How long self-heal must still wait after the last operation, in ms (≤ 0: go now). Measured from
 * the operation's finishedAt; with none recorded the whole delay remains.
 */
export function selfHealRemainingMs(input: {
  readonly operationState: OperationState | undefined;
  readonly now: Date;
  readonly config?: SelfHealConfig;
}): number {
  const state = input.operationState;
  if (state === undefined) return 0;
  const delay = selfHealDelayMs(selfHealAttempts(state), input.config);
  const finished = parseK8sTime(state.finishedAt);
  return finished === undefined ? delay : delay - (input.now.getTime() - finished);
}
