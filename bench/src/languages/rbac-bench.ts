// RBAC checks per second on one core: an argocd-rbac-cm of 200 policy lines with mixed globs (literal,
// prefix, suffix, infix, alternatives, fine-grained `update/*`, `action/apps/Deployment/*`, denies), 20
// AppProjects with roles, and SSO users with 3–5 groups each.
//
// The realistic mix replays API traffic: each call comes from a user drawn from a Zipf distribution over
// 3,000 users (a few are always there, most come now and then) and makes the checks such a call makes —
// listing a project's apps (a `get` per app), an app page (app, logs, exec), a watch event, a sync or a
// resource action. Every call gets freshly built subject, group and object strings, as a server parsing a
// token and formatting `<project>/<app>` would, so no string hash is precomputed for it. The default
// 50,000-entry decision cache runs in its steady state; its hit rate is reported.
//
// Figures: rbac_checks_per_s (that mix, the target), rbac_cached_checks_per_s (a hot set, every check a
// cache hit), rbac_uncached_checks_per_s (the same mix with the cache off: every check evaluated).
import { RbacEnforcer, type AppProjectLike, type RbacRequest } from '@capstan/rbac';
import { seededRandom } from '@capstan/testkit';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { median } from '../rss.ts';

const TEAMS = 20;
const APPS_PER_TEAM = 30;
const USERS = 3_000;
const CALLS_PER_ROUND = 25_000;

/** 200 lines: per team a dev and a viewer role, SSO group bindings, fine-grained and resource-action grants, denies. */
function policyCsv(): string {
  const lines: string[] = [];
  for (let t = 0; t < TEAMS; t++) {
    const team = `team-${t}`;
    lines.push(
      `p, role:${team}-dev, applications, *, ${team}/*, allow`,
      `p, role:${team}-dev, applications, delete, ${team}/prod-*, deny`,
      `p, role:${team}-dev, applications, update/*, ${team}/*, allow`,
      `p, role:${team}-dev, applications, action/apps/Deployment/*, ${team}/*, allow`,
      `p, role:${team}-dev, logs, get, ${team}/*, allow`,
      `p, role:${team}-dev, exec, create, ${team}/*-dev, allow`,
      `p, role:${team}-viewer, applications, get, "{${team},shared}/*", allow`,
      `p, role:${team}-viewer, repositories, get, https://git.example.com/${team}/*, allow`,
      `g, example-org:${team}, role:${team}-dev`,
      `g, example-org:${team}-readers, role:${team}-viewer`,
    );
  }
  for (let i = lines.length; i < 200; i++)
    lines.push(`p, svc-${i}, clusters, get, https://*.cluster-${i}.example.com, allow`);
  return lines.join('\n');
}

function projects(): AppProjectLike[] {
  return Array.from({ length: TEAMS }, (_, t) => ({
    metadata: { name: `team-${t}` },
    spec: {
      roles: [
        {
          name: 'ci',
          policies: [
            `p, proj:team-${t}:ci, applications, sync, team-${t}/*, allow`,
            `p, proj:team-${t}:ci, applications, get, team-${t}/*, allow`,
          ],
          groups: [`example-org:team-${t}-ci`],
        },
      ],
    },
  }));
}

function newEnforcer(cacheSize?: number): RbacEnforcer {
  const enforcer = new RbacEnforcer(cacheSize === undefined ? {} : { cacheSize });
  const diagnostics = enforcer.setConfigMap({
    'policy.csv': policyCsv(),
    'policy.default': 'role:authenticated',
    'policy.authenticated.csv': 'p, role:authenticated, projects, get, *, allow',
  });
  if (diagnostics.length > 0)
    throw new Error(`benchmark policy has problems: ${JSON.stringify(diagnostics)}`);
  enforcer.setProjects(projects());
  return enforcer;
}

const APP_NAMES = Array.from(
  { length: APPS_PER_TEAM },
  (_, i) => ['web', 'api', 'worker', 'prod-db', 'tools-dev'][i % 5]! + `-${i}`,
);

/** Builds a string the way parsing or formatting would: a new string object, its hash not yet computed. */
const fresh = (...parts: string[]): string => parts.join('');

/** A cumulative Zipf(1.0) table for `n` items. */
function zipf(n: number): (random: () => number) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cumulative[k] = total += 1 / (k + 1);
  return (random) => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The checks of `CALLS_PER_ROUND` API calls, each call's strings built afresh. */
function traffic(seed: number): { checks: RbacRequest[]; calls: number } {
  const random = seededRandom(seed);
  const pickUser = zipf(USERS);
  const pickApp = zipf(APPS_PER_TEAM);
  const checks: RbacRequest[] = [];
  for (let call = 0; call < CALLS_PER_ROUND; call++) {
    const user = pickUser(random);
    const team = user % TEAMS;
    const other = (user * 7 + 3) % TEAMS;
    let subject: string;
    let groups: string[];
    if (user < TEAMS) {
      subject = fresh('proj:team-', String(user), ':ci'); // the most frequent callers are CI tokens
      groups = [];
    } else {
      subject = fresh('user-', String(user), '@example.com');
      groups = [
        fresh('example-org:team-', String(team)),
        fresh('example-org:', 'everyone'),
        fresh('example-org:', 'vpn-users'),
      ];
      if (user % 2 === 0) groups.push(fresh('example-org:team-', String(other), '-readers'));
      if (user % 3 === 0) groups.push(fresh('example-org:team-', String(team), '-ci'));
    }
    const objectIn = (t: number, app: number): string => fresh('team-', String(t), '/', APP_NAMES[app]!);
    const check = (resource: string, action: string, object: string): void => {
      checks.push({ subject, groups, resource, action, object });
    };
    const kind = random();
    const project = random() < 0.8 ? team : other;
    if (kind < 0.1) {
      // The applications list of one project: a get per app.
      for (let app = 0; app < APPS_PER_TEAM; app++) check('applications', 'get', objectIn(project, app));
    } else if (kind < 0.5) {
      // An app page: the app, its resource tree, logs, a terminal.
      const object = objectIn(project, pickApp(random));
      check('applications', 'get', object);
      check('applications', 'get', object);
      check('logs', 'get', object);
      check('exec', 'create', object);
    } else if (kind < 0.85) {
      // A watch event delivered to this user.
      check('applications', 'get', objectIn(project, pickApp(random)));
    } else {
      const object = objectIn(project, pickApp(random));
      const action = [
        'sync',
        'update',
        'delete',
        'update/apps/Deployment/web/web',
        'delete//Pod/web/web-1',
        'action/apps/Deployment/restart',
      ][Math.floor(random() * 6)]!;
      check('applications', 'get', object);
      check('applications', action, object);
    }
  }
  return { checks, calls: CALLS_PER_ROUND };
}

/**
 * A full garbage collection, run between building traffic and timing it, so that collecting the
 * generator's garbage is not billed to the checks. (`--expose-gc` set at run time, as Node documents.)
 */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * Checks per second over a list of checks, by the main thread's CPU time: the machine is shared, and
 * wall time would also count the time other processes had the core. (`wall` is reported beside it.)
 */
function time(
  enforcer: RbacEnforcer,
  checks: readonly RbacRequest[],
): { perSecond: number; wallPerSecond: number; allowed: number } {
  let allowed = 0;
  collectGarbage();
  const cpu0 = process.threadCpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < checks.length; i++) if (enforcer.enforce(checks[i]!)) allowed++;
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.threadCpuUsage(cpu0);
  const seconds = (cpu.user + cpu.system) / 1e6;
  return { perSecond: checks.length / seconds, wallPerSecond: checks.length / wall, allowed };
}

/**
 * Warms up on one round of traffic (JIT, and the cache's steady state), then times `rounds` rounds of
 * new traffic, each built before its timing. The hit rate counts the timed rounds only.
 */
function replay(
  enforcer: RbacEnforcer,
  rounds: number,
): {
  perSecond: number;
  wallPerSecond: number;
  allowedRatio: number;
  checksPerCall: number;
  hitRate: number;
} {
  time(enforcer, traffic(1).checks);
  const before = enforcer.cacheStats;
  const rates: number[] = [];
  const wallRates: number[] = [];
  let allowed = 0;
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    const { checks } = traffic(100 + r);
    const result = time(enforcer, checks);
    rates.push(result.perSecond);
    wallRates.push(result.wallPerSecond);
    allowed += result.allowed;
    total += checks.length;
  }
  const after = enforcer.cacheStats;
  const lookups = after.hits - before.hits + after.misses - before.misses;
  return {
    perSecond: median(rates),
    wallPerSecond: median(wallRates),
    allowedRatio: allowed / total,
    checksPerCall: total / (rounds * CALLS_PER_ROUND),
    hitRate: lookups === 0 ? 0 : (after.hits - before.hits) / lookups,
  };
}

export async function benchRbac(): Promise<Record<string, number>> {
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? '5');
  const lines = policyCsv().split('\n').length;

  // JIT warm-up of both paths on throwaway enforcers, so neither figure pays for compilation.
  time(newEnforcer(), traffic(2).checks);
  time(newEnforcer(0), traffic(3).checks);

  const mix = replay(newEnforcer(), rounds);
  const uncached = replay(newEnforcer(0), rounds);

  // Every check a hit: 2,000 checks, repeated.
  const hot = newEnforcer();
  const hotSet = traffic(7).checks.slice(0, 2_000);
  const hotChecks = Array.from({ length: 200 }, () => hotSet).flat();
  time(hot, hotChecks);
  const cachedRates = Array.from({ length: rounds }, () => time(hot, hotChecks).perSecond);

  return {
    rbac_checks_per_s: Math.round(mix.perSecond),
    rbac_checks_per_s_wall_clock: Math.round(mix.wallPerSecond),
    rbac_mix_cache_hit_rate: Math.round(mix.hitRate * 1000) / 1000,
    rbac_cached_checks_per_s: Math.round(median(cachedRates)),
    rbac_uncached_checks_per_s: Math.round(uncached.perSecond),
    rbac_policy_lines: lines,
    rbac_mix_allowed_ratio: Math.round(mix.allowedRatio * 1000) / 1000,
    rbac_mix_checks_per_call: Math.round(mix.checksPerCall * 10) / 10,
  };
}
