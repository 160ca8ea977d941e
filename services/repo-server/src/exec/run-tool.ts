import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import {
  DeadlineExceededError,
  InvalidArgumentError,
  ResourceExhaustedError,
  UnavailableError,
} from '@capstan/errors';

export interface ToolRun {
  /** The binary: an absolute path or a name on PATH. */
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The whole environment of the child: nothing of the repo-server's own environment leaks in. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Output beyond this many bytes kills the tool (a render that explodes must not take the server down). */
  readonly maxOutputBytes: number;
  /**
   * Resident memory the tool may use; above it the tool is killed. helm and kustomize build their whole
   * output in memory before printing it, so the output cap alone would act only after gigabytes.
   */
  readonly maxMemoryBytes?: number;
  /** Shown in errors instead of the full command line, e.g. "helm template". */
  readonly label: string;
  /** Paths to replace in error text (the checkout's location is nobody's business). */
  readonly redact?: readonly { readonly from: string; readonly to: string }[];
  readonly signal?: AbortSignal;
}

export interface ToolResult {
  readonly stdout: string;
  /** Wall time of the child process alone. */
  readonly ms: number;
}

const maxStderrBytes = 16 * 1024;

function clean(text: string, run: ToolRun): string {
  let out = text;
  for (const { from, to } of run.redact ?? []) out = out.split(from).join(to);
  // Credentials in URLs never leave the process, whatever a tool prints.
  out = out.replace(/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1***@');
  const lines = out.trim().split('\n');
  return lines.length > 20
    ? [...lines.slice(0, 20), `… (${lines.length - 20} more lines)`].join('\n')
    : lines.join('\n');
}

async function rssBytes(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // gone already, or no /proc: the output cap and the timeout still apply
  }
}

/**
 * Runs a rendering tool with an argument array (never a shell), a minimal environment, a time limit and
 * an output cap. The child gets its own process group so that a kill also stops what it started.
 */
export function runTool(run: ToolRun): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(run.command, [...run.args], {
      cwd: run.cwd,
      env: run.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: Error | undefined;
    const kill = (err: Error): void => {
      failure ??= err;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(
      () =>
        kill(
          new DeadlineExceededError(
            `${run.label} did not finish within ${Math.round(run.timeoutMs / 1000)} s`,
          ),
        ),
      run.timeoutMs,
    );
    const watchdog =
      run.maxMemoryBytes === undefined
        ? undefined
        : setInterval(() => {
            void rssBytes(child.pid).then((rss) => {
              if (rss > (run.maxMemoryBytes ?? Infinity)) {
                kill(
                  new ResourceExhaustedError(
                    `${run.label} used more than ${Math.round((run.maxMemoryBytes ?? 0) / 1048576)} MiB of memory; the limit is CAPSTAN_REPO_TOOL_MAX_MEMORY_BYTES`,
                  ),
                );
              }
            });
          }, 100);
    const onAbort = (): void => kill(new DeadlineExceededError(`${run.label} was cancelled`));
    run.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > run.maxOutputBytes) {
        kill(
          new ResourceExhaustedError(
            `${run.label} produced more than ${Math.round(run.maxOutputBytes / 1048576)} MiB of manifests; the limit is CAPSTAN_REPO_MAX_MANIFEST_BYTES`,
          ),
        );
        return;
      }
      if (failure === undefined) chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < maxStderrBytes) stderr += chunk.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      failure ??=
        err.code === 'ENOENT'
          ? new UnavailableError(`${run.label}: ${run.command} not found`)
          : new UnavailableError(`${run.label} could not start: ${err.code ?? 'error'}`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (watchdog !== undefined) clearInterval(watchdog);
      run.signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) return reject(failure);
      if (code !== 0) {
        return reject(
          new InvalidArgumentError(`${run.label} failed: ${clean(stderr, run) || `exit code ${code}`}`),
        );
      }
      resolve({ stdout: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started });
    });
  });
}
