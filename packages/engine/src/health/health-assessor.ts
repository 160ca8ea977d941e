import { FailedPreconditionError } from '@capstan/errors';
import { sharedLuaSandbox, type LuaHealth, type LuaRunOptions } from '@capstan/lua';
import { HOOK_FINALIZER } from '../sync/hook-types.ts';
import type { HealthOf } from '../sync/sync-step-types.ts';
import { groupOf, type HealthStatus, type KubeObject } from '../types.ts';
import {
  aggregateAppHealth,
  excludedFromAppHealth,
  type AppHealth,
  type AppHealthEntry,
  type AppIdentity,
} from './aggregate-app-health.ts';
import { applicationHealth } from './application-health.ts';
import { CORE_CHECKS, CUSTOMIZATION_CHECKS, type HealthCheck } from './built-in-checks.ts';
import { HealthScriptIndex, type MatchedScript } from './health-script-index.ts';
import { health } from './object-fields.ts';
import type { HealthCustomizations } from './parse-health-customizations.ts';

export const PENDING_DELETION_MESSAGE = 'Pending deletion';

/** Runs a Lua health script; `@capstan/lua`'s sandbox is one. */
export interface LuaHealthRunner {
  runHealth(script: string, obj: unknown, options?: LuaRunOptions): Promise<LuaHealth | undefined>;
}

export interface HealthAssessorOptions {
  /** Custom Lua health checks (see parseHealthCustomizations), which take precedence over built-in ones. */
  readonly customizations?: HealthCustomizations;
  /**
   * Assess child `argoproj.io/Application`s by the health they report (app of apps). Off by default, as in
   * Argo CD since 1.8, where child apps have no health and so do not hold up their parent.
   */
  readonly applicationHealth?: boolean;
  /** Runs the custom scripts. @default the process-wide sandbox of `@capstan/lua` */
  readonly lua?: LuaHealthRunner;
}

/** One resource of an application, keyed, with whichever of its desired and live objects exist. */
export type AppResource = Omit<AppHealthEntry, 'health'>;

export interface AppHealthAssessment {
  readonly app: AppHealth;
  /**
   * Per resource, in input order, the health to show for it: Missing when it has no live object, undefined
   * when it has no health or is left out of the application's health.
   */
  readonly resources: readonly (HealthStatus | undefined)[];
}

type Plan =
  | { readonly kind: 'fixed'; readonly health: HealthStatus | undefined }
  | { readonly kind: 'check'; readonly check: HealthCheck }
  | { readonly kind: 'script'; readonly script: MatchedScript };

function configKey(obj: KubeObject): string {
  const group = groupOf(obj.apiVersion);
  const kind = obj.kind ?? '';
  return group === '' ? kind : `${group}/${kind}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Assesses the health of live objects the way Argo CD does, in this order:
 * 1. an object being deleted (deletionTimestamp, without the hook finalizer) is Progressing;
 * 2. a custom Lua script for its `group/Kind`, exact key first, then wildcard keys; a failing script, one
 *    that spends its budget or returns an invalid status yields Unknown with the reason;
 * 3. the checks Argo CD ships as Lua (SealedSecret, ExternalSecret, cert-manager, Rollout, CronJob, CRD,
 *    PDB…) and, when enabled, child Applications;
 * 4. the core checks (Deployment, Pod, Service, Job, HPA…);
 * 5. otherwise no health (undefined): such objects do not count, and a hook without health has succeeded.
 * Everything but step 2 is synchronous.
 */
export class HealthAssessor {
  private readonly scripts: HealthScriptIndex;
  private readonly applicationHealth: boolean;
  private readonly lua: LuaHealthRunner | undefined;

  constructor(options: HealthAssessorOptions = {}) {
    this.scripts = new HealthScriptIndex(options.customizations);
    this.applicationHealth = options.applicationHealth === true;
    this.lua = options.lua;
  }

  /** Whether assessing this object runs a Lua script (and so needs `resourceHealth`). */
  needsScript(obj: KubeObject): boolean {
    return this.plan(obj).kind === 'script';
  }

  /** The health of a live object, when no Lua script applies to it; throws FailedPrecondition otherwise. */
  resourceHealthSync(obj: KubeObject): HealthStatus | undefined {
    const plan = this.plan(obj);
    switch (plan.kind) {
      case 'fixed':
        return plan.health;
      case 'check':
        return plan.check(obj);
      case 'script':
        throw new FailedPreconditionError(`the health of ${configKey(obj)} is assessed by a Lua script`, {
          details: { customization: plan.script.key },
        });
    }
  }

  async resourceHealth(obj: KubeObject): Promise<HealthStatus | undefined> {
    const plan = this.plan(obj);
    switch (plan.kind) {
      case 'fixed':
        return plan.health;
      case 'check':
        return plan.check(obj);
      case 'script':
        return this.runScript(plan.script, obj);
    }
  }

  /**
   * Assesses `objects` (their Lua scripts concurrently) and returns a synchronous lookup for them, for code
   * that needs health inside a synchronous step (sync waves, hooks). Objects not passed here are assessed on
   * the spot when no script applies, and are Unknown otherwise.
   */
  async healthOf(objects: Iterable<KubeObject>): Promise<HealthOf> {
    const assessed = new WeakMap<KubeObject, HealthStatus | undefined>();
    const pending: Promise<void>[] = [];
    for (const obj of objects) {
      const plan = this.plan(obj);
      if (plan.kind === 'script') {
        pending.push(
          this.runScript(plan.script, obj).then((result) => {
            assessed.set(obj, result);
          }),
        );
      }
    }
    await Promise.all(pending);
    return (obj) => {
      if (assessed.has(obj)) return assessed.get(obj);
      const plan = this.plan(obj);
      if (plan.kind !== 'script') return plan.kind === 'fixed' ? plan.health : plan.check(obj);
      return health('Unknown', 'health was not assessed for this object');
    };
  }

  /**
   * The health of every resource of an application and of the application itself (see aggregateAppHealth).
   * Resources left out of the application's health are not assessed at all.
   */
  async appHealth(resources: readonly AppResource[], app?: AppIdentity): Promise<AppHealthAssessment> {
    const healths = await Promise.all(
      resources.map(async (resource): Promise<HealthStatus | undefined> => {
        if (excludedFromAppHealth(resource, app) !== undefined) return undefined;
        if (resource.live === undefined) return health('Missing');
        return this.resourceHealth(resource.live);
      }),
    );
    const entries = resources.map((resource, index): AppHealthEntry => ({
      ...resource,
      health: healths[index],
    }));
    return { app: aggregateAppHealth(entries, app), resources: healths };
  }

  private plan(obj: KubeObject): Plan {
    const metadata = obj.metadata;
    if (metadata?.deletionTimestamp != null && !(metadata.finalizers ?? []).includes(HOOK_FINALIZER)) {
      return { kind: 'fixed', health: health('Progressing', PENDING_DELETION_MESSAGE) };
    }
    const key = configKey(obj);
    if (this.scripts.size > 0) {
      const script = this.scripts.find(key);
      if (script !== undefined) return { kind: 'script', script };
    }
    const check =
      CUSTOMIZATION_CHECKS.get(key) ??
      (this.applicationHealth && key === 'argoproj.io/Application' ? applicationHealth : undefined) ??
      CORE_CHECKS.get(key);
    return check === undefined ? { kind: 'fixed', health: undefined } : { kind: 'check', check };
  }

  private async runScript(script: MatchedScript, obj: KubeObject): Promise<HealthStatus | undefined> {
    const lua = this.lua ?? sharedLuaSandbox();
    try {
      const result = await lua.runHealth(script.customization.healthLua, obj, {
        openLibs: script.customization.useOpenLibs === true,
      });
      if (result === undefined) return undefined;
      return health(result.status, result.message);
    } catch (error) {
      return health('Unknown', errorMessage(error));
    }
  }
}
