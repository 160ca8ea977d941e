import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FailedPreconditionError } from '@capstan/errors';

const run = promisify(execFile);

export interface ToolVersions {
  readonly helm: string;
  readonly kustomize: string;
}

async function version(variable: string, path: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(path, [...args], { timeout: 10_000 });
    return stdout.trim().split('\n')[0] ?? '';
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'failed to run';
    throw new FailedPreconditionError(
      `${variable}: ${path} ${reason}; install it or point ${variable} at the binary`,
      {
        cause: err,
      },
    );
  }
}

/**
 * Checks at startup that the rendering tools exist and reports their versions: a repo-server that
 * cannot run helm should fail to start, not fail every Helm application later.
 */
export async function probeTools(paths: { helm: string; kustomize: string }): Promise<ToolVersions> {
  const [helm, kustomize] = await Promise.all([
    version('CAPSTAN_HELM_PATH', paths.helm, ['version', '--short']),
    version('CAPSTAN_KUSTOMIZE_PATH', paths.kustomize, ['version']),
  ]);
  return { helm, kustomize };
}
