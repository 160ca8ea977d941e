// Trusted Lua, run once per Lua state with the whole standard library open. It keeps private references
// to what the host needs (debug.setupvalue, load, os.time…), then strips the global table, so nothing a
// script can reach leads back to them: every script runs with its own fresh environment table, built
// from copies of the safe functions, and never sees the state's globals.
//
// It returns the entry points the host calls:
//   health(fn, objChunk, openLibs, now) → kind ("none" | "health"), status, message
//   value(fn, objChunk, openLibs, now, globalsChunk) → the script's result encoded as JSON text
export const SANDBOX_PRELUDE = String.raw`
local error, next, type, select, tostring = error, next, type, select, tostring
local rawget, rawlen, rawequal, rawset = rawget, rawlen, rawequal, rawset
local setmetatable, getmetatable, pcall, xpcall = setmetatable, getmetatable, pcall, xpcall
local assert, ipairs, pairs, tonumber = assert, ipairs, pairs, tonumber
local setupvalue = debug.setupvalue
local stringLib, tableLib, mathLib, utf8Lib, coroutineLib = string, table, math, utf8, coroutine
local osTime, osDate, osClock, osDifftime = os.time, os.date, os.clock, os.difftime
local format, gsub, byte, concat = string.format, string.gsub, string.byte, table.concat
local mathType, floor, huge, tointeger = math.type, math.floor, math.huge, math.tointeger
local version = _VERSION

local load = load

-- Each evaluation gets its own copies of the libraries, so nothing a script changes outlives it. A
-- generated table constructor makes each copy in one pre-sized allocation instead of a loop of inserts.
local function copier(source, omit, extra)
  local fields = {}
  for k in next, source do
    if type(k) == "string" and k ~= omit then fields[#fields + 1] = format("[%q]=L[%q]", k, k) end
  end
  for k in next, extra or {} do fields[#fields + 1] = format("[%q]=X[%q]", k, k) end
  local make = load("local L, X = ... return function() return {" .. concat(fields, ",") .. "} end", "=copy", "t", {})
  return make(source, extra)
end

-- Scripts written for Argo CD's Lua 5.1 call these.
local function getn(t) return #t end
local function pow(x, y) return x ^ y end

-- A metatable with __gc would let a script run code later, inside another script's evaluation.
local function safeSetmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("__gc metamethods are not allowed", 0)
  end
  return setmetatable(t, mt)
end

-- The string metatable is shared by every evaluation; it stays out of reach.
local function safeGetmetatable(v)
  if type(v) == "string" then return nil end
  return getmetatable(v)
end

local function noop() end

local copyString = copier(stringLib, "dump")
local copyTable = copier(tableLib, nil, { getn = getn })
local copyMath = copier(mathLib, nil, mathLib.pow == nil and { pow = pow } or nil)
local copyUtf8 = copier(utf8Lib)
local copyCoroutine = copier(coroutineLib)
local unpack = tableLib.unpack

local function newEnv(openLibs, now)
  local env = {
    assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs,
    pcall = pcall, xpcall = xpcall, rawequal = rawequal, rawget = rawget, rawlen = rawlen,
    rawset = rawset, select = select, tonumber = tonumber, tostring = tostring, type = type,
    getmetatable = safeGetmetatable, setmetatable = safeSetmetatable, print = noop,
    unpack = unpack, _VERSION = version, _G = false, obj = false,
    string = copyString(), table = copyTable(), math = copyMath(),
  }
  env._G = env
  if openLibs then
    env.os = {
      time = function(t)
        if t == nil then return now end
        return osTime(t)
      end,
      date = function(fmt, t)
        if t == nil then t = now end
        return osDate(fmt, t)
      end,
      clock = osClock,
      difftime = osDifftime,
    }
    env.utf8 = copyUtf8()
    env.coroutine = copyCoroutine()
  end
  return env
end

local function run(fn, objChunk, openLibs, now, globalsChunk)
  local env = newEnv(openLibs, tointeger(floor(now)) or 0)
  env.obj = objChunk()
  if globalsChunk ~= nil then
    for k, v in next, globalsChunk() do env[k] = v end
  end
  setupvalue(fn, 1, env)
  return (fn())
end

local function health(fn, objChunk, openLibs, now)
  local result = run(fn, objChunk, openLibs, now, nil)
  local kind = type(result)
  if kind == "nil" then return "none" end
  if kind ~= "table" then error(format("health script must return a table, not a %s", kind), 0) end
  local status, message = rawget(result, "status"), rawget(result, "message")
  if status == nil and message == nil and next(result) == nil then return "none" end
  if status ~= nil and type(status) ~= "string" then
    error(format("health status must be a string, not a %s", type(status)), 0)
  end
  local messageType = type(message)
  if messageType == "number" then
    message = tostring(message)
  elseif messageType ~= "nil" and messageType ~= "string" then
    error(format("health message must be a string, not a %s", messageType), 0)
  end
  return "health", status, message
end

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function escapeChar(c)
  return escapes[c] or format("\\u%04x", byte(c))
end

local encode
local function encodeTable(t, out, depth, seen)
  if seen[t] then error("result contains a cycle", 0) end
  if depth > 100 then error("result is nested too deeply", 0) end
  seen[t] = true
  local count, maxIndex, isArray = 0, 0, true
  for k in next, t do
    count = count + 1
    if mathType(k) == "integer" and k > 0 then
      if k > maxIndex then maxIndex = k end
    else
      isArray = false
    end
  end
  if isArray and maxIndex == count then
    -- An empty table reads as an empty list, as Argo CD's JSON encoder has it.
    out[#out + 1] = "["
    for i = 1, count do
      if i > 1 then out[#out + 1] = "," end
      encode(rawget(t, i), out, depth + 1, seen)
    end
    out[#out + 1] = "]"
  else
    out[#out + 1] = "{"
    local first = true
    for k, v in next, t do
      local keyType = type(k)
      if keyType ~= "string" and keyType ~= "number" then
        error(format("result has a %s key", keyType), 0)
      end
      if not first then out[#out + 1] = "," end
      first = false
      encode(tostring(k), out, depth + 1, seen)
      out[#out + 1] = ":"
      encode(v, out, depth + 1, seen)
    end
    out[#out + 1] = "}"
  end
  seen[t] = nil
end

encode = function(v, out, depth, seen)
  local kind = type(v)
  if kind == "nil" then
    out[#out + 1] = "null"
  elseif kind == "boolean" then
    out[#out + 1] = v and "true" or "false"
  elseif kind == "number" then
    if v ~= v or v == huge or v == -huge then
      out[#out + 1] = "null"
    elseif mathType(v) == "integer" then
      out[#out + 1] = format("%d", v)
    else
      out[#out + 1] = format("%.17g", v)
    end
  elseif kind == "string" then
    out[#out + 1] = '"' .. gsub(v, '[%c"\\]', escapeChar) .. '"'
  elseif kind == "table" then
    encodeTable(v, out, depth, seen)
  else
    error(format("result holds a %s, which JSON cannot represent", kind), 0)
  end
end

local function value(fn, objChunk, openLibs, now, globalsChunk)
  local result = run(fn, objChunk, openLibs, now, globalsChunk)
  local out = {}
  encode(result, out, 0, {})
  return concat(out)
end

for _, name in ipairs({ "io", "os", "debug", "package", "require", "load", "loadstring", "dofile",
    "loadfile", "collectgarbage", "module", "print" }) do
  _G[name] = nil
end

return { health = health, value = value }
`;
