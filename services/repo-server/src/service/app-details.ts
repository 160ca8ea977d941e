import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { common } from '@capstan/proto';
import { runTool } from '../exec/run-tool.ts';
import { parseObjects } from '../render/parse-output.ts';
import type { RenderSettings } from '../render/render-source.ts';
import { resolveInside } from '../render/safe-path.ts';
import type { SourceType } from '../render/source-type.ts';

/** values.yaml flattened to `a.b[0].c = value` pairs, as Argo CD lists a chart's parameters. */
function flatten(value: unknown, prefix: string, out: common.HelmParameter[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (prefix !== '')
    out.push({
      name: prefix,
      value:
        typeof value === 'string'
          ? value
          : value === null || value === undefined
            ? ''
            : JSON.stringify(value),
    });
}

function imagesOf(objects: readonly Record<string, unknown>[]): string[] {
  const images = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'image' && typeof x === 'string') images.add(x);
        else visit(x);
      }
    }
  };
  visit(objects);
  return [...images].sort();
}

/** What a source offers to be overridden: a chart's value files and parameters, a kustomization's images. */
export async function appDetails(
  type: SourceType,
  root: string,
  path: string,
  settings: RenderSettings,
): Promise<common.RepoAppDetailsResponse> {
  const dir = await resolveInside(root, path, 'spec.source.path');
  switch (type) {
    case 'Helm': {
      const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f) && f !== 'Chart.yaml').sort();
      const raw = files.includes('values.yaml') ? await readFile(join(dir, 'values.yaml'), 'utf8') : '';
      const parameters: common.HelmParameter[] = [];
      flatten(parse(raw) ?? {}, '', parameters);
      const chart = parse(await readFile(join(dir, 'Chart.yaml'), 'utf8')) as { name?: string } | null;
      return {
        type,
        helm: { name: chart?.name ?? '', valueFiles: files, parameters, values: raw, fileParameters: [] },
      };
    }
    case 'Kustomize': {
      const { stdout } = await runTool({
        command: settings.kustomizePath,
        args: ['build', dir, ...settings.kustomizeBuildOptions],
        cwd: dir,
        env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: settings.tmpRoot, KUBECONFIG: '/dev/null' },
        timeoutMs: settings.execTimeoutMs,
        maxOutputBytes: settings.maxManifestBytes,
        label: 'kustomize build',
        redact: [{ from: root, to: '.' }],
      });
      return { type, kustomize: { images: imagesOf(parseObjects(stdout, 'kustomize build')) } };
    }
    case 'Directory':
      return { type, directory: {} };
  }
}
