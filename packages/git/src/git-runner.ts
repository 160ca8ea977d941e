import { spawn } from 'node:child_process';
import { GitPluginError, simpleGit, type SimpleGit } from 'simple-git';
import { extract } from 'tar';
import { type CapstanError, InternalError } from '@capstan/errors';
import { classifyGitError } from './classify-git-error.ts';
import type { GitCredentials } from './git-client.ts';
import { allowedGitEnvironment, prepareGitEnvironment, type GitEnvironment } from './git-environment.ts';

export interface GitRunnerOptions {
  readonly gitPath: string;
  readonly timeoutMs: number;
  /** Private HOME of every git process. */
  readonly home: string;
  /** See GitEnvironmentOptions.ceiling. */
  readonly ceiling: string;
  readonly askPass: string;
  /** Where per-invocation secret files are written. */
  readonly tmpRoot: string;
}

export interface RunOptions {
  readonly cwd: string;
  /** The repository, for error messages; free of credentials. */
  readonly url: string;
  readonly operation: string;
  readonly creds?: GitCredentials | undefined;
  /** The revision being worked on, named in NotFound errors. */
  readonly ref?: string | undefined;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly secrets: readonly string[];
}

export interface GitRunner {
  /** Runs git and returns stdout; a non-zero exit becomes a classified domain error. */
  run(args: readonly string[], options: RunOptions): Promise<string>;
  /** Like run, but a non-zero exit is returned rather than thrown (a timeout still throws). */
  exec(args: readonly string[], options: RunOptions): Promise<ExecResult>;
  /** `git show <object>` as raw bytes. */
  showBuffer(object: string, options: RunOptions): Promise<Buffer>;
  /** Streams `git archive <sha>` of the repository at cwd into dest through tar extraction. */
  archive(sha: string, dest: string, options: RunOptions): Promise<void>;
}

// simple-git refuses these by default because arbitrary callers could abuse them; here every value is
// ours (askpass script, ssh command, config paths), never a user's.
const unsafe = {
  allowUnsafeAskPass: true,
  allowUnsafeSshCommand: true,
  allowUnsafeConfigPaths: true,
} as const;

export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const withEnvironment = async <T>(
    creds: GitCredentials | undefined,
    fn: (environment: GitEnvironment) => Promise<T>,
  ): Promise<T> => {
    const environment = await prepareGitEnvironment({
      home: options.home,
      ceiling: options.ceiling,
      askPass: options.askPass,
      tmpRoot: options.tmpRoot,
      creds,
      timeoutMs: options.timeoutMs,
    });
    try {
      return await fn(environment);
    } finally {
      await environment.dispose();
    }
  };

  /** One simple-git instance per invocation: its abort signal is this invocation's time limit. */
  const invoke = async <T>(
    run: RunOptions,
    call: (git: SimpleGit) => Promise<T>,
  ): Promise<{ value: T; exitCode: number; stderr: string; secrets: readonly string[] }> =>
    withEnvironment(run.creds, async (environment) => {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, options.timeoutMs);
      let exitCode = 0;
      let stderr = '';
      const git = simpleGit({
        baseDir: run.cwd,
        binary: options.gitPath,
        abort: controller.signal,
        config: [...environment.config],
        unsafe,
        allowEnvironment: allowedGitEnvironment,
        // Exit code and stderr are kept for classification; the error itself is raised by us.
        errors: (error, result) => {
          exitCode = result.exitCode;
          stderr = Buffer.concat(result.stdErr).toString('utf8');
          // Plugin errors (a refused argument, an abort) are ours to surface; exits are classified.
          return timedOut || error instanceof GitPluginError ? error : undefined;
        },
      }).env({ ...environment.env });
      try {
        const value = await call(git);
        return { value, exitCode, stderr, secrets: environment.secrets };
      } catch (err) {
        if (timedOut)
          throw classifyGitError({
            operation: run.operation,
            url: run.url,
            ref: run.ref,
            stderr,
            timeoutMs: options.timeoutMs,
            secrets: environment.secrets,
          });
        throw err;
      } finally {
        clearTimeout(timer);
      }
    });

  const fail = (run: RunOptions, result: { exitCode: number; stderr: string; secrets: readonly string[] }) =>
    classifyGitError({
      operation: run.operation,
      url: run.url,
      ...(run.ref === undefined ? {} : { ref: run.ref }),
      stderr: result.stderr,
      exitCode: result.exitCode,
      secrets: result.secrets,
    });

  const exec: GitRunner['exec'] = async (args, run) => {
    const r = await invoke(run, (git) => git.raw([...args]));
    return { exitCode: r.exitCode, stdout: r.value, stderr: r.stderr, secrets: r.secrets };
  };

  return {
    exec,
    run: async (args, run) => {
      const r = await exec(args, run);
      if (r.exitCode !== 0) throw fail(run, r);
      return r.stdout;
    },
    showBuffer: async (object, run) => {
      const r = await invoke(run, (git) => git.showBuffer(['--no-textconv', object]));
      if (r.exitCode !== 0) throw fail(run, r);
      return r.value;
    },
    archive: (sha, dest, run) =>
      withEnvironment(undefined, (environment) => archiveInto(sha, dest, { run, environment, options })),
  };
}

/**
 * `git archive | tar -x` without a shell or a temporary tarball: git's stdout streams straight into the
 * tar extractor. tar refuses absolute paths and `..` entries; owners are not restored. When both sides
 * fail, git's own error wins: tar only saw the stream git cut short.
 */
function archiveInto(
  sha: string,
  dest: string,
  ctx: { run: RunOptions; environment: GitEnvironment; options: GitRunnerOptions },
): Promise<void> {
  const { run, environment, options } = ctx;
  return new Promise<void>((resolve, reject) => {
    const child = spawn(options.gitPath, ['archive', '--format=tar', sha], {
      cwd: run.cwd,
      env: { ...environment.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let timedOut = false;
    let settled = false;
    let extracted = false;
    let tarError: Error | undefined;
    let exitCode: number | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const settle = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === undefined) resolve();
      else reject(err);
    };
    const gitError = (code: number): CapstanError =>
      classifyGitError({
        operation: run.operation,
        url: run.url,
        ref: run.ref,
        stderr,
        exitCode: code,
        ...(timedOut ? { timeoutMs: options.timeoutMs } : {}),
      });
    const extractError = (err: Error): CapstanError =>
      new InternalError(`extracting revision '${sha}' of ${run.url} failed`, { cause: err });
    /** Decides once git has exited and, on success, tar has written everything. */
    const decide = (): void => {
      if (exitCode === undefined) return;
      if (timedOut || (exitCode !== 0 && tarError === undefined)) settle(gitError(exitCode));
      else if (tarError !== undefined)
        settle(exitCode !== 0 && stderr.trim() !== '' ? gitError(exitCode) : extractError(tarError));
      else if (exitCode !== 0) settle(gitError(exitCode));
      else if (extracted) settle(undefined);
    };
    // git forbids `..` and absolute paths in trees, so paths are kept as they are; symlink targets (which may
    // legitimately be absolute or climb within the repository) are checked after extraction.
    const unpack = extract({ cwd: dest, strict: true, preserveOwner: false, preservePaths: true });
    unpack.on('error', (err: Error) => {
      tarError ??= err;
      child.kill('SIGKILL');
      decide();
    });
    unpack.on('close', () => {
      extracted = true;
      decide();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64_000) stderr += chunk.toString('utf8');
    });
    child.on('error', (err) => {
      tarError ??= err;
      exitCode ??= -1;
      decide();
    });
    child.on('close', (code) => {
      exitCode = code ?? -1;
      decide();
    });
    child.stdout.pipe(unpack);
  });
}
