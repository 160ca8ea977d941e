import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  createLuaSandbox,
  isLuaScriptError,
  type LuaSandbox,
  type LuaSandboxOptions,
} from './lua-sandbox.ts';
import { LuaVm } from './lua-vm.ts';

const readyCheck = `
local hs = { status = "Progressing", message = "waiting" }
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      hs.status = c.status == "True" and "Healthy" or "Degraded"
      hs.message = c.message
    end
  end
end
return hs`;

const ready = { status: { conditions: [{ type: 'Ready', status: 'True', message: 'all good' }] } };
const notReady = { status: { conditions: [{ type: 'Ready', status: 'False', message: 'broken' }] } };

async function failure(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isLuaScriptError(error)) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected the script to fail');
}

const modes: [string, LuaSandboxOptions][] = [
  ['inline', { isolation: 'inline' }],
  ['worker', { isolation: 'worker', maxWorkers: 1 }],
];

describe.each(modes)('Lua sandbox (%s)', (_mode, options) => {
  const sandbox: LuaSandbox = createLuaSandbox({ ...options, now: () => 1_700_000_000_000 });
  afterAll(() => sandbox.close());

  it('runs a health script against the object and reads back status and message', async () => {
    await expect(sandbox.runHealth(readyCheck, ready)).resolves.toEqual({
      status: 'Healthy',
      message: 'all good',
    });
    await expect(sandbox.runHealth(readyCheck, notReady)).resolves.toEqual({
      status: 'Degraded',
      message: 'broken',
    });
    await expect(sandbox.runHealth(readyCheck, {})).resolves.toEqual({
      status: 'Progressing',
      message: 'waiting',
    });
  });

  it('passes arrays as 1-based sequences, null as nil and whole numbers as integers', async () => {
    const obj = { spec: { replicas: 3, ratio: 0.5, items: ['a', 'b', 'c'], gone: null, flag: false } };
    const script = `return { status = "Healthy", message = table.concat({
      tostring(obj.spec.replicas), tostring(obj.spec.ratio), obj.spec.items[1], tostring(#obj.spec.items),
      tostring(obj.spec.gone), tostring(obj.spec.flag), math.type(obj.spec.replicas) }, " ") }`;
    await expect(sandbox.runHealth(script, obj)).resolves.toEqual({
      status: 'Healthy',
      message: '3 0.5 a 3 nil false integer',
    });
  });

  it('reads nil or an empty table as no health', async () => {
    await expect(sandbox.runHealth('return nil', ready)).resolves.toBeUndefined();
    await expect(sandbox.runHealth('return {}', ready)).resolves.toBeUndefined();
  });

  it('rejects an invalid status, a non-table result and a runtime error, with the reason', async () => {
    expect(await failure(sandbox.runHealth('return { status = "Fine" }', ready))).toEqual({
      reason: 'invalid-status',
      message: 'health script returned an invalid status "Fine"',
    });
    expect(await failure(sandbox.runHealth('return { message = "x" }', ready))).toMatchObject({
      reason: 'invalid-status',
    });
    expect(await failure(sandbox.runHealth('return 42', ready))).toMatchObject({ reason: 'script' });
    expect(await failure(sandbox.runHealth('local x = obj.spec.missing.field', ready))).toEqual({
      reason: 'script',
      message: "health.lua:1: attempt to index a nil value (field 'spec')",
    });
    expect(await failure(sandbox.runHealth('this is not lua', ready))).toMatchObject({ reason: 'script' });
  });

  it('offers no io, os, require, load, dofile, debug or other escape hatches', async () => {
    const names = [
      'io',
      'os',
      'require',
      'load',
      'loadstring',
      'dofile',
      'loadfile',
      'debug',
      'package',
      'collectgarbage',
      'module',
    ];
    const script = `local found = {}
      for _, name in ipairs({ ${names.map((n) => `"${n}"`).join(', ')} }) do
        if _G[name] ~= nil or _ENV[name] ~= nil then found[#found + 1] = name end
      end
      if string.dump ~= nil then found[#found + 1] = "string.dump" end
      if getmetatable("") ~= nil then found[#found + 1] = "string metatable" end
      return { status = "Healthy", message = "exposed: " .. table.concat(found, ",") }`;
    await expect(sandbox.runHealth(script, ready)).resolves.toEqual({
      status: 'Healthy',
      message: 'exposed: ',
    });
    for (const call of [
      'io.open("/etc/passwd")',
      'os.execute("true")',
      'require("os")',
      'load("return 1")()',
      'dofile("/etc/passwd")',
      'debug.getinfo(1)',
    ]) {
      expect(await failure(sandbox.runHealth(`${call} return { status = "Healthy" }`, ready))).toMatchObject({
        reason: 'script',
        message: expect.stringContaining('attempt to'),
      });
    }
  });

  it('adds only the clock functions of os with openLibs, reading the injected clock', async () => {
    const script = `return { status = "Healthy", message = os.time() .. " " .. os.date("!%Y-%m-%d", os.time())
      .. " " .. tostring(os.execute) .. " " .. tostring(os.getenv) .. " " .. tostring(io) }`;
    await expect(sandbox.runHealth(script, ready, { openLibs: true })).resolves.toEqual({
      status: 'Healthy',
      message: '1700000000 2023-11-14 nil nil nil',
    });
    expect(await failure(sandbox.runHealth(script, ready))).toMatchObject({ reason: 'script' });
  });

  it('keeps Lua 5.1 conveniences Argo CD scripts use (table.getn, unpack)', async () => {
    const script =
      'local a, b = unpack({ "x", "y" }) return { status = "Healthy", message = a .. b .. table.getn({1, 2}) }';
    await expect(sandbox.runHealth(script, ready)).resolves.toEqual({ status: 'Healthy', message: 'xy2' });
  });

  it('does not let one evaluation leak globals into the next', async () => {
    await sandbox.runHealth('leaked = "yes"; string.upper = nil; return { status = "Healthy" }', ready);
    const probe = 'return { status = "Healthy", message = tostring(leaked) .. " " .. string.upper("ok") }';
    await expect(sandbox.runHealth(probe, ready)).resolves.toEqual({ status: 'Healthy', message: 'nil OK' });
  });

  it('refuses __gc metamethods, which would run inside a later evaluation', async () => {
    expect(
      await failure(
        sandbox.runHealth('setmetatable({}, { __gc = function() end }) return { status = "Healthy" }', ready),
      ),
    ).toEqual({ reason: 'script', message: '__gc metamethods are not allowed' });
  });

  it('stops an infinite loop within its budget, and the next check still answers correctly', async () => {
    const started = Date.now();
    const stopped = await failure(sandbox.runHealth('while true do end', ready));
    expect(['instructions', 'timeout']).toContain(stopped.reason);
    expect(Date.now() - started).toBeLessThan(2500);
    await expect(sandbox.runHealth(readyCheck, notReady)).resolves.toEqual({
      status: 'Degraded',
      message: 'broken',
    });
  });

  it('stops unbounded allocation at the memory cap, and the next check still answers correctly', async () => {
    const script = 'local t = {} while true do t[#t+1] = string.rep("x", 1e6) end';
    expect(await failure(sandbox.runHealth(script, ready))).toEqual({
      reason: 'memory',
      message: 'Lua script exceeded its memory limit of 33554432 bytes',
    });
    await expect(sandbox.runHealth(readyCheck, ready)).resolves.toEqual({
      status: 'Healthy',
      message: 'all good',
    });
  });

  it('does not let pcall swallow the end of a spent budget', async () => {
    const script = 'while true do pcall(function() while true do end end) end';
    expect(['instructions', 'timeout']).toContain((await failure(sandbox.runHealth(script, ready))).reason);
    const coroutines =
      'local co = coroutine.wrap(function() while true do pcall(function() while true do end end) end end) while true do pcall(co) end';
    expect(['instructions', 'timeout']).toContain(
      (await failure(sandbox.runHealth(coroutines, ready, { openLibs: true }))).reason,
    );
    await expect(sandbox.runHealth(readyCheck, ready)).resolves.toEqual({
      status: 'Healthy',
      message: 'all good',
    });
  });

  it('runs other scripts concurrently with a runaway one without mixing up their answers', async () => {
    const results = await Promise.allSettled([
      sandbox.runHealth(readyCheck, ready),
      sandbox.runHealth('while true do end', ready),
      sandbox.runHealth(readyCheck, notReady),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: { status: 'Healthy', message: 'all good' } });
    expect(results[1]?.status).toBe('rejected');
    expect(results[2]).toEqual({ status: 'fulfilled', value: { status: 'Degraded', message: 'broken' } });
  });

  it('returns a value script result as JSON, with extra globals', async () => {
    const script =
      'obj.spec.replicas = actionParams.replicas; obj.spec.tags = {"a", "b"}; obj.spec.empty = {}; return obj';
    await expect(
      sandbox.runScript(script, { spec: { replicas: 1 } }, { globals: { actionParams: { replicas: 5 } } }),
    ).resolves.toEqual({ spec: { replicas: 5, tags: ['a', 'b'], empty: [] } });
    expect(await failure(sandbox.runScript('local t = {} t.self = t return t', {}))).toEqual({
      reason: 'script',
      message: 'result contains a cycle',
    });
  });
});

describe('Lua sandbox pooling and isolation', () => {
  it('reuses one Lua state across evaluations and replaces it only after a spent budget', async () => {
    const create = vi.spyOn(LuaVm, 'create');
    const sandbox = createLuaSandbox({ isolation: 'inline' });
    try {
      await Promise.all(Array.from({ length: 500 }, () => sandbox.runHealth(readyCheck, ready)));
      expect(create).toHaveBeenCalledTimes(1);
      await sandbox.runHealth('while true do end', ready).catch(() => undefined);
      await sandbox.runHealth(readyCheck, ready);
      expect(create).toHaveBeenCalledTimes(2);
    } finally {
      create.mockRestore();
      await sandbox.close();
    }
  });

  it('terminates a worker stuck in a native call (a pathological pattern) and carries on', async () => {
    const sandbox = createLuaSandbox({
      isolation: 'worker',
      maxWorkers: 1,
      timeoutMs: 200,
      hardTimeoutMs: 600,
    });
    try {
      await sandbox.runHealth(readyCheck, ready); // the worker is up, so start-up does not count
      const started = Date.now();
      const script =
        'local s = string.rep("a", 50000) string.find(s, ".-.-.-.-b") return { status = "Healthy" }';
      expect(await failure(sandbox.runHealth(script, ready))).toEqual({
        reason: 'timeout',
        message: 'Lua script did not finish within 600 ms',
      });
      expect(Date.now() - started).toBeLessThan(3000);
      await expect(sandbox.runHealth(readyCheck, notReady)).resolves.toEqual({
        status: 'Degraded',
        message: 'broken',
      });
    } finally {
      await sandbox.close();
    }
  });

  it('counts the object against the memory cap, and recovers for the next one', async () => {
    const sandbox = createLuaSandbox({ isolation: 'inline', memoryLimitBytes: 256 * 1024 });
    try {
      const huge = { data: { blob: 'x'.repeat(1024 * 1024) } };
      expect(await failure(sandbox.runHealth(readyCheck, huge))).toMatchObject({ reason: 'memory' });
      await expect(sandbox.runHealth(readyCheck, ready)).resolves.toEqual({
        status: 'Healthy',
        message: 'all good',
      });
    } finally {
      await sandbox.close();
    }
  });

  it('rejects evaluations once closed', async () => {
    const sandbox = createLuaSandbox({ isolation: 'inline' });
    await sandbox.close();
    await expect(sandbox.runHealth(readyCheck, ready)).rejects.toThrow('closed');
  });
});
