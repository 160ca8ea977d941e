import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@capstan/testkit';

const run = promisify(execFile);
const npm = (...args: string[]) => run('npm', ['run', '-s', ...args], { cwd: repoRoot, env: process.env });

describe('npm run cluster:up / cluster:down', () => {
  it('starts a named cluster, prints its kubeconfig path last, reuses it, and stops it', async () => {
    const name = `updown-${process.pid}`;
    try {
      const first = await npm('cluster:up', name);
      const lines = first.stdout.trim().split('\n');
      const path = lines[lines.length - 1]!;
      expect(lines).toHaveLength(1);
      expect(isAbsolute(path)).toBe(true);
      expect(existsSync(path)).toBe(true);

      const kc = new KubeConfig();
      kc.loadFromString(readFileSync(path, 'utf8'));
      const version = await kc.makeApiClient(VersionApi).getCode();
      expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+$/);

      const again = await npm('cluster:up', name);
      expect(again.stdout.trim()).toBe(path);
      expect(again.stderr).toContain('already running');

      const pids = JSON.parse(readFileSync(path.replace(/kubeconfig$/, 'pids.json'), 'utf8')) as number[];
      expect(pids.length).toBe(5);
      const down = await npm('cluster:down', name);
      expect(down.stderr).toContain(`cluster ${name} stopped`);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
      expect(existsSync(path)).toBe(false);
    } finally {
      await npm('cluster:down', name).catch(() => undefined);
    }
  });
});
