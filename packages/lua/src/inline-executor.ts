import { UnavailableError } from '@capstan/errors';
import type { LuaExecutor } from './lua-executor.ts';
import {
  discardLuaModule,
  LuaFatalError,
  LuaVm,
  type LuaLimits,
  type LuaOutcome,
  type LuaRun,
} from './lua-vm.ts';

/**
 * Runs scripts on the calling thread, on one reused Lua state (replaced after a spent budget). Evaluations
 * never overlap: each runs synchronously once the state exists. The instruction, time and memory budgets
 * hold for Lua code; a native call that never returns (a pathological pattern match) would block the
 * thread, which the worker executor guards against.
 */
export class InlineExecutor implements LuaExecutor {
  private readonly limits: LuaLimits;
  private current: LuaVm | undefined;
  private creating: Promise<LuaVm> | undefined;
  private closed = false;

  constructor(limits: LuaLimits) {
    this.limits = limits;
  }

  async execute(run: LuaRun): Promise<LuaOutcome> {
    let vm = await this.state();
    // Another evaluation may have spent this state while we waited for it.
    while (!vm.usable) vm = await this.state();
    let outcome: LuaOutcome;
    try {
      outcome = vm.run(run);
    } catch (error) {
      // A trap leaves the wasm instance in an unknown state: leave this state unclosed and start over.
      if (this.current === vm) this.current = undefined;
      if (error instanceof LuaFatalError) {
        discardLuaModule();
        throw new UnavailableError('the Lua runtime failed', { cause: error });
      }
      throw error;
    }
    if (!vm.usable) {
      if (this.current === vm) this.current = undefined;
      vm.close();
    }
    return outcome;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.current?.close();
    this.current = undefined;
  }

  private async state(): Promise<LuaVm> {
    if (this.closed) throw new UnavailableError('Lua sandbox is closed');
    if (this.current?.usable === true) return this.current;
    this.creating ??= LuaVm.create(this.limits).finally(() => {
      this.creating = undefined;
    });
    const vm = await this.creating;
    // Concurrent callers await the same creation: the first to resume installs it, the others find it.
    const installed = this.installed();
    if (installed === vm) return vm;
    if (this.closed || installed !== undefined) {
      vm.close();
      if (installed === undefined) throw new UnavailableError('Lua sandbox is closed');
      return installed;
    }
    this.current = vm;
    return vm;
  }

  private installed(): LuaVm | undefined {
    return this.current?.usable === true ? this.current : undefined;
  }
}
