import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

/**
 * The five services/<name>/Dockerfile files are rendered from this one template (`npm run
 * dockerfiles:gen`), so a new workspace or dependency is a regeneration, not five hand edits.
 */
export interface ServiceImage {
  readonly name: string;
  /** Env var prefix of its ports, e.g. CAPSTAN_API_SERVER. */
  readonly portPrefix: string;
  readonly grpcPort: number;
  readonly metricsPort: number;
}

export const serviceImages: readonly ServiceImage[] = [
  { name: 'api-server', portPrefix: 'CAPSTAN_API_SERVER', grpcPort: 8080, metricsPort: 8083 },
  { name: 'repo-server', portPrefix: 'CAPSTAN_REPO_SERVER', grpcPort: 8081, metricsPort: 8084 },
  {
    name: 'application-controller',
    portPrefix: 'CAPSTAN_APPLICATION_CONTROLLER',
    grpcPort: 8090,
    metricsPort: 8082,
  },
  {
    name: 'applicationset-controller',
    portPrefix: 'CAPSTAN_APPLICATIONSET_CONTROLLER',
    grpcPort: 8091,
    metricsPort: 8092,
  },
  { name: 'notifications', portPrefix: 'CAPSTAN_NOTIFICATIONS', grpcPort: 9002, metricsPort: 9001 },
];

interface PackageJson {
  readonly name: string;
  readonly workspaces?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
}

const readJson = (path: string): PackageJson =>
  JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) as PackageJson;

/** Workspace folders as npm expands the root globs, sorted. */
export function workspaceDirs(): string[] {
  return (readJson('package.json').workspaces ?? [])
    .flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(join(repoRoot, pattern.slice(0, -2)), { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => `${pattern.slice(0, -2)}/${d.name}`)
        : [pattern],
    )
    .filter((dir) => existsSync(join(repoRoot, dir, 'package.json')))
    .sort();
}

/** The @capstan workspaces a service needs at run time, dependencies before dependents. */
function capstanDeps(service: string): string[] {
  const dirs = new Map(workspaceDirs().map((d) => [readJson(`${d}/package.json`).name, d]));
  const order: string[] = [];
  const visit = (name: string): void => {
    const dir = dirs.get(name);
    if (dir === undefined || order.includes(dir)) return;
    for (const dep of Object.keys(readJson(`${dir}/package.json`).dependencies ?? {}).sort()) {
      if (dep.startsWith('@capstan/')) visit(dep);
    }
    order.push(dir);
  };
  visit(`@capstan/${service}`);
  return order.filter((d) => d !== `services/${service}`);
}

/** Workspaces whose dependencies npm could not hoist keep them in their own node_modules (per the lockfile). */
function nestedModules(dir: string): boolean {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, unknown>;
  };
  return Object.keys(lock.packages).some((k) => k.startsWith(`${dir}/node_modules/`));
}

function pins(): Record<string, string> {
  const text = readFileSync(join(repoRoot, 'tools', 'testcluster', 'versions.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z0-9_]+=/.test(l))
      .map((l) => l.split('=') as [string, string]),
  );
}

export function renderDockerfile(svc: ServiceImage): string {
  const repo = svc.name === 'repo-server';
  const deps = capstanDeps(svc.name);
  const depNames = deps.map((d) => d.slice(d.lastIndexOf('/') + 1)).join(', ');
  const p = pins();
  const lines: string[] = [
    '# syntax=docker/dockerfile:1',
    `# Capstan ${svc.name}. Build from the repository root:`,
    `#   docker build -f services/${svc.name}/Dockerfile -t capstan/${svc.name} .`,
    '# Rendered by `npm run dockerfiles:gen` from tools/devtools/src/dockerfiles/render-dockerfile.ts; edit that,',
    '# not this file. test/e2e/src/packaging/dockerfiles.test.ts checks the result against the workspace.',
    '',
  ];
  if (repo) {
    lines.push(
      '# helm and kustomize, built from their Go modules at the pins in tools/testcluster/versions.env.',
      'FROM golang:1.26-bookworm AS tools',
      `ARG HELM_VERSION=${p['HELM_VERSION']}`,
      `ARG KUSTOMIZE_VERSION=${p['KUSTOMIZE_VERSION']}`,
      'ENV CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false" GOBIN=/out',
      'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\',
      '    go install -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}" \\',
      '      "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" \\',
      ' && go install -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}"',
      '',
    );
  }
  lines.push(
    '# Every workspace manifest, so that `npm ci` sees the workspaces package-lock.json records.',
    'FROM node:24-bookworm-slim AS manifests',
    'WORKDIR /app',
    'COPY package.json package-lock.json turbo.json tsconfig.base.json ./',
    ...workspaceDirs().map((d) => `COPY ${d}/package.json ${d}/`),
    '',
    `# Compile ${svc.name} and the @capstan packages it depends on (${depNames}) to dist/.`,
    'FROM manifests AS build',
    'ENV TURBO_TELEMETRY_DISABLED=1',
    'RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund',
    ...[...deps, `services/${svc.name}`].map((d) => `COPY ${d} ${d}`),
    `RUN npx turbo run build --filter=@capstan/${svc.name}...`,
    '',
    `# Production dependencies of ${svc.name} only (its workspace and what it pulls in, no dev tooling).`,
    'FROM manifests AS prod-deps',
    'RUN --mount=type=cache,target=/root/.npm \\',
    `    npm ci --omit=dev --workspace=@capstan/${svc.name} --ignore-scripts --no-audit --no-fund`,
    '',
    'FROM node:24-bookworm-slim',
  );
  if (repo) {
    lines.push(
      'RUN apt-get update \\',
      ' && apt-get install -y --no-install-recommends git openssh-client ca-certificates gnupg tini \\',
      ' && rm -rf /var/lib/apt/lists/*',
      'COPY --from=tools /out/helm /out/kustomize /usr/local/bin/',
    );
  }
  lines.push(
    'RUN groupadd --system --gid 999 capstan \\',
    ' && useradd --system --uid 999 --gid 999 --home-dir /home/capstan --create-home --shell /usr/sbin/nologin capstan',
    'WORKDIR /app',
    'ENV NODE_ENV=production \\',
    '    HOME=/home/capstan \\',
    '    CAPSTAN_LISTEN_ADDRESS=0.0.0.0',
  );
  if (repo) {
    lines.push(
      'ENV CAPSTAN_HELM_PATH=/usr/local/bin/helm \\',
      '    CAPSTAN_KUSTOMIZE_PATH=/usr/local/bin/kustomize',
    );
  }
  lines.push(
    'COPY --from=prod-deps /app/node_modules node_modules',
    '# Each package.json sits beside its dist/: exports resolve through it, and runtime reads its version from it.',
    ...[...deps, `services/${svc.name}`].flatMap((d) => [
      `COPY --from=build /app/${d}/package.json ${d}/`,
      `COPY --from=build /app/${d}/dist ${d}/dist`,
      ...(nestedModules(d) ? [`COPY --from=prod-deps /app/${d}/node_modules ${d}/node_modules`] : []),
    ]),
    'USER 999',
    '# gRPC, then /metrics and /healthz.',
    `EXPOSE ${svc.grpcPort} ${svc.metricsPort}`,
    'HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \\',
    `  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.${svc.portPrefix}_METRICS_PORT || ${svc.metricsPort}) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
    // The repo-server starts git, helm and kustomize: tini reaps what a killed tool leaves behind.
    ...(repo ? ['ENTRYPOINT ["/usr/bin/tini", "--"]'] : []),
    `CMD ["node", "services/${svc.name}/dist/main.js"]`,
    '',
  );
  return lines.join('\n');
}
