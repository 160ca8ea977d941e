import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ApiextensionsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '@capstan/proto';
import { eventually, freePort, repoRoot } from '@capstan/testkit';

const services = [
  'api-server',
  'repo-server',
  'application-controller',
  'applicationset-controller',
  'notifications',
];
const portVars = [
  'API_SERVER',
  'REPO_SERVER',
  'APPLICATION_CONTROLLER',
  'APPLICATIONSET_CONTROLLER',
  'NOTIFICATIONS',
];

describe('npm start', () => {
  it('brings up a local cluster as the target, Redis and the five services, and Ctrl-C stops them', async () => {
    const name = `start-${process.pid}`;
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      CAPSTAN_DEV_CLUSTER_NAME: name,
      CAPSTAN_DEV_REDIS_PORT: String(await freePort()),
    };
    // Fixed default ports could collide with a developer's running system; the start script passes these through.
    for (const p of portVars) {
      env[`CAPSTAN_${p}_GRPC_PORT`] = String(await freePort());
      env[`CAPSTAN_${p}_METRICS_PORT`] = String(await freePort());
    }
    env['CAPSTAN_REPO_SERVER_ADDRESS'] = `127.0.0.1:${env['CAPSTAN_REPO_SERVER_GRPC_PORT']}`;
    const proc = spawn(
      process.execPath,
      ['--conditions=@capstan/source', join(repoRoot, 'tools/devtools/src/cli/start.ts')],
      {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    createInterface({ input: proc.stdout }).on('line', (l) => lines.push(l));
    createInterface({ input: proc.stderr }).on('line', (l) => lines.push(l));
    const kubeconfigPath = join(repoRoot, '.capstan', 'clusters', name, 'kubeconfig');
    try {
      await eventually(
        'all five services started',
        () => services.every((s) => lines.some((l) => l.startsWith(s) && l.includes(' started '))),
        { timeoutMs: 90_000 },
      ).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}\n${lines.join('\n')}`);
      });

      const kc = new KubeConfig();
      kc.loadFromString(readFileSync(kubeconfigPath, 'utf8'));
      await kc.makeApiClient(CoreV1Api).readNamespace({ name: 'argocd' });
      const crds = (await kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition()).items.map(
        (c) => c.metadata?.name,
      );
      expect(crds).toEqual(
        expect.arrayContaining([
          'applications.argoproj.io',
          'appprojects.argoproj.io',
          'applicationsets.argoproj.io',
        ]),
      );

      const api = createApiClient({ address: `127.0.0.1:${env['CAPSTAN_API_SERVER_GRPC_PORT']}` });
      try {
        expect((await api.version.version({})).version).toMatch(/^\d+\.\d+\.\d+/);
      } finally {
        api.close();
      }
    } finally {
      proc.kill('SIGINT');
      const [code] = (await once(proc, 'exit')) as [number | null];
      expect(code).toBe(0);
    }
    expect(lines.some((l) => l.includes('local cluster stopped'))).toBe(true);
    expect(existsSync(kubeconfigPath)).toBe(false);
  });
});
