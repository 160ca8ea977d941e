// A sandboxed Lua 5.4 (wasmoon) for health checks and resource actions: scripts see only safe base
// functions and copies of string/table/math, run with instruction, wall-time and memory budgets, and by
// default in worker threads that are terminated when a script will not stop.
export {
  createLuaSandbox,
  sharedLuaSandbox,
  isLuaScriptError,
  LuaScriptError,
  HEALTH_STATUS_CODES,
  type LuaErrorReason,
  type LuaHealth,
  type LuaHealthStatusCode,
  type LuaRunOptions,
  type LuaSandbox,
  type LuaSandboxOptions,
  type LuaScriptRunOptions,
} from './lua-sandbox.ts';
