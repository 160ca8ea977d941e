import { LuaFactory, type LuaWasm } from 'wasmoon';
import { SANDBOX_PRELUDE } from './sandbox-prelude.ts';
import { LiteralDepthError, toLuaLiteral } from './to-lua-literal.ts';

// Values from lua.h (Lua 5.4); wasmoon declares them as ambient enums.
const LUA_OK = 0;
const LUA_ERRMEM = 4;
const LUA_TNIL = 0;
const LUA_TNUMBER = 3;
const LUA_TSTRING = 4;
const LUA_MASKCOUNT = 8;
const LUA_REGISTRYINDEX = -1_000_000 - 1000;
const LUA_MULTRET = -1;

/** How often (in VM instructions) the hook checks the budget; every instruction once one is spent. */
const HOOK_INTERVAL = 1000;
const KILLED = 'capstan: evaluation stopped';

export interface LuaLimits {
  /** VM instructions one evaluation may execute. */
  readonly instructionLimit: number;
  /** Wall time one evaluation may take, checked as instructions execute. */
  readonly timeoutMs: number;
  /** Bytes one evaluation may allocate beyond what the state held before it. */
  readonly memoryLimitBytes: number;
}

export type LuaFailureReason = 'script' | 'instructions' | 'memory' | 'timeout';

export interface LuaFailure {
  readonly reason: LuaFailureReason;
  readonly message: string;
}

export interface LuaRun {
  /** `health` reads `{status, message}` from the result; `value` returns the result as JSON. */
  readonly kind: 'health' | 'value';
  readonly script: string;
  /** Appears in error messages: `health.lua:3: attempt to index a nil value`. */
  readonly chunkName: string;
  /** The object, exposed to the script as the global `obj`. */
  readonly obj: unknown;
  /** Adds `os.time/date/clock/difftime`, `utf8` and `coroutine` to the script's environment. */
  readonly openLibs: boolean;
  /** What `os.time()` returns, in seconds since the epoch. */
  readonly nowSeconds: number;
  /** More globals for the script (JSON values), e.g. an action's `actionParams`. */
  readonly globals?: Readonly<Record<string, unknown>> | undefined;
}

/** A health script's answer before validation; null when it returned nothing (or an empty table). */
export type RawHealth = { readonly status?: string; readonly message?: string } | null;

export type LuaOutcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly failure: LuaFailure };

/** The wasm module broke (a trap, not a Lua error): every state in it must be dropped. */
export class LuaFatalError extends Error {}

let sharedModule: Promise<LuaWasm> | undefined;

/** One wasm instance per thread, shared by its Lua states, replaced after a fatal error. */
function luaModule(): Promise<LuaWasm> {
  sharedModule ??= new LuaFactory().getLuaModule();
  return sharedModule;
}

export function discardLuaModule(): void {
  sharedModule = undefined;
}

const SCRIPT_CACHE_SIZE = 256;

/**
 * One Lua state with a budget per evaluation: an instruction count and a deadline enforced by a count hook,
 * and a byte cap enforced by its allocator. After a budget is spent the state is no longer `usable` and the
 * owner replaces it. Compiled scripts are cached by source. Not re-entrant: one evaluation at a time.
 */
export class LuaVm {
  private readonly lua: LuaWasm;
  private readonly limits: LuaLimits;
  private readonly state: number;
  private readonly hookPointer: number;
  private readonly allocatorPointer: number;
  /** Compiled scripts by source, least recently used first. */
  private readonly scripts = new Map<string, number>();
  private readonly runners: { health: number; value: number };
  private memoryUsed = 0;
  private memoryMax = Infinity;
  private steps = 0;
  private deadline = Infinity;
  private killed: 'instructions' | 'timeout' | undefined;
  private closed = false;
  private spent = false;

  static async create(limits: LuaLimits): Promise<LuaVm> {
    return new LuaVm(await luaModule(), limits);
  }

  private constructor(lua: LuaWasm, limits: LuaLimits) {
    this.lua = lua;
    this.limits = limits;
    const module = lua.module;
    this.allocatorPointer = module.addFunction(
      (_ud: number, pointer: number, oldSize: number, newSize: number) =>
        this.allocate(pointer, oldSize, newSize),
      'iiiii',
    );
    this.hookPointer = module.addFunction((state: number) => this.hook(state), 'vii');
    this.state = lua.lua_newstate(this.allocatorPointer, null);
    if (this.state === 0) {
      module.removeFunction(this.allocatorPointer);
      module.removeFunction(this.hookPointer);
      throw new LuaFatalError('could not create a Lua state');
    }
    try {
      this.runners = this.openLibraries();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** False once an evaluation ran out of budget: the state may hold its garbage or half-built values. */
  get usable(): boolean {
    return !this.closed && !this.spent;
  }

  run(request: LuaRun): LuaOutcome {
    if (!this.usable) throw new Error('Lua state is closed or spent');
    const lua = this.lua;
    const L = this.state;
    const top = lua.lua_gettop(L);
    try {
      const script = this.compiled(request.script, request.chunkName);
      if (typeof script !== 'number') return { ok: false, failure: script };
      let objSource: string;
      let globalsSource: string | undefined;
      try {
        objSource = `return ${toLuaLiteral(request.obj)}`;
        if (request.globals !== undefined) globalsSource = `return ${toLuaLiteral(request.globals)}`;
      } catch (error) {
        if (error instanceof LiteralDepthError)
          return { ok: false, failure: { reason: 'script', message: error.message } };
        throw error;
      }
      lua.lua_rawgeti(
        L,
        LUA_REGISTRYINDEX,
        BigInt(request.kind === 'health' ? this.runners.health : this.runners.value),
      );
      lua.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(script));
      const notLoaded = this.load(objSource, '=obj');
      if (notLoaded !== undefined) return { ok: false, failure: notLoaded };
      lua.lua_pushboolean(L, request.openLibs ? 1 : 0);
      lua.lua_pushnumber(L, request.nowSeconds);
      if (globalsSource === undefined) {
        lua.lua_pushnil(L);
      } else {
        const failed = this.load(globalsSource, '=globals');
        if (failed !== undefined) return { ok: false, failure: failed };
      }
      const status = this.guarded(() => lua.lua_pcallk(L, 5, LUA_MULTRET, 0, 0, null));
      if (status !== LUA_OK) return { ok: false, failure: this.failure(status) };
      return { ok: true, value: request.kind === 'health' ? this.readHealth(top) : this.readJson(top) };
    } finally {
      if (!this.closed) lua.lua_settop(L, top);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lua.lua_close(this.state);
    this.lua.module.removeFunction(this.hookPointer);
    this.lua.module.removeFunction(this.allocatorPointer);
  }

  private openLibraries(): { health: number; value: number } {
    const lua = this.lua;
    const L = this.state;
    // io and package are never opened; os and debug only long enough for the prelude to take what it needs.
    lua.luaopen_base(L);
    lua.lua_settop(L, 0);
    const libraries: [string, (state: number) => number][] = [
      ['table', lua.luaopen_table],
      ['string', lua.luaopen_string],
      ['math', lua.luaopen_math],
      ['utf8', lua.luaopen_utf8],
      ['coroutine', lua.luaopen_coroutine],
      ['os', lua.luaopen_os],
      ['debug', lua.luaopen_debug],
    ];
    for (const [name, open] of libraries) {
      open(L);
      lua.lua_setglobal(L, name);
    }
    const failed = this.load(SANDBOX_PRELUDE, '=prelude');
    if (failed !== undefined) throw new LuaFatalError(`sandbox prelude: ${failed.message}`);
    if (lua.lua_pcallk(L, 0, 1, 0, 0, null) !== LUA_OK) {
      throw new LuaFatalError(`sandbox prelude: ${this.errorText()}`);
    }
    lua.lua_getfield(L, -1, 'health');
    const health = lua.luaL_ref(L, LUA_REGISTRYINDEX);
    lua.lua_getfield(L, -1, 'value');
    const value = lua.luaL_ref(L, LUA_REGISTRYINDEX);
    lua.lua_settop(L, 0);
    // The budget's error text is interned now, so raising it never needs memory the script has used up.
    lua.lua_pushstring(L, KILLED);
    lua.luaL_ref(L, LUA_REGISTRYINDEX);
    lua.lua_sethook(L, this.hookPointer, LUA_MASKCOUNT, HOOK_INTERVAL);
    return { health, value };
  }

  /** A registry reference to the compiled script, or why it did not compile. */
  private compiled(source: string, chunkName: string): number | LuaFailure {
    const key = `${chunkName}\u0000${source}`;
    const cached = this.scripts.get(key);
    if (cached !== undefined) {
      // Re-inserted so the map's order is least recently used first.
      this.scripts.delete(key);
      this.scripts.set(key, cached);
      return cached;
    }
    const failed = this.load(source, `=${chunkName}`);
    if (failed !== undefined) return failed;
    const ref = this.lua.luaL_ref(this.state, LUA_REGISTRYINDEX);
    this.scripts.set(key, ref);
    if (this.scripts.size > SCRIPT_CACHE_SIZE) {
      const [oldest, oldRef] = this.scripts.entries().next().value as [string, number];
      this.scripts.delete(oldest);
      this.lua.luaL_unref(this.state, LUA_REGISTRYINDEX, oldRef);
    }
    return ref;
  }

  /** Compiles text (never binary chunks) onto the stack; returns why when it does not compile. */
  private load(source: string, chunkName: string): LuaFailure | undefined {
    const module = this.lua.module;
    const size = module.lengthBytesUTF8(source);
    const buffer = module._malloc(size + 1);
    if (buffer === 0) throw new LuaFatalError('out of wasm memory');
    try {
      module.stringToUTF8(source, buffer, size + 1);
      const status = this.guarded(() => this.lua.luaL_loadbufferx(this.state, buffer, size, chunkName, 't'));
      if (status === LUA_OK) return undefined;
      const failure = this.failure(status);
      this.lua.lua_settop(this.state, -2);
      return failure;
    } finally {
      module._free(buffer);
    }
  }

  private readHealth(top: number): RawHealth {
    if (this.stringAt(top + 1) !== 'health') return null;
    const status = this.stringAt(top + 2);
    const message = this.stringAt(top + 3);
    return { ...(status === undefined ? {} : { status }), ...(message === undefined ? {} : { message }) };
  }

  private readJson(top: number): unknown {
    const text = this.stringAt(top + 1);
    return text === undefined ? null : JSON.parse(text);
  }

  /** Only ever called on values the prelude made strings, so no metamethod can run. */
  private stringAt(index: number): string | undefined {
    const type: number = this.lua.lua_type(this.state, index);
    if (type !== LUA_TSTRING) return undefined;
    return this.lua.lua_tolstring(this.state, index, null);
  }

  private failure(status: number): LuaFailure {
    const killed = this.killed;
    if (killed !== undefined) {
      this.spent = true;
      return killed === 'instructions'
        ? {
            reason: 'instructions',
            message: `Lua script exceeded its limit of ${this.limits.instructionLimit} instructions`,
          }
        : { reason: 'timeout', message: `Lua script did not finish within ${this.limits.timeoutMs} ms` };
    }
    if (status === LUA_ERRMEM) {
      this.spent = true;
      return {
        reason: 'memory',
        message: `Lua script exceeded its memory limit of ${this.limits.memoryLimitBytes} bytes`,
      };
    }
    return { reason: 'script', message: this.errorText() };
  }

  private errorText(): string {
    const type: number = this.lua.lua_type(this.state, -1);
    if (type === LUA_TSTRING || type === LUA_TNUMBER) return this.lua.lua_tolstring(this.state, -1, null);
    if (type === LUA_TNIL) return 'Lua script raised an error without a message';
    return `Lua script raised a ${this.lua.lua_typename(this.state, type)} as its error`;
  }

  /** Runs one protected call into Lua under the per-evaluation budget. */
  private guarded(call: () => number): number {
    this.steps = 0;
    this.killed = undefined;
    this.deadline = Date.now() + this.limits.timeoutMs;
    this.memoryMax = this.memoryUsed + this.limits.memoryLimitBytes;
    try {
      return call();
    } catch (error) {
      throw new LuaFatalError('the Lua runtime failed', { cause: error });
    } finally {
      this.memoryMax = Infinity;
      this.deadline = Infinity;
      if (this.killed === undefined)
        this.lua.lua_sethook(this.state, this.hookPointer, LUA_MASKCOUNT, HOOK_INTERVAL);
    }
  }

  private hook(state: number): void {
    if (this.killed === undefined) {
      this.steps += HOOK_INTERVAL;
      if (this.steps > this.limits.instructionLimit) this.killed = 'instructions';
      else if (Date.now() > this.deadline) this.killed = 'timeout';
      else return;
    }
    // From now on every instruction of this thread raises, so a script that catches the error cannot carry on.
    this.lua.lua_sethook(state, this.hookPointer, LUA_MASKCOUNT, 1);
    this.lua.lua_pushstring(state, KILLED);
    this.lua.lua_error(state);
  }

  private allocate(pointer: number, oldSize: number, newSize: number): number {
    const module = this.lua.module;
    if (newSize === 0) {
      if (pointer !== 0) {
        this.memoryUsed -= oldSize;
        module._free(pointer);
      }
      return 0;
    }
    // With no block, oldSize carries the object's type, not a size.
    const delta = pointer === 0 ? newSize : newSize - oldSize;
    if (delta > 0 && this.memoryUsed + delta > this.memoryMax) return 0;
    const block = module._realloc(pointer, newSize);
    if (block !== 0) this.memoryUsed += delta;
    return block;
  }
}
