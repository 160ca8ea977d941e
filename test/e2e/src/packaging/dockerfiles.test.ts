// The container build files cannot be built here (no Docker engine), so this keeps them honest against
// the workspace instead: every service has a Dockerfile that copies the manifests `npm ci` needs, builds
// and ships the @capstan packages the service depends on, exposes the ports env-vars.ts gives it, runs
// as non-root with a health check, and docker-compose.yml wires the services the way their config reads.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { env, type VarSpec } from '@capstan/runtime';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

const serviceNames = [
  'api-server',
  'repo-server',
  'application-controller',
  'applicationset-controller',
  'notifications',
] as const;
type ServiceName = (typeof serviceNames)[number];
/** Services that talk to Kubernetes and so get the kubeconfig mount in docker-compose.yml. */
const kubeServices: readonly ServiceName[] = [
  'api-server',
  'application-controller',
  'applicationset-controller',
  'notifications',
];

// ---------------------------------------------------------------------------------------------------
// Workspace

interface PackageJson {
  readonly name: string;
  readonly workspaces?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** Workspace folders (relative to the root) as npm expands the root `workspaces` globs. */
function workspaceDirs(): string[] {
  const patterns = (JSON.parse(read('package.json')) as PackageJson).workspaces ?? [];
  return patterns
    .flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [pattern];
      const parent = pattern.slice(0, -2);
      return readdirSync(join(root, parent), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => `${parent}/${d.name}`);
    })
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .sort();
}

const workspaces = new Map(
  workspaceDirs().map((dir) => [(JSON.parse(read(`${dir}/package.json`)) as PackageJson).name, dir]),
);

/** The workspace folders of the @capstan packages a service depends on, transitively (the service excluded). */
function capstanDependencyDirs(service: ServiceName): string[] {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const dir = workspaces.get(name);
    if (dir === undefined) throw new Error(`${name} is not a workspace package`);
    const pkg = JSON.parse(read(`${dir}/package.json`)) as PackageJson;
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (dep.startsWith('@capstan/') && !seen.has(dep)) {
        seen.add(dep);
        visit(dep);
      }
    }
  };
  visit(`@capstan/${service}`);
  return [...seen].map((name) => workspaces.get(name)!).sort();
}

/** A service's gRPC and metrics port variables, as its src/config.ts picks them from env-vars.ts. */
function serviceVars(service: ServiceName) {
  const config = read(`services/${service}/src/config.ts`);
  const portVar = (field: string) => {
    const key = new RegExp(`\\b${field}:\\s*env\\.(\\w+)`).exec(config)?.[1];
    if (key === undefined || !(key in env)) throw new Error(`services/${service}/src/config.ts: no ${field}`);
    const spec = (env as Record<string, VarSpec<unknown>>)[key]!;
    if (typeof spec.default !== 'number') throw new Error(`env.${key} has no numeric default`);
    return { name: spec.name, port: spec.default };
  };
  return {
    grpc: portVar('grpcPort'),
    metrics: portVar('metricsPort'),
    callsRepoServer: /\benv\.repoServerAddress\b/.test(config),
  };
}

// ---------------------------------------------------------------------------------------------------
// A small Dockerfile reader: instructions with continuations joined and comments dropped, grouped by stage.

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}
interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue; // comments and parser directives, also between continued lines
    if (pending === '' && raw.trim() === '') continue;
    const line = raw.trimEnd();
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const match = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(pending + line);
    if (match === null) throw new Error(`cannot read Dockerfile line: ${pending + line}`);
    instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.replace(/\s+/g, ' ').trim() });
    pending = '';
  }
  if (pending !== '') throw new Error('Dockerfile ends inside a continued line');

  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.split(' ').filter((w) => !w.startsWith('--'));
      const as = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ image: words[0]!, name: as < 0 ? undefined : words[as + 1], instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push(ins);
    } else if (ins.keyword !== 'ARG') {
      throw new Error(`${ins.keyword} before the first FROM`);
    }
  }
  return stages;
}

/** A stage and the stages it is built FROM, base first. */
function chain(stages: readonly Stage[], stage: Stage): Stage[] {
  const parent = stages.find((s) => s.name !== undefined && s.name === stage.image);
  return parent === undefined ? [stage] : [...chain(stages, parent), stage];
}

const instructionsOf = (stages: readonly Stage[], keyword: string): Instruction[] =>
  stages.flatMap((s) => s.instructions.filter((i) => i.keyword === keyword));

interface Copy {
  readonly from: string | undefined;
  /** Source paths: relative to the build context, or absolute in the `from` stage. */
  readonly sources: string[];
  /** Absolute destination in the stage being built ('/'-terminated when it names a folder). */
  readonly dest: string;
}

/** The WORKDIR in effect at the end of a stage chain. */
const workdirOf = (stages: readonly Stage[]): string =>
  instructionsOf(stages, 'WORKDIR').reduce((dir, i) => posix.resolve(dir, i.args), '/');

/** The COPY instructions of a stage chain, destinations resolved against the WORKDIR in effect. */
function copiesIn(stages: readonly Stage[]): Copy[] {
  const copies: Copy[] = [];
  let workdir = '/';
  for (const ins of stages.flatMap((s) => s.instructions)) {
    if (ins.keyword === 'WORKDIR') workdir = posix.resolve(workdir, ins.args);
    if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
    const words = ins.args.startsWith('[')
      ? (JSON.parse(ins.args) as string[])
      : ins.args.split(' ').filter((w) => w !== '');
    const flags = words.filter((w) => w.startsWith('--'));
    const paths = words.filter((w) => !w.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
    const target = paths.at(-1)!;
    const dest = posix.resolve(workdir, target) + (target.endsWith('/') || paths.length > 2 ? '/' : '');
    copies.push({ from, sources: paths.slice(0, -1), dest });
  }
  return copies;
}

/**
 * Where `path` (a file or folder, in the context or in a `from` stage) lands in the stage, or undefined.
 * Follows Docker's rules: a folder's contents are copied into the destination, a file into a '/'-terminated
 * destination keeps its name. `isDir` says whether a source is a folder.
 */
function landsAt(copy: Copy, path: string, isDir: (source: string) => boolean): string | undefined {
  for (const source of copy.sources) {
    const src = source.replace(/\/+$/, '').replace(/^\.\//, '');
    if (src === path || src === '.') {
      const rest = src === '.' ? path : '';
      if (isDir(source)) return posix.join(copy.dest, rest);
      return copy.dest.endsWith('/') ? posix.join(copy.dest, basename(src)) : copy.dest;
    }
    if (path.startsWith(`${src}/`) && isDir(source)) return posix.join(copy.dest, path.slice(src.length + 1));
  }
  return undefined;
}

const contextIsDir = (source: string): boolean =>
  statSync(join(root, source), { throwIfNoEntry: false })?.isDirectory() ?? false;
/** In another stage a path is a folder when it is written with no extension (dist, node_modules, …). */
const stageIsDir = (source: string): boolean => posix.extname(source.replace(/\/+$/, '')) === '';

/** Whether the context path ends up at `target` in the stage chain (by a plain COPY from the context). */
const copiedFromContext = (stages: readonly Stage[], path: string, target: string): boolean =>
  copiesIn(stages).some((c) => c.from === undefined && landsAt(c, path, contextIsDir) === target);

/**
 * The stage a `COPY --from` in the final stage chain takes `rel` (relative to that stage's WORKDIR) from,
 * to put it at `rel` under the final WORKDIR; undefined when nothing does.
 */
function shippedFrom(all: readonly Stage[], final: readonly Stage[], rel: string): string | undefined {
  const target = posix.join(workdirOf(final), rel);
  return copiesIn(final).find((c) => {
    const from = all.find((s) => s.name !== undefined && s.name === c.from);
    if (from === undefined) return false;
    return landsAt(c, posix.join(workdirOf(chain(all, from)), rel), stageIsDir) === target;
  })?.from;
}

const runs = (stages: readonly Stage[]): string[] => instructionsOf(stages, 'RUN').map((i) => i.args);

/** ENV instructions of a stage chain as a map (both `ENV A=b C=d` and `ENV A b`). */
function envOf(stages: readonly Stage[]): Map<string, string> {
  const vars = new Map<string, string>();
  for (const { args } of instructionsOf(stages, 'ENV')) {
    if (!args.includes('=')) {
      const [name, ...value] = args.split(' ');
      vars.set(name!, value.join(' '));
      continue;
    }
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g))
      vars.set(m[1]!, m[3] ?? m[2]!);
  }
  return vars;
}

// ---------------------------------------------------------------------------------------------------

describe.each(serviceNames)('services/%s/Dockerfile', (service) => {
  const path = `services/${service}/Dockerfile`;
  const load = () => {
    const stages = parseDockerfile(read(path));
    const final = chain(stages, stages.at(-1)!);
    const build = stages.find((s) => runs([s]).some((r) => r.includes('turbo run build')));
    if (build === undefined) throw new Error(`${path}: no stage runs the turbo build`);
    return { stages, final, build: chain(stages, build), buildName: build.name };
  };
  const vars = serviceVars(service);
  const deps = capstanDependencyDirs(service);

  it('exists and builds on node:24-bookworm-slim', () => {
    expect(existsSync(join(root, path))).toBe(true);
    const { final, build } = load();
    expect(final[0]!.image).toBe('node:24-bookworm-slim');
    expect(build[0]!.image).toBe('node:24-bookworm-slim');
  });

  it('copies every workspace package.json, the lockfile and build config before `npm ci`', () => {
    const { build } = load();
    const all = build.flatMap((s) => s.instructions);
    const ci = all.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(ci, 'the build stage runs npm ci').toBeGreaterThanOrEqual(0);
    const before = [{ image: '', name: undefined, instructions: all.slice(0, ci) }];
    const at = (p: string) => posix.join(workdirOf(before), p);
    for (const file of ['package.json', 'package-lock.json', 'turbo.json', 'tsconfig.base.json']) {
      expect(copiedFromContext(before, file, at(file)), `${file} copied before npm ci`).toBe(true);
    }
    for (const dir of workspaces.values()) {
      const manifest = `${dir}/package.json`;
      expect(copiedFromContext(before, manifest, at(manifest)), `${manifest} copied before npm ci`).toBe(
        true,
      );
    }
  });

  it('builds the service and every @capstan package it depends on, from their sources', () => {
    const { build } = load();
    expect(runs(build)).toContain(`npx turbo run build --filter=@capstan/${service}...`);
    const workdir = workdirOf(build);
    for (const dir of [...deps, `services/${service}`]) {
      for (const file of ['package.json', 'tsconfig.build.json', 'src']) {
        const p = `${dir}/${file}`;
        expect(existsSync(join(root, p)), `${p} exists`).toBe(true);
        expect(copiedFromContext(build, p, posix.join(workdir, p)), `${p} in the build stage`).toBe(true);
      }
    }
  });

  it('every path it copies from the build context exists', () => {
    const { stages } = load();
    for (const copy of copiesIn(stages).filter((c) => c.from === undefined)) {
      for (const source of copy.sources) expect(existsSync(join(root, source)), source).toBe(true);
    }
  });

  it('ships production-only node_modules and each needed package.json beside its dist/', () => {
    const { stages, final, buildName } = load();
    const modules = shippedFrom(stages, final, 'node_modules');
    expect(modules, 'node_modules copied from a stage').toBeDefined();
    const install = runs(
      chain(
        stages,
        stages.find((s) => s.name === modules)!,
      ),
    ).join('\n');
    expect(install).toContain('--omit=dev');
    expect(install).toMatch(new RegExp(`npm ci .*--workspace=@capstan/${service}\\b|npm prune `));

    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, unknown> };
    for (const dir of [...deps, `services/${service}`]) {
      for (const part of ['package.json', 'dist']) {
        expect(shippedFrom(stages, final, `${dir}/${part}`), `${dir}/${part} in the image`).toBe(buildName);
      }
      // Dependencies npm could not hoist live in the workspace's own node_modules; they must ship too.
      if (Object.keys(lock.packages).some((k) => k.startsWith(`${dir}/node_modules/`))) {
        const nested = `${dir}/node_modules`;
        expect(shippedFrom(stages, final, nested), `${nested} in the image`).toBe(modules);
      }
    }
    // The service is started from the WORKDIR by a relative path.
    const cmd = instructionsOf(final, 'CMD').at(-1)!;
    expect(JSON.parse(cmd.args)).toEqual(['node', `services/${service}/dist/main.js`]);
  });

  it('runs as a non-root user in production mode, listening on all interfaces', () => {
    const { final } = load();
    const user = instructionsOf(final, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0'].includes(user!.split(':')[0]!)).toBe(false);
    expect(user).toBe('999');
    const vars = envOf(final);
    expect(vars.get('NODE_ENV')).toBe('production');
    expect(vars.get('CAPSTAN_LISTEN_ADDRESS')).toBe('0.0.0.0');
    const known = new Set(Object.values(env).map((v) => v.name));
    for (const name of vars.keys()) {
      if (name.startsWith('CAPSTAN_')) {
        expect(known.has(name), `${name} is declared in env-vars.ts`).toBe(true);
      }
    }
  });

  it(`exposes its default gRPC (${vars.grpc.port}) and metrics (${vars.metrics.port}) ports`, () => {
    const { final } = load();
    const exposed = instructionsOf(final, 'EXPOSE').flatMap((i) =>
      i.args.split(' ').map((p) => p.split('/')[0]),
    );
    expect(exposed).toEqual(expect.arrayContaining([String(vars.grpc.port), String(vars.metrics.port)]));
  });

  it('checks its health with node on the metrics port /healthz', () => {
    const { final } = load();
    const check = instructionsOf(final, 'HEALTHCHECK').at(-1)?.args ?? '';
    const command = JSON.parse(check.slice(check.indexOf('CMD ') + 4)) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain('/healthz');
    expect(command[2]).toContain(`process.env.${vars.metrics.name}`);
    expect(command[2]).toMatch(new RegExp(`\\b${vars.metrics.port}\\b`));
  });
});

describe('services/repo-server/Dockerfile tools', () => {
  const stages = parseDockerfile(read('services/repo-server/Dockerfile'));
  const final = chain(stages, stages.at(-1)!);
  const pins = new Map(
    read('tools/testcluster/versions.env')
      .split('\n')
      .flatMap((line) => {
        const m = /^\s*([A-Z0-9_]+)=(\S+)/.exec(line);
        return m === null ? [] : [[m[1]!, m[2]!] as const];
      }),
  );

  it('builds helm and kustomize at the versions.env pins in a golang stage', () => {
    const tools = stages.find((s) => s.image.startsWith('golang:1.26'));
    expect(tools, 'a golang:1.26 stage').toBeDefined();
    const args = new Map(
      instructionsOf([tools!], 'ARG').map((a) => {
        const [name, value] = a.args.split('=');
        return [name!, value] as const;
      }),
    );
    for (const name of ['HELM_VERSION', 'KUSTOMIZE_VERSION']) {
      expect(pins.get(name), `${name} pinned in versions.env`).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(args.get(name), `ARG ${name} default`).toBe(pins.get(name));
    }
    const run = runs([tools!]).join('\n');
    expect(run).toContain('helm.sh/helm/v3/cmd/helm@${HELM_VERSION}');
    expect(run).toContain('-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}');
    expect(run).toContain('sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}');
    expect(envOf([tools!]).get('CGO_ENABLED')).toBe('0');
    const gobin = envOf([tools!]).get('GOBIN') ?? '/go/bin';
    for (const tool of ['helm', 'kustomize']) {
      const copied = copiesIn(final).some(
        (c) =>
          c.from === tools!.name && landsAt(c, `${gobin}/${tool}`, () => false) === `/usr/local/bin/${tool}`,
      );
      expect(copied, `${tool} copied from ${gobin} to /usr/local/bin`).toBe(true);
    }
  });

  it('carries git, ssh, CA certificates and gnupg, and points Capstan at the tools', () => {
    const install = runs(final).find((r) => r.includes('apt-get install')) ?? '';
    for (const pkg of ['git', 'openssh-client', 'ca-certificates', 'gnupg']) {
      expect(install.split(' ')).toContain(pkg);
    }
    const vars = envOf(final);
    expect(vars.get('CAPSTAN_HELM_PATH')).toBe('/usr/local/bin/helm');
    expect(vars.get('CAPSTAN_KUSTOMIZE_PATH')).toBe('/usr/local/bin/kustomize');
  });
});

// ---------------------------------------------------------------------------------------------------

interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context?: string; readonly dockerfile?: string };
  readonly environment?: Record<string, string | number | null> | string[];
  readonly depends_on?: Record<string, { readonly condition?: string }> | string[];
  readonly ports?: (string | number | { readonly target: number; readonly published?: string | number })[];
  readonly volumes?: (string | { readonly source?: string; readonly target?: string })[];
  readonly healthcheck?: { readonly test?: string | string[] };
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const environment = (svc: ComposeService): Map<string, string> => {
    const e = svc.environment ?? {};
    const pairs = Array.isArray(e)
      ? e.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])
      : Object.entries(e).map(([k, v]) => [k, String(v)]);
    return new Map(pairs as [string, string][]);
  };
  const dependsOn = (svc: ComposeService): Record<string, string | undefined> =>
    Array.isArray(svc.depends_on)
      ? Object.fromEntries(svc.depends_on.map((d) => [d, undefined]))
      : Object.fromEntries(Object.entries(svc.depends_on ?? {}).map(([k, v]) => [k, v.condition]));

  it('every built service points at an existing Dockerfile', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      if (svc.build === undefined) {
        expect(svc.image, `${name} has an image or a build`).toBeDefined();
        continue;
      }
      const context = svc.build.context ?? '.';
      const dockerfile = join(root, context, svc.build.dockerfile ?? 'Dockerfile');
      expect(existsSync(dockerfile), `${name}: ${dockerfile}`).toBe(true);
    }
  });

  it('runs Redis without persistence, with a redis-cli ping health check', () => {
    const redis = compose.services['redis'];
    expect(redis?.image).toBe('redis:7-alpine');
    expect([redis?.healthcheck?.test].flat().join(' ')).toContain('redis-cli ping');
  });

  const repoServerAddress = `repo-server:${env.repoServerGrpcPort.default}`;

  describe.each(serviceNames)('%s', (service) => {
    const svc = (): ComposeService => {
      const s = compose.services[service];
      if (s === undefined) throw new Error(`docker-compose.yml has no ${service}`);
      return s;
    };
    const vars = serviceVars(service);

    it('is built from its Dockerfile with the repository root as context', () => {
      expect(svc().build).toEqual({ context: '.', dockerfile: `services/${service}/Dockerfile` });
    });

    it('reaches Redis (and the repo-server when its config reads the address) once they are healthy', () => {
      const e = environment(svc());
      expect(e.get('CAPSTAN_REDIS_URL')).toBe('redis://redis:6379');
      expect(dependsOn(svc())['redis']).toBe('service_healthy');
      if (vars.callsRepoServer) {
        expect(e.get('CAPSTAN_REPO_SERVER_ADDRESS')).toBe(repoServerAddress);
        expect(dependsOn(svc())['repo-server']).toBe('service_healthy');
      }
      const known = new Set(Object.values(env).map((v) => v.name));
      for (const name of e.keys()) {
        if (name.startsWith('CAPSTAN_'))
          expect(known.has(name), `${name} is declared in env-vars.ts`).toBe(true);
      }
    });

    const kube = kubeServices.includes(service);
    it(kube ? 'mounts the kubeconfig read-only at KUBECONFIG' : 'gets no kubeconfig', () => {
      const mount = '${KUBECONFIG:-~/.kube/config}:/home/capstan/.kube/config:ro';
      expect(environment(svc()).get('KUBECONFIG')).toBe(kube ? '/home/capstan/.kube/config' : undefined);
      expect((svc().volumes ?? []).includes(mount)).toBe(kube);
    });
  });

  it("publishes the api-server's gRPC port", () => {
    const published = (compose.services['api-server']?.ports ?? []).map(String);
    expect(published).toContain(`${env.apiServerGrpcPort.default}:${env.apiServerGrpcPort.default}`);
  });
});
