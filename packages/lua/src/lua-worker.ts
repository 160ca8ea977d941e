// Runs Lua off the main thread, so that a native call that never returns (a pathological pattern match,
// which no instruction hook sees) can be stopped by terminating the worker. One Lua state, replaced when an
// evaluation spends its budget. Messages in: {items: [{id, run}]}; out: {ready} once, then {results: [{id,
// outcome}]} in order, or {id, fatal} before exiting when the wasm runtime broke. Results go out when the
// batch is done, or sooner once FLUSH_MS have passed, so the pool hears of progress at least that often.
import { parentPort, workerData } from 'node:worker_threads';
import { LuaFatalError, LuaVm, type LuaLimits, type LuaOutcome, type LuaRun } from './lua-vm.ts';

interface WorkItem {
  readonly id: number;
  readonly run: LuaRun;
}

const port = parentPort;
if (port === null) throw new Error('lua-worker.ts must run in a worker thread');
const limits = (workerData as { limits: LuaLimits }).limits;

function message(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}

let vm: LuaVm;
try {
  vm = await LuaVm.create(limits);
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: message(error) });
  process.exit(1);
}

const FLUSH_MS = 20;

async function work(items: readonly WorkItem[]): Promise<void> {
  let results: { id: number; outcome: LuaOutcome }[] = [];
  let flushed = Date.now();
  for (const item of items) {
    try {
      if (!vm.usable) {
        vm.close();
        vm = await LuaVm.create(limits);
      }
      results.push({ id: item.id, outcome: vm.run(item.run) });
    } catch (error) {
      // Anything else is a broken runtime: report it and let the pool start a fresh worker.
      if (results.length > 0) port?.postMessage({ results });
      port?.postMessage({
        id: item.id,
        fatal: error instanceof LuaFatalError ? message(error) : `Lua worker: ${message(error)}`,
      });
      process.exit(1);
    }
    if (Date.now() - flushed >= FLUSH_MS) {
      port?.postMessage({ results });
      results = [];
      flushed = Date.now();
    }
  }
  if (results.length > 0) port?.postMessage({ results });
}

port.on('message', (batch: { items: readonly WorkItem[] }) => {
  void work(batch.items);
});
