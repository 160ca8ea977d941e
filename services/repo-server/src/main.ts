import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitClient, normalizeRepoUrl } from '@capstan/git';
import { descriptorSetPath } from '@capstan/proto';
import { runService } from '@capstan/runtime';
import { ManifestCache } from './cache/manifest-cache.ts';
import { configSpec } from './config.ts';
import { createHelmRepoClient } from '@capstan/helm-repo';
import { Semaphore } from './limits/semaphore.ts';
import { ManifestGenerator } from './service/manifest-generator.ts';
import { createRepoMetrics } from './service/repo-metrics.ts';
import { repoService } from './service/repo-service.ts';
import { probeTools } from './tools/probe-tools.ts';

await runService({
  name: 'repo-server',
  spec: configSpec,
  descriptorSet: descriptorSetPath,
  wire: async ({ config, logger, metrics, redis }) => {
    const tools = await probeTools({ helm: config.helmPath, kustomize: config.kustomizePath });
    logger.info('rendering tools', { ...tools });
    const dirs = {
      git: join(config.cacheDir, 'git'),
      helm: join(config.cacheDir, 'helm'),
      scratch: join(config.cacheDir, 'scratch'),
    };
    for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });
    const repoMetrics = createRepoMetrics(metrics.registry);
    // argocd-ssh-known-hosts-cm is mounted as a file; it is re-read so edits apply without a restart.
    let knownHosts = '';
    const refreshKnownHosts = async (): Promise<void> => {
      knownHosts = await readFile(config.sshKnownHostsFile, 'utf8').catch(() => '');
    };
    await refreshKnownHosts();
    setInterval(() => void refreshKnownHosts(), 30_000).unref();
    const git = createGitClient({
      cacheDir: dirs.git,
      timeoutMs: config.gitTimeoutSeconds * 1000,
      logger: logger.child({ component: 'git' }),
      revisionCacheMs: config.revisionCacheSeconds * 1000,
      onRequest: (e) => {
        const labels = { repo: normalizeRepoUrl(e.repo), request_type: e.type };
        repoMetrics.gitRequests.inc(labels);
        repoMetrics.gitRequestSeconds.observe(labels, e.ms / 1000);
      },
    });
    const helmRepos = createHelmRepoClient({
      cacheDir: dirs.helm,
      timeoutMs: config.gitTimeoutSeconds * 1000,
      logger: logger.child({ component: 'helm-repo' }),
    });
    const render = {
      helmPath: config.helmPath,
      kustomizePath: config.kustomizePath,
      tmpRoot: dirs.scratch,
      execTimeoutMs: config.execTimeoutSeconds * 1000,
      maxManifestBytes: config.maxManifestBytes,
      maxToolMemoryBytes: config.maxToolMemoryBytes,
      kustomizeBuildOptions: config.kustomizeBuildOptions.split(/\s+/).filter((s) => s !== ''),
      valuesFileSchemes: config.helmValuesFileSchemes.split(','),
    };
    const cache = new ManifestCache(redis, config.cacheTtlSeconds);
    const generator = new ManifestGenerator({
      git,
      helmRepos,
      cache,
      render,
      slots: new Semaphore(config.parallelismLimit),
      metrics: repoMetrics,
      logger,
      knownHosts: () => knownHosts,
    });
    return { services: [repoService({ git, helmRepos, generator, render, knownHosts: () => knownHosts })] };
  },
});
