// One real environment for the repo-server tests: Redis, Git over HTTP, a Helm repository, and the
// repo-server itself as a child process, reached through its client module.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRepoServerClient, type RepoServerClient } from '@capstan/proto';
import {
  createGitRoot,
  indexRepo,
  locateToolchain,
  packageChart,
  seedDir,
  startGitHttpServer,
  startHelmRepoServer,
  startRedis,
  startService,
  type GitHttpServer,
  type GitRepo,
  type GitRoot,
  type HelmRepoServer,
  type ServiceProcess,
  type TestRedis,
} from '@capstan/testkit';

export const deployment = (name: string, image = 'nginx:1.27'): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n      - name: ${name}\n        image: ${image}\n`;

const service = (name: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80}]\n`;

/** The article's k8s-manifests repository, as its Applications and ApplicationSets expect it. */
export function manifestRepoFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const app of ['my-app', 'api', 'web', 'deprecated-old']) {
    files[`apps/${app}/base/kustomization.yaml`] = 'resources:\n- deployment.yaml\n- service.yaml\n';
    files[`apps/${app}/base/deployment.yaml`] = deployment(app);
    files[`apps/${app}/base/service.yaml`] = service(app);
    files[`apps/${app}/overlays/production/kustomization.yaml`] = 'resources:\n- ../../base\n';
  }
  files['plain/cm.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: top\n';
  files['plain/nested/cm.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nested\n';
  files['plain/nested/skip-me.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: excluded\n';
  files['charts/local/Chart.yaml'] = 'apiVersion: v2\nname: local\nversion: 0.1.0\n';
  files['charts/local/values.yaml'] = 'message: hello\n';
  files['charts/local/templates/cm.yaml'] =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-msg\ndata:\n  message: {{ .Values.message | quote }}\n';
  files['clusters/staging/config.json'] = '{"env":"staging"}';
  files['clusters/production/config.json'] = '{"env":"production"}';
  return files;
}

export interface RepoServerFixture extends AsyncDisposable {
  readonly redis: TestRedis;
  readonly gitRoot: GitRoot;
  readonly git: GitHttpServer;
  readonly manifests: GitRepo;
  readonly manifestsUrl: string;
  readonly helm: HelmRepoServer;
  readonly repoServer: ServiceProcess;
  readonly client: RepoServerClient;
  /** Reads a counter or gauge from the repo-server's /metrics (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [p, c] of Object.entries(files)) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), c);
  }
}

/** A Helm repository with a chart shaped like the article's kube-prometheus-stack (several versions). */
async function helmRepository(helmBin: string): Promise<{ dir: string; work: string }> {
  const work = await mkdtemp(join(tmpdir(), 'capstan-charts-'));
  const dir = join(work, 'repo');
  await mkdir(dir);
  await writeTree(join(work, 'kube-prometheus-stack'), {
    'Chart.yaml': 'apiVersion: v2\nname: kube-prometheus-stack\nversion: 65.0.0\n',
    'values.yaml':
      'grafana:\n  enabled: false\nprometheus:\n  prometheusSpec:\n    retention: 10d\n    storageSpec:\n      volumeClaimTemplate:\n        spec:\n          storageClassName: none\n',
    'templates/config.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\n  labels:\n    release: {{ .Release.Name }}\ndata:\n  grafana: {{ .Values.grafana.enabled | quote }}\n  retention: {{ .Values.prometheus.prometheusSpec.retention | quote }}\n  storageClass: {{ .Values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName | quote }}\n  chartVersion: {{ .Chart.Version | quote }}\n',
  });
  for (const version of ['64.0.0', '65.0.0', '65.1.0', '66.0.0-rc.1']) {
    await packageChart(helmBin, join(work, 'kube-prometheus-stack'), dir, { version });
  }
  await indexRepo(helmBin, dir);
  return { dir, work };
}

export async function startRepoServerFixture(env: Record<string, string> = {}): Promise<RepoServerFixture> {
  const tc = locateToolchain();
  const redis = await startRedis();
  const gitRoot = await createGitRoot();
  const git = await startGitHttpServer({ root: gitRoot.dir });
  const manifests = await gitRoot.createRepo('k8s-manifests', manifestRepoFiles());
  await manifests.tag('v1.0.0');
  const charts = await helmRepository(tc.helm);
  const helm = await startHelmRepoServer({ dir: charts.dir });
  const cacheDir = await mkdtemp(join(tmpdir(), 'capstan-reposerver-cache-'));
  const repoServer = await startService({
    name: 'repo-server',
    redisUrl: redis.url,
    env: { CAPSTAN_REPO_CACHE_DIR: cacheDir, CAPSTAN_GIT_TIMEOUT_SECONDS: '10', ...env },
  });
  const client = createRepoServerClient({ address: repoServer.grpcAddress, timeoutMs: 60_000 });
  const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const text = await (await fetch(`${repoServer.metricsUrl}/metrics`)).text();
    const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    return text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
      .filter((l) => want.every((w) => l.includes(w)))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  };
  return {
    redis,
    gitRoot,
    git,
    manifests,
    manifestsUrl: `${git.baseUrl}/k8s-manifests.git`,
    helm,
    repoServer,
    client,
    metric,
    [Symbol.asyncDispose]: async () => {
      client.close();
      await repoServer[Symbol.asyncDispose]();
      await helm.close();
      await git.close();
      await gitRoot.close();
      await redis.stop();
      await rm(cacheDir, { recursive: true, force: true });
      await rm(charts.work, { recursive: true, force: true });
    },
  };
}

/** A seed Application's `spec.source`, with the article's placeholder repository replaced by ours. */
export async function seedSource(file: string, repoURL: string): Promise<Record<string, unknown>> {
  const { parseManifests } = await import('@capstan/crds');
  const [app] = parseManifests(await readFile(join(seedDir, 'manifests', file), 'utf8'));
  const source = (app?.['spec'] as { source: Record<string, unknown> }).source;
  return { ...source, repoURL };
}
