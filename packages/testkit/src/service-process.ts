import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { locateToolchain } from '@capstan/devtools';
import { repoRoot } from './paths.ts';

export type ServiceName =
  'api-server' | 'repo-server' | 'application-controller' | 'applicationset-controller' | 'notifications';

/** The env variable prefix of each service's port settings. */
const portPrefix: Record<ServiceName, string> = {
  'api-server': 'CAPSTAN_API_SERVER',
  'repo-server': 'CAPSTAN_REPO_SERVER',
  'application-controller': 'CAPSTAN_APPLICATION_CONTROLLER',
  'applicationset-controller': 'CAPSTAN_APPLICATIONSET_CONTROLLER',
  notifications: 'CAPSTAN_NOTIFICATIONS',
};

export interface ServiceProcessOptions {
  readonly name: ServiceName;
  readonly redisUrl: string;
  /** Extra environment (CAPSTAN_* settings); ports default to 0 (any free port). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the startup line and SERVING health. @default 30_000 */
  readonly startTimeoutMs?: number;
  /** Run from TypeScript sources (as `npm start`) or from compiled dist/ (as the images; needs `npm run build`). @default 'source' */
  readonly mode?: 'source' | 'dist';
}

export interface ExitResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ms: number;
}

export interface ServiceProcess extends AsyncDisposable {
  readonly name: ServiceName;
  readonly pid: number;
  readonly grpcAddress: string;
  readonly metricsUrl: string;
  /** The startup line's fields (version, ports, services, startupMs). */
  readonly startup: Readonly<Record<string, unknown>>;
  /** Every line the process printed so far (stdout JSON logs and stderr). */
  readonly output: readonly string[];
  /** Sends a signal and resolves when the process exits, with how long that took. */
  stop(signal?: NodeJS.Signals): Promise<ExitResult>;
}

export const serviceEntry = (name: ServiceName, mode: 'source' | 'dist' = 'source'): string =>
  mode === 'source'
    ? join(repoRoot, 'services', name, 'src', 'main.ts')
    : join(repoRoot, 'services', name, 'dist', 'main.js');

/** The repo-server renders with the toolchain's helm and kustomize, as in `npm start`. */
export function toolEnv(): Record<string, string> {
  const tc = locateToolchain();
  return { CAPSTAN_HELM_PATH: tc.helm, CAPSTAN_KUSTOMIZE_PATH: tc.kustomize };
}

/** Runs a service from source (Node strips the types) the way `npm start` does, or compiled as in the images. */
export function spawnService(
  name: ServiceName,
  env: Readonly<Record<string, string>>,
  mode: 'source' | 'dist' = 'source',
): ChildProcess {
  const args =
    mode === 'source' ? ['--conditions=@capstan/source', serviceEntry(name)] : [serviceEntry(name, 'dist')];
  return spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits until grpc.health.v1 reports SERVING for the whole server. */
export async function waitForServing(address: string, timeoutMs: number): Promise<void> {
  const Client = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');
  const client = new Client(address, credentials.createInsecure());
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const status = await new Promise<string>((resolve) => {
        (client as unknown as Record<string, (...a: unknown[]) => void>)['check']!(
          { service: '' },
          { deadline: Date.now() + 1000 },
          (err: ServiceError | null, res: { status: string | number }) =>
            resolve(err === null ? String(res.status) : `error: ${err.message}`),
        );
      });
      if (status === 'SERVING' || status === '1') return;
      if (Date.now() > deadline)
        throw new Error(`gRPC health at ${address} is ${status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.close();
  }
}

/**
 * Starts a service as a child process against a real Redis, on loopback with OS-chosen ports, and
 * resolves once it has logged its startup line and its gRPC health reports SERVING.
 */
export async function startService(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const prefix = portPrefix[options.name];
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const proc = spawnService(
    options.name,
    {
      CAPSTAN_REDIS_URL: options.redisUrl,
      CAPSTAN_LISTEN_ADDRESS: '127.0.0.1',
      [`${prefix}_GRPC_PORT`]: '0',
      [`${prefix}_METRICS_PORT`]: '0',
      ...(options.name === 'repo-server' ? toolEnv() : {}),
      ...options.env,
    },
    options.mode,
  );
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  createInterface({ input: proc.stderr! }).on('line', (l) => output.push(l));
  const startup = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${options.name} did not start within ${timeoutMs} ms:\n${output.join('\n')}`));
    }, timeoutMs);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      output.push(line);
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry['msg'] === 'started') {
          clearTimeout(timer);
          resolve(entry);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${options.name} exited (code ${code}, signal ${signal}) before starting:\n${output.join('\n')}`,
        ),
      );
    });
  });
  const grpcAddress = `127.0.0.1:${String(startup['grpcPort'])}`;
  await waitForServing(grpcAddress, timeoutMs);

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitResult> => {
    const started = performance.now();
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    const { code, signal: sig } = await exited;
    return { code, signal: sig, ms: performance.now() - started };
  };
  return {
    name: options.name,
    pid: proc.pid!,
    grpcAddress,
    metricsUrl: `http://127.0.0.1:${String(startup['metricsPort'])}`,
    startup,
    output,
    stop,
    [Symbol.asyncDispose]: async () => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await stop();
      clearTimeout(timer);
    },
  };
}
