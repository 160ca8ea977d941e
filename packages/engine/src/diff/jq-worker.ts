// Runs jq (jq-wasm) off the main thread, so that an expression that never ends can be stopped by terminating
// this worker. Messages: {id, input, filter} in; {id, ok, output | error} out; {ready} once jq is loaded.
import { parentPort } from 'node:worker_threads';
import { raw } from 'jq-wasm';

interface JqRequest {
  readonly id: number;
  readonly input: string;
  readonly filter: string;
}

const port = parentPort;
if (port === null) throw new Error('jq-worker.ts must run in a worker thread');

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Load the wasm module before taking work, so start-up time never counts against an expression's timeout.
raw('null', '.').then(
  () => port.postMessage({ ready: true }),
  (error: unknown) => port.postMessage({ ready: false, error: message(error) }),
);

port.on('message', (request: JqRequest) => {
  raw(request.input, request.filter, ['-c']).then(
    (output) => port.postMessage({ id: request.id, ok: true, output }),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: message(error) }),
  );
});
