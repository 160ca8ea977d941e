// Per-run state: the sandbox's budgets and the injected clock.
import { GoTime } from './go-time.ts';
import { RunError } from './runtime-ops.ts';

export interface RunLimits {
  /** Closure iterations and builtin loop steps per run (default 1,000,000). */
  readonly maxSteps: number;
  /** expr's memory budget: elements of ranges, arrays, maps and sorts made per run (default 1,000,000). */
  readonly memoryBudget: number;
}

export class RunContext {
  steps = 0;
  memory = 0;
  readonly limits: RunLimits;
  private readonly clock: (() => Date | number) | undefined;

  constructor(limits: RunLimits, clock: (() => Date | number) | undefined) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Counts loop iterations; a runaway expression ends with a clear error instead of spinning. */
  step(n = 1): void {
    this.steps += n;
    if (this.steps > this.limits.maxSteps) {
      throw new RunError(`evaluation step limit exceeded (${this.limits.maxSteps} steps)`, true);
    }
  }

  /** expr's VM.memGrow: the budget counts produced elements, checked before they are made. */
  memGrow(size: number): void {
    this.memory += Math.max(0, size);
    if (this.memory >= this.limits.memoryBudget) throw new RunError('memory budget exceeded', true);
  }

  now(): GoTime {
    if (!this.clock) throw new RunError('now() needs a clock: none was injected into this run');
    const t = this.clock();
    return GoTime.fromMillis(typeof t === 'number' ? t : t.getTime());
  }
}
