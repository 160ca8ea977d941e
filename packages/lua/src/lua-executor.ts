import type { LuaOutcome, LuaRun } from './lua-vm.ts';

/**
 * Runs scripts on pooled Lua states. Resolves with the script's outcome (its result or why it failed);
 * rejects only when the runtime itself is unavailable.
 */
export interface LuaExecutor {
  execute(run: LuaRun): Promise<LuaOutcome>;
  close(): Promise<void>;
}
