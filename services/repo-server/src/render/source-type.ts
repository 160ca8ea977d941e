import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@capstan/errors';
import type { ApplicationSource } from '@capstan/crds';

export type SourceType = 'Helm' | 'Kustomize' | 'Directory';

const kustomizationFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The tool for a source, as Argo CD decides it: a chart from a Helm repository is Helm; an explicit tool
 * block wins (two is an error); otherwise a kustomization file means Kustomize (even beside a Chart.yaml),
 * a Chart.yaml means Helm, anything else is a directory of manifests. A tool disabled in settings falls
 * back to Directory.
 */
export async function detectSourceType(
  source: ApplicationSource,
  appDir: string,
  enabled: Readonly<Record<string, boolean>> = {},
): Promise<SourceType> {
  const on = (t: SourceType): boolean => enabled[t.toLowerCase()] !== false;
  if (source.chart !== undefined && source.chart !== '') return 'Helm';
  const explicit: SourceType[] = [];
  if (source.helm !== undefined) explicit.push('Helm');
  if (source.kustomize !== undefined) explicit.push('Kustomize');
  if (source.directory !== undefined) explicit.push('Directory');
  if (source.plugin !== undefined) {
    throw new InvalidArgumentError('config management plugins are not supported by this repo-server');
  }
  if (explicit.length > 1) {
    throw new InvalidArgumentError(
      `multiple application sources defined: ${explicit.join(', ')}; set only one tool block`,
    );
  }
  const chosen = explicit[0];
  if (chosen !== undefined) return on(chosen) ? chosen : 'Directory';
  for (const f of kustomizationFiles)
    if (await exists(join(appDir, f))) return on('Kustomize') ? 'Kustomize' : 'Directory';
  if (await exists(join(appDir, 'Chart.yaml'))) return on('Helm') ? 'Helm' : 'Directory';
  return 'Directory';
}

export { kustomizationFiles };
